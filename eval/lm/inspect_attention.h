// `inspect attention`: every layer's and head's attention weights over one
// window, and each position's most attended positions per head.
//
//   ASSIGN_OR_RETURN(AttentionMap map, InspectAttention(lm, PromptWindow(lm,
//   "the river bank"))); float w = map.weight(layer, head, query, key);   //
//   rows sum to 1; zero for key > query
#ifndef WORDSPACE_EVAL_LM_INSPECT_ATTENTION_H_
#define WORDSPACE_EVAL_LM_INSPECT_ATTENTION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/lm/inspect_window.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

struct AttentionMap {
  std::vector<std::string> tokens;  // T
  int layers = 0, heads = 0;
  std::vector<float> weights;  // (layers, heads, T, T) [layer][head][query][key]
  float weight(int l, int h, int q, int k) const {
    const size_t T = tokens.size();
    return weights[((static_cast<size_t>(l) * heads + h) * T + q) * T + k];
  }
  // The k keys query q attends to most in (l, h), as (key, weight), heaviest
  // first.
  std::vector<std::pair<int, float>> Top(int l, int h, int q, int k) const;
};

// InvalidArgument for an empty or bad window (Trace's errors).
[[nodiscard]] absl::StatusOr<AttentionMap> InspectAttention(transformer::LanguageModel& lm,
                                                            const InspectWindow& window);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_ATTENTION_H_
