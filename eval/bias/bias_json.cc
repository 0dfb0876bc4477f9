#include "eval/bias/bias_json.h"

#include <utility>

namespace wordspace::eval {

Json WordPairsJson(const std::vector<WordPair>& pairs) {
  Json items = Json::array();
  for (const auto& p : pairs) items.push_back(Json::array({p.first, p.second}));
  return items;
}

absl::StatusOr<DirectionProbe> ProbeDirection(const embeddings::WordVectors& vectors,
                                              std::span<const WordPair> pairs,
                                              std::span<const std::string> words,
                                              const DirectionOptions& options, int top,
                                              int64_t restrict) {
  absl::StatusOr<BiasDirection> g = ComputeBiasDirection(vectors, pairs, options);
  if (!g.ok()) return g.status();
  DirectionProbe probe;
  probe.direction = std::move(*g);
  probe.restrict = restrict;
  if (top > 0) {
    ExtremeProjections(vectors, probe.direction.direction, top, restrict, &probe.positive,
                       &probe.negative);
  }
  probe.words = ProjectWords(vectors, words, probe.direction.direction, options.case_sensitive,
                             &probe.missing_words);
  return probe;
}

Json DirectionProbeJson(const DirectionProbe& probe, const std::string& vectors_path) {
  auto projected = [](const std::vector<ProjectedWord>& list) {
    Json items = Json::array();
    for (const auto& p : list) {
      items.push_back({{"word", p.word}, {"projection", JsonValue(p.projection)}});
    }
    return items;
  };
  const BiasDirection& g = probe.direction;
  Json out;
  out["vectors"] = vectors_path;
  out["pairs_used"] = WordPairsJson(g.used_pairs);
  out["pairs_missing_words"] = g.missing;
  out["variance_explained"] = JsonValue(g.variance_shares.empty() ? 0.0 : g.variance_shares[0]);
  out["variance_shares"] = Json::array();
  for (double share : g.variance_shares) out["variance_shares"].push_back(JsonValue(share));
  out["restrict"] = probe.restrict;
  out["top_positive"] = projected(probe.positive);
  out["top_negative"] = projected(probe.negative);
  out["words"] = projected(probe.words);
  out["missing"] = probe.missing_words;
  out["direction"] = Json::array();
  for (double x : g.direction) out["direction"].push_back(JsonValue(x));
  return out;
}

}  // namespace wordspace::eval
