// Held-out loss of a language model over a long token sequence, with overlapping windows so that
// every target is scored exactly once and, after the first window, with at least
// context - stride tokens of context (torch_tiny_lm.py's eval_model).
//
//   std::vector<EvalWindow> w = SlidingWindows(ids.size(), 64, 32);
//   NllResult r = EvaluateNll(model, ids, {.stride = 32}, threads);
//   double ppl = r.perplexity();
#ifndef WORDSPACE_TRANSFORMER_EVALUATION_H_
#define WORDSPACE_TRANSFORMER_EVALUATION_H_

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "transformer/model.h"

namespace wordspace::transformer {

// A window ids[start, start + length) predicting ids[start+1, start+length+1); positions
// [first_scored, length) of it are scored.
struct EvalWindow {
  int64_t start = 0;
  int length = 0;
  int first_scored = 0;
};

// Windows over a sequence of n_ids tokens (n_ids - 1 targets): starts 0, stride, 2 stride, ...
// and a last window flush with the end; each target is scored by exactly one window. Windows
// have `context` tokens, or n_ids - 1 when the sequence is shorter. Empty when n_ids < 2.
std::vector<EvalWindow> SlidingWindows(int64_t n_ids, int context, int stride);

struct EvalOptions {
  int stride = 0;  // 0: context / 2
  // Score about this many targets (0: all): whole windows of the full plan, spread evenly over
  // ids, so that the sample stands for the whole text (a held-out file that opens with one
  // genre, as heldout-valid opens with 7,223 lines of Wikipedia, would otherwise be judged by
  // that genre) and every target keeps the context the full pass gives it.
  int64_t max_targets = 0;
  int batch = 16;           // windows per forward pass
  // Called after each forward pass with the targets scored so far and in all (a long pass, such
  // as lm-train's final one over a whole held-out file, shows its progress).
  std::function<void(int64_t scored, int64_t total)> progress;
};

// The windows EvaluateNll scores on `n_ids` ids for a model of this context, and their targets.
std::vector<EvalWindow> EvalPlan(int64_t n_ids, int context, const EvalOptions& options);
int64_t EvalTargets(int64_t n_ids, int context, const EvalOptions& options);

struct NllResult {
  int64_t targets = 0;
  double nll_sum = 0;  // natural log
  double mean_nll() const { return targets > 0 ? nll_sum / targets : 0.0; }
  double perplexity() const { return std::exp(mean_nll()); }
};

NllResult EvaluateNll(Model& model, const std::vector<int32_t>& ids, const EvalOptions& options,
                      int threads);

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_EVALUATION_H_
