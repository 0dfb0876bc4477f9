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

std::vector<EvalWindow> EvalPlan(int64_t n_ids, int context, const EvalOptions& options) {
  const int stride = options.stride > 0 ? options.stride : std::max(1, context / 2);
  std::vector<EvalWindow> all = SlidingWindows(n_ids, context, stride);
  auto scored = [](const EvalWindow& w) { return static_cast<int64_t>(w.length - w.first_scored); };
  int64_t total = 0;
  for (const EvalWindow& w : all) total += scored(w);
  if (options.max_targets <= 0 || total <= options.max_targets || all.size() < 2) return all;
  // m windows at evenly spaced indices of the full plan: window k is all[k * size / m]. Each
  // keeps its first_scored, so its targets have the context the full pass gives them. The first
  // window scores all its positions, as in the full pass; the others a stride each (all[1] is
  // one of them), so m is the fewest that reach the budget.
  const int64_t rest = std::max<int64_t>(1, scored(all[1]));
  const int64_t m = std::min<int64_t>(
      static_cast<int64_t>(all.size()),
      1 + (std::max<int64_t>(0, options.max_targets - scored(all[0])) + rest - 1) / rest);
  std::vector<EvalWindow> sample;
  for (int64_t k = 0; k < m; ++k) {
    sample.push_back(all[static_cast<size_t>(k * static_cast<int64_t>(all.size()) / m)]);
  }
  return sample;
}

int64_t EvalTargets(int64_t n_ids, int context, const EvalOptions& options) {
  int64_t total = 0;
  for (const EvalWindow& w : EvalPlan(n_ids, context, options)) total += w.length - w.first_scored;
  return total;
}

NllResult EvaluateNll(Model& model, const std::vector<int32_t>& ids, const EvalOptions& options,
                      int threads) {
  NllResult result;
  const int context = model.config().context;
  const std::vector<EvalWindow> windows =
      EvalPlan(static_cast<int64_t>(ids.size()), context, options);
  if (windows.empty()) return result;
  int64_t total = 0;
  for (const EvalWindow& w : windows) total += w.length - w.first_scored;
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
