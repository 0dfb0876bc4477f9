#include "eval/lm/inspect_json.h"

namespace wordspace::eval {

Json WordProbsJson(const std::vector<WordProb>& top) {
  Json items = Json::array();
  for (const auto& w : top) items.push_back({{"word", w.word}, {"score", JsonValue(w.prob)}});
  return items;
}

Json AttentionJson(const AttentionMap& map, const std::string& model) {
  const int T = static_cast<int>(map.tokens.size());
  Json weights = Json::array();
  for (int l = 0; l < map.layers; ++l) {
    Json heads = Json::array();
    for (int h = 0; h < map.heads; ++h) {
      Json rows = Json::array();
      for (int q = 0; q < T; ++q) {
        Json row = Json::array();
        for (int k = 0; k < T; ++k) row.push_back(JsonValue(map.weight(l, h, q, k)));
        rows.push_back(std::move(row));
      }
      heads.push_back(std::move(rows));
    }
    weights.push_back(std::move(heads));
  }
  Json out;
  out["model"] = model;
  out["tokens"] = map.tokens;
  out["layers"] = map.layers;
  out["heads"] = map.heads;
  out["weights"] = std::move(weights);
  return out;
}

Json LensJson(const LensReport& lens, const std::string& model) {
  Json layers = Json::array();
  for (const auto& layer : lens.layers) {
    Json positions = Json::array(), final_probs = Json::array();
    Json ranks = Json::array(), target_probs = Json::array();
    for (const auto& cell : layer.positions) {
      positions.push_back(WordProbsJson(cell.top));
      final_probs.push_back(JsonValue(cell.final_prob));
      ranks.push_back(cell.target_rank);
      target_probs.push_back(JsonValue(cell.target_prob));
    }
    Json item;
    item["layer"] = layer.layer;
    item["positions"] = std::move(positions);
    item["final_word_prob"] = std::move(final_probs);
    if (lens.target_id >= 0) {
      item["target_rank"] = std::move(ranks);
      item["target_prob"] = std::move(target_probs);
    }
    layers.push_back(std::move(item));
  }
  Json final_words = Json::array();
  for (const auto& w : lens.final_top1) final_words.push_back(w.word);
  Json out;
  out["model"] = model;
  out["tokens"] = lens.tokens;
  out["final_words"] = std::move(final_words);
  out["target"] = lens.target.empty() ? Json(nullptr) : Json(lens.target);
  out["measure"] = "probability";  // of the words listed per layer and position
  out["layers"] = std::move(layers);
  return out;
}

Json ContextJson(const ContextReport& report, const std::string& model) {
  const size_t S = report.sentences.size();
  Json sentences = Json::array(), layers = Json::array();
  for (const auto& s : report.sentences) {
    sentences.push_back({{"text", s.text}, {"tokens", s.tokens}, {"position", s.position}});
  }
  for (const auto& layer : report.layers) {
    Json cos_rows = Json::array(), nearest = Json::array();
    for (size_t a = 0; a < S; ++a) {
      Json row = Json::array();
      for (size_t b = 0; b < S; ++b) row.push_back(JsonValue(layer.cosines[a * S + b]));
      cos_rows.push_back(std::move(row));
      nearest.push_back(WordProbsJson(layer.nearest[a]));  // prob holds the cosine
    }
    layers.push_back(
        {{"layer", layer.name}, {"cosines", std::move(cos_rows)}, {"nearest", std::move(nearest)}});
  }
  Json out;
  out["model"] = model;
  out["word"] = report.word;
  out["sentences"] = std::move(sentences);
  out["measure"] = "cosine";  // of the nearest words
  out["layers"] = std::move(layers);
  return out;
}

}  // namespace wordspace::eval
