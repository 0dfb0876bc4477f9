// AdamW (Loshchilov and Hutter, 2019) with PyTorch's update order, gradient-norm clipping and
// the learning-rate schedule of ../shared/bench/torch_tiny_lm.py: linear warmup, then cosine
// decay to min_lr_frac * lr over the run.
//
// The moments m and v are parameter-shaped buffers (same ParameterLayout as the parameters).
//
//   double norm = ClipGradNorm(model.grads(), config.clip, threads);
//   AdamWStep(model.layout(), config, lr, step + 1, skip, model.params(), model.grads(), m, v,
//             threads);
#ifndef WORDSPACE_TRANSFORMER_OPTIMIZER_H_
#define WORDSPACE_TRANSFORMER_OPTIMIZER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "transformer/model.h"

namespace wordspace::transformer {

struct OptimizerConfig {
  double lr = 3e-3;           // peak learning rate
  double min_lr_frac = 0.1;   // the cosine ends at lr * min_lr_frac
  int64_t warmup = 200;       // steps of linear warmup
  double weight_decay = 0.1;  // decoupled; applied to tensors with TensorInfo::weight_decay
  double beta1 = 0.9;
  double beta2 = 0.95;
  double eps = 1e-8;
  double clip = 1.0;  // max global gradient norm; 0 disables clipping
};

// The learning rate of step `step` (0-based) when `fraction` of the budget (steps or time) has
// been used: lr * (step+1)/warmup during warmup, then
// lr * (min_lr_frac + (1 - min_lr_frac) * (1 + cos(pi * min(fraction, 1))) / 2).
double LearningRate(const OptimizerConfig& config, int64_t step, double fraction);

// Global L2 norm of `grads`; when it exceeds max_norm (> 0), scales them by
// max_norm / (norm + 1e-6) as torch.nn.utils.clip_grad_norm_ does. Returns the norm before
// clipping. Deterministic for any thread count.
double ClipGradNorm(std::span<float> grads, double max_norm, int threads);

// One AdamW update at 1-based step `t`, as torch.optim.AdamW (PyTorch 1.13):
//   p *= 1 - lr*wd;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
//   p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
// Tensors whose index has skip[i] set are left untouched (frozen). `lr_scale`, when not empty,
// multiplies tensor i's learning rate (its step and its weight decay) by lr_scale[i].
void AdamWStep(const ParameterLayout& layout, const OptimizerConfig& config, double lr, int64_t t,
               const std::vector<bool>& skip, std::span<float> params, std::span<const float> grads,
               std::span<float> m, std::span<float> v, int threads,
               const std::vector<double>& lr_scale = {});

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_OPTIMIZER_H_
