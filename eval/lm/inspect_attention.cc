#include "eval/lm/inspect_attention.h"

#include <algorithm>
#include <numeric>

#include "base/status_macros.h"

namespace wordspace::eval {

std::vector<std::pair<int, float>> AttentionMap::Top(int l, int h, int q, int k) const {
  std::vector<int> keys(q + 1);
  std::iota(keys.begin(), keys.end(), 0);
  k = std::min<int>(k, q + 1);
  std::partial_sort(keys.begin(), keys.begin() + k, keys.end(), [&](int a, int b) {
    const float wa = weight(l, h, q, a), wb = weight(l, h, q, b);
    return wa > wb || (wa == wb && a > b);  // ties: the nearer key
  });
  std::vector<std::pair<int, float>> top;
  for (int i = 0; i < k; ++i) top.emplace_back(keys[i], weight(l, h, q, keys[i]));
  return top;
}

absl::StatusOr<AttentionMap> InspectAttention(transformer::LanguageModel& lm,
                                              const InspectWindow& window) {
  ASSIGN_OR_RETURN(transformer::ForwardTrace trace, lm.Trace(window.ids));
  AttentionMap map;
  map.tokens = window.tokens;
  map.layers = trace.L;
  map.heads = trace.NH;
  map.weights = std::move(trace.attention);
  return map;
}

}  // namespace wordspace::eval
