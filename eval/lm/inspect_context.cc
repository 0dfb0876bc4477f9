#include "eval/lm/inspect_context.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace wordspace::eval {

double Cosine(std::span<const float> a, std::span<const float> b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += double{a[i]} * b[i];
    na += double{a[i]} * a[i];
    nb += double{b[i]} * b[i];
  }
  return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

std::vector<WordProb> NearestEmbeddings(const transformer::LanguageModel& lm,
                                        std::span<const float> v, int k) {
  std::vector<float> cos(lm.vocab_size());
  for (int id = 0; id < lm.vocab_size(); ++id) {
    cos[id] = static_cast<float>(Cosine(v, lm.TokenEmbedding(id)));
  }
  std::vector<WordProb> out;
  for (int32_t id : TopIds(cos, k)) out.push_back({id, lm.word(id), cos[id]});
  return out;
}

absl::StatusOr<ContextReport> InspectContext(transformer::LanguageModel& lm,
                                             const std::string& word,
                                             const std::vector<std::string>& texts, int k) {
  if (texts.empty()) return absl::InvalidArgumentError("give at least one --text");
  ASSIGN_OR_RETURN(const int32_t id, WordId(lm, word, "--word"));
  ContextReport r;
  r.word = word;
  const int L = lm.config().layers;
  r.layers.resize(L + 2);
  for (int i = 0; i < L + 2; ++i) {
    r.layers[i].layer = i - 1;
    r.layers[i].name = i == 0 ? "static" : absl::StrCat(i - 1);
  }
  for (const std::string& text : texts) {
    const InspectWindow window = PromptWindow(lm, text);
    auto it = std::find(window.ids.begin(), window.ids.end(), id);
    if (it == window.ids.end()) {
      return absl::InvalidArgumentError(absl::StrCat("--text \"", text, "\" has no '", word,
                                                     "' (as the model's tokenizer splits it)"));
    }
    ContextSentence s;
    s.text = text;
    s.tokens = window.tokens;
    s.position = static_cast<int>(it - window.ids.begin());
    ASSIGN_OR_RETURN(transformer::ForwardTrace trace, lm.Trace(window.ids));
    auto stat = lm.TokenEmbedding(id);
    r.layers[0].vectors.emplace_back(stat.begin(), stat.end());
    for (int l = 0; l <= L; ++l) {
      auto v = trace.Residual(l, s.position);
      r.layers[l + 1].vectors.emplace_back(v.begin(), v.end());
    }
    r.sentences.push_back(std::move(s));
  }
  const size_t S = texts.size();
  for (ContextLayer& layer : r.layers) {
    layer.cosines.resize(S * S);
    for (size_t a = 0; a < S; ++a) {
      for (size_t b = 0; b < S; ++b)
        layer.cosines[a * S + b] = Cosine(layer.vectors[a], layer.vectors[b]);
      layer.nearest.push_back(NearestEmbeddings(lm, layer.vectors[a], k));
    }
  }
  return r;
}

}  // namespace wordspace::eval
