#include "transformer/optimizer.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/check.h"
#include "base/isa_dispatch.h"
#include "base/parallel_for.h"

namespace wordspace::transformer {
namespace {

constexpr int64_t kBlock = 1 << 14;

WORDSPACE_ALWAYS_INLINE void AdamWRangeBody(float* p, const float* g, float* m, float* v, int64_t n,
                                            float decay_mul, float b1, float one_minus_b1, float b2,
                                            float one_minus_b2, float step_size, float bc2_sqrt,
                                            float eps) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const float pi = p[i] * decay_mul;
    const float mi = m[i] * b1 + one_minus_b1 * gi;
    const float vi = v[i] * b2 + one_minus_b2 * gi * gi;
    const float denom = std::sqrt(vi) / bc2_sqrt + eps;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi + -step_size * (mi / denom);
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, AdamWRange,
                       (float* p, const float* g, float* m, float* v, int64_t n, float decay_mul,
                        float b1, float one_minus_b1, float b2, float one_minus_b2, float step_size,
                        float bc2_sqrt, float eps),
                       (p, g, m, v, n, decay_mul, b1, one_minus_b1, b2, one_minus_b2, step_size,
                        bc2_sqrt, eps))

}  // namespace

double LearningRate(const OptimizerConfig& c, int64_t step, double fraction) {
  if (step < c.warmup) return c.lr * static_cast<double>(step + 1) / static_cast<double>(c.warmup);
  const double f = std::min(std::max(fraction, 0.0), 1.0);
  return c.lr * (c.min_lr_frac + (1.0 - c.min_lr_frac) * 0.5 * (1.0 + std::cos(M_PI * f)));
}

double ClipGradNorm(std::span<float> grads, double max_norm, int threads) {
  const int64_t n = static_cast<int64_t>(grads.size());
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> partial(blocks, 0.0);
  float* g = grads.data();
  ForEachIndex(blocks, threads, [&](int64_t b) {
    const int64_t end = std::min(n, (b + 1) * kBlock);
    double s = 0;
    for (int64_t i = b * kBlock; i < end; ++i) s += static_cast<double>(g[i]) * g[i];
    partial[b] = s;
  });
  double total = 0;
  for (double s : partial) total += s;
  const double norm = std::sqrt(total);
  if (max_norm > 0) {
    const double coef = max_norm / (norm + 1e-6);
    if (coef < 1.0) {
      const float c = static_cast<float>(coef);
      ForEachIndex(n, threads, [&](int64_t i) { g[i] *= c; });
    }
  }
  return norm;
}

void AdamWStep(const ParameterLayout& layout, const OptimizerConfig& c, double lr, int64_t t,
               const std::vector<bool>& skip, std::span<float> params, std::span<const float> grads,
               std::span<float> m, std::span<float> v, int threads,
               const std::vector<double>& lr_scale) {
  CHECK(params.size() == layout.buffer_size() && grads.size() == params.size() &&
        m.size() == params.size() && v.size() == params.size() && t >= 1);
  const double bc1 = 1.0 - std::pow(c.beta1, static_cast<double>(t));
  const double bc2 = 1.0 - std::pow(c.beta2, static_cast<double>(t));
  const float bc2_sqrt = static_cast<float>(std::sqrt(bc2));
  // Work items: (tensor, block) pairs, so that threads share big and small tensors alike.
  struct Item {
    int64_t begin, size;
    float decay_mul, step_size;
  };
  std::vector<Item> items;
  for (int i = 0; i < kNumParamTensors; ++i) {
    const TensorInfo& info = layout.tensor(i);
    if (info.size == 0 || (i < static_cast<int>(skip.size()) && skip[i])) continue;
    const double tensor_lr = i < static_cast<int>(lr_scale.size()) ? lr * lr_scale[i] : lr;
    const float decay_mul =
        info.weight_decay ? static_cast<float>(1.0 - tensor_lr * c.weight_decay) : 1.0f;
    const float step_size = static_cast<float>(tensor_lr / bc1);
    for (int64_t b = 0; b < static_cast<int64_t>(info.size); b += kBlock) {
      items.push_back({static_cast<int64_t>(info.offset) + b,
                       std::min<int64_t>(kBlock, static_cast<int64_t>(info.size) - b), decay_mul,
                       step_size});
    }
  }
  const float b1 = static_cast<float>(c.beta1), b2 = static_cast<float>(c.beta2);
  const float omb1 = static_cast<float>(1.0 - c.beta1), omb2 = static_cast<float>(1.0 - c.beta2);
  const float eps = static_cast<float>(c.eps);
  ForEachIndex(items.size(), threads, [&](int64_t k) {
    const Item& it = items[k];
    AdamWRange(params.data() + it.begin, grads.data() + it.begin, m.data() + it.begin,
               v.data() + it.begin, it.size, it.decay_mul, b1, omb1, b2, omb2, it.step_size,
               bc2_sqrt, eps);
  });
}

}  // namespace wordspace::transformer
