#include "eval/lm/inspect_senses.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/check.h"
#include "base/status_macros.h"
#include "corpus/text_reader.h"
#include "eval/lm/inspect_window.h"

namespace wordspace::eval {
namespace {

struct Example {
  std::vector<int32_t> window;  // ends with the word
  int sense = 0;
};

}  // namespace

Separation SeparateLabels(std::span<const float> values, int n, int d, std::span<const int> labels,
                          int classes) {
  Separation result;
  if (n < 2) return result;
  // Centre, then unit-normalise (zero vectors stay zero: every distance to them
  // is 1).
  std::vector<double> x(static_cast<size_t>(n) * d), mean(d, 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) mean[j] += values[static_cast<size_t>(i) * d + j];
  }
  for (double& m : mean) m /= n;
  double scale = 0;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) {
      const double raw = values[static_cast<size_t>(i) * d + j];
      x[static_cast<size_t>(i) * d + j] = raw - mean[j];
      scale = std::max(scale, std::fabs(raw));
    }
  }
  // Differences at the level of float rounding are no signal: copies of one
  // vector (the static baseline) must come out as exact ties, not as normalised
  // rounding noise.
  const double tiny = 1e-6 * scale * std::sqrt(static_cast<double>(d));
  for (int i = 0; i < n; ++i) {
    double norm = 0;
    for (int j = 0; j < d; ++j)
      norm += x[static_cast<size_t>(i) * d + j] * x[static_cast<size_t>(i) * d + j];
    norm = std::sqrt(norm);
    for (int j = 0; j < d; ++j) {
      double& v = x[static_cast<size_t>(i) * d + j];
      v = norm > tiny ? v / norm : 0.0;
    }
  }
  auto row = [&](int i) { return x.data() + static_cast<size_t>(i) * d; };
  auto cosine = [&](const double* a, const double* b) {
    double dot = 0, na = 0, nb = 0;
    for (int j = 0; j < d; ++j) {
      dot += a[j] * b[j];
      na += a[j] * a[j];
      nb += b[j] * b[j];
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
  };
  std::vector<double> sums(static_cast<size_t>(classes) * d, 0.0);
  std::vector<int> count(classes, 0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) sums[static_cast<size_t>(labels[i]) * d + j] += row(i)[j];
    ++count[labels[i]];
  }
  // Leave-one-out nearest centroid.
  double credit = 0;
  int scored = 0;
  std::vector<double> centroid(d), dist(classes);
  for (int i = 0; i < n; ++i) {
    if (count[labels[i]] < 2) continue;
    for (int k = 0; k < classes; ++k) {
      if (count[k] == 0) {
        dist[k] = INFINITY;
        continue;
      }
      for (int j = 0; j < d; ++j) {
        centroid[j] = sums[static_cast<size_t>(k) * d + j] - (k == labels[i] ? row(i)[j] : 0.0);
      }
      dist[k] = 1.0 - cosine(row(i), centroid.data());
    }
    const double best = *std::min_element(dist.begin(), dist.end());
    int ties = 0;
    for (double v : dist) ties += std::fabs(v - best) <= 1e-9;
    if (std::fabs(dist[labels[i]] - best) <= 1e-9) credit += 1.0 / ties;
    ++scored;
  }
  result.accuracy = scored > 0 ? credit / scored : 0.0;
  // Silhouette with cosine distance.
  double total = 0;
  std::vector<double> mean_dist(classes);
  for (int i = 0; i < n; ++i) {
    std::fill(mean_dist.begin(), mean_dist.end(), 0.0);
    for (int k = 0; k < n; ++k) {
      if (k != i) mean_dist[labels[k]] += 1.0 - cosine(row(i), row(k));
    }
    const int own = labels[i];
    if (count[own] < 2) continue;
    const double a = mean_dist[own] / (count[own] - 1);
    double b = INFINITY;
    for (int k = 0; k < classes; ++k) {
      if (k != own && count[k] > 0) b = std::min(b, mean_dist[k] / count[k]);
    }
    const double m = std::max(a, b);
    if (std::isfinite(b) && m > 0) total += (b - a) / m;
  }
  result.silhouette = total / n;
  return result;
}

absl::StatusOr<SensesReport> InspectSenses(transformer::LanguageModel& lm,
                                           const std::string& corpus_path,
                                           const embeddings::WordVectors* bag_of_words,
                                           const SensesOptions& options) {
  const int K = static_cast<int>(options.senses.size());
  if (K < 2) return absl::InvalidArgumentError("give at least two --sense NAME=cue,cue,...");
  ASSIGN_OR_RETURN(const int32_t word_id, WordId(lm, options.word, "--word"));
  SensesReport r;
  r.word = options.word;
  r.hide_cues = options.hide_cues;
  r.chance = 1.0 / K;
  absl::flat_hash_map<int32_t, int> cue_sense;  // id -> sense, -2 when two senses share it
  for (int k = 0; k < K; ++k) {
    SenseSummary s;
    s.name = options.senses[k].name;
    for (const std::string& cue : options.senses[k].cues) {
      absl::StatusOr<int32_t> cue_id = WordId(lm, cue, "cue");
      const int32_t id = cue_id.ok() ? *cue_id : transformer::kUnkId;
      if (id == transformer::kUnkId || id == word_id) {
        s.missing_cues.push_back(cue);
        continue;
      }
      s.cues.push_back(cue);
      auto [it, inserted] = cue_sense.try_emplace(id, k);
      if (!inserted && it->second != k) it->second = -2;
    }
    if (s.cues.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("sense '", s.name, "' has no cue word in the model's vocabulary (tried: ",
                       absl::StrJoin(options.senses[k].cues, ","), ")"));
    }
    r.senses.push_back(std::move(s));
  }

  // Collect examples: one per line, its first occurrence with cues of exactly
  // one sense.
  std::vector<std::vector<Example>> by_sense(K);
  ASSIGN_OR_RETURN(auto reader, corpus::TextReader::Open(corpus_path));
  std::string line;
  const int W = lm.context() - 1;
  while (options.max_lines == 0 || r.lines_read < options.max_lines) {
    if (options.progress && r.lines_read > 0 && (r.lines_read & 0xFFF) == 0) {
      std::vector<int> found;
      for (const SenseSummary& sense : r.senses) found.push_back(sense.found);
      options.progress(reader->FractionRead(), r.lines_read, found);
    }
    ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
    if (!got) break;
    ++r.lines_read;
    bool full = true;
    for (const auto& e : by_sense)
      full = full && static_cast<int>(e.size()) >= options.max_per_sense;
    if (full) break;
    std::vector<int32_t> seq = {transformer::kEosId};
    const std::vector<int32_t> ids = lm.EncodeLine(line);
    seq.insert(seq.end(), ids.begin(), ids.end());
    for (size_t p = 1; p < seq.size(); ++p) {
      if (seq[p] != word_id) continue;
      const size_t start = p > static_cast<size_t>(W) ? p - W : 0;
      int sense = -1;
      bool ambiguous = false;
      for (size_t i = start; i < p; ++i) {
        auto it = cue_sense.find(seq[i]);
        if (it == cue_sense.end()) continue;
        if (it->second == -2 || (sense >= 0 && sense != it->second)) ambiguous = true;
        sense = it->second;
      }
      if (sense < 0 || ambiguous) continue;
      ++r.senses[sense].found;
      if (static_cast<int>(by_sense[sense].size()) < options.max_per_sense) {
        by_sense[sense].push_back(
            {std::vector<int32_t>(seq.begin() + start, seq.begin() + p + 1), sense});
      }
      break;
    }
  }
  int used = options.max_per_sense;
  for (int k = 0; k < K; ++k) {
    if (by_sense[k].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(corpus_path, ": no line has '", options.word,
                                                     "' after a cue of sense '", r.senses[k].name,
                                                     "' (", absl::StrJoin(r.senses[k].cues, ","),
                                                     ") alone; add cues or read more text"));
    }
    used = std::min<int>(used, static_cast<int>(by_sense[k].size()));
  }
  std::vector<Example> examples;
  for (int k = 0; k < K; ++k) {
    r.senses[k].used = used;
    for (int i = 0; i < used; ++i) examples.push_back(std::move(by_sense[k][i]));
  }
  for (Example& e : examples) {
    if (options.hide_cues) {
      for (size_t i = 0; i + 1 < e.window.size(); ++i) {
        if (cue_sense.contains(e.window[i])) {
          e.window[i] = transformer::kUnkId;
          ++r.hidden_cue_tokens;
        }
      }
    }
    SenseSummary& s = r.senses[e.sense];
    if (static_cast<int>(s.examples.size()) < options.examples_kept) {
      std::vector<std::string> words;
      for (int32_t id : e.window) words.push_back(lm.word(id));
      s.examples.push_back(absl::StrJoin(words, " "));
    }
  }

  // Vectors per layer, the static vector and the bag of words.
  const int n = static_cast<int>(examples.size()), L = lm.config().layers, C = lm.config().d_model;
  std::vector<std::vector<float>> layer_values(L + 1,
                                               std::vector<float>(static_cast<size_t>(n) * C));
  std::vector<float> static_values(static_cast<size_t>(n) * C);
  const int D = bag_of_words != nullptr ? bag_of_words->dim() : C;
  std::vector<float> bow_values(static_cast<size_t>(n) * D, 0.0f);
  r.bag_of_words_source = bag_of_words != nullptr ? "skip-gram vectors" : "model input embeddings";
  for (int i = 0; i < n; ++i) {
    const Example& e = examples[i];
    r.labels.push_back(e.sense);
    ASSIGN_OR_RETURN(transformer::ForwardTrace trace, lm.Trace(e.window));
    const int t = trace.T - 1;
    for (int l = 0; l <= L; ++l) {
      auto v = trace.Residual(l, t);
      std::copy(v.begin(), v.end(), layer_values[l].begin() + static_cast<size_t>(i) * C);
    }
    auto s = lm.TokenEmbedding(word_id);
    std::copy(s.begin(), s.end(), static_values.begin() + static_cast<size_t>(i) * C);
    float* bow = bow_values.data() + static_cast<size_t>(i) * D;
    int words = 0;
    for (int j = 0; j < t; ++j) {
      const int32_t id = e.window[j];
      std::span<const float> v;
      if (bag_of_words != nullptr) {
        if (id == transformer::kUnkId) continue;  // <unk> has no skip-gram vector
        const int64_t row = bag_of_words->Find(lm.word(id));
        if (row < 0) continue;
        v = bag_of_words->row(row);
      } else {
        v = lm.TokenEmbedding(id);
      }
      for (int c = 0; c < D; ++c) bow[c] += v[c];
      ++words;
    }
    for (int c = 0; c < D && words > 0; ++c) bow[c] /= words;
  }
  for (int l = 0; l <= L; ++l) {
    SensesLayer layer;
    layer.layer = l;
    layer.separation = SeparateLabels(layer_values[l], n, C, r.labels, K);
    layer.pca = ProjectPca(layer_values[l], n, C, 2);
    r.layers.push_back(std::move(layer));
  }
  r.static_vector = SeparateLabels(static_values, n, C, r.labels, K);
  r.bag_of_words = SeparateLabels(bow_values, n, D, r.labels, K);
  r.bag_of_words_pca = ProjectPca(bow_values, n, D, 2);
  return r;
}

absl::StatusOr<Sense> ParseSense(const std::string& spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    return absl::InvalidArgumentError(absl::StrCat("--sense '", spec, "' is not NAME=cue,cue,..."));
  }
  Sense sense;
  sense.name = spec.substr(0, eq);
  for (absl::string_view cue : absl::StrSplit(spec.substr(eq + 1), ',', absl::SkipEmpty())) {
    sense.cues.emplace_back(cue);
  }
  return sense;
}

}  // namespace wordspace::eval
