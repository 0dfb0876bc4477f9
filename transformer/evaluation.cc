#include "transformer/evaluation.h"

#include <algorithm>

namespace wordspace::transformer {

std::vector<EvalWindow> SlidingWindows(int64_t n_ids, int context, int stride) {
  std::vector<EvalWindow> windows;
  const int64_t n = n_ids - 1;  // targets
  if (n < 1 || context < 1) return windows;
  const int len = static_cast<int>(std::min<int64_t>(context, n));
  stride = std::max(1, std::min(stride, len));
  std::vector<int64_t> starts;
  for (int64_t s = 0; s <= n - len; s += stride) starts.push_back(s);
  if (starts.back() + len < n) starts.push_back(n - len);
  int64_t scored_to = 0;
  for (int64_t s : starts) {
    EvalWindow w;
    w.start = s;
    w.length = len;
    w.first_scored = static_cast<int>(std::max(scored_to, s) - s);
    scored_to = s + len;
    windows.push_back(w);
  }
  return windows;
}

int64_t EvalTargets(int64_t n_ids, const EvalOptions& options) {
  if (options.max_targets > 0) n_ids = std::min<int64_t>(n_ids, options.max_targets + 1);
  return std::max<int64_t>(0, n_ids - 1);
}

NllResult EvaluateNll(Model& model, const std::vector<int32_t>& ids, const EvalOptions& options,
                      int threads) {
  NllResult result;
  const int64_t total = EvalTargets(static_cast<int64_t>(ids.size()), options);
  const int64_t n_ids = total + 1;
  const int context = model.config().context;
  const int stride = options.stride > 0 ? options.stride : std::max(1, context / 2);
  const std::vector<EvalWindow> windows = SlidingWindows(n_ids, context, stride);
  if (windows.empty()) return result;
  const int T = windows[0].length;
  const int batch = std::max(1, options.batch);
  std::vector<int32_t> inputs(static_cast<size_t>(batch) * T), targets(inputs.size());
  for (size_t w0 = 0; w0 < windows.size(); w0 += batch) {
    const int B = static_cast<int>(std::min<size_t>(batch, windows.size() - w0));
    for (int b = 0; b < B; ++b) {
      const EvalWindow& w = windows[w0 + b];
      std::copy(ids.begin() + w.start, ids.begin() + w.start + T, inputs.begin() + b * T);
      std::copy(ids.begin() + w.start + 1, ids.begin() + w.start + 1 + T, targets.begin() + b * T);
    }
    model.Loss(inputs.data(), targets.data(), B, T, threads);
    const std::span<const float> losses = model.losses();
    for (int b = 0; b < B; ++b) {
      const EvalWindow& w = windows[w0 + b];
      for (int t = w.first_scored; t < T; ++t) result.nll_sum += losses[b * T + t];
      result.targets += T - w.first_scored;
    }
    if (options.progress) options.progress(result.targets, total);
  }
  return result;
}

}  // namespace wordspace::transformer
