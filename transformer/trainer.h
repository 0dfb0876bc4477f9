// Trains a language model on token ids: random windows of context+1 tokens, AdamW with decoupled
// weight decay, global gradient clipping, linear warmup then cosine decay over the budget
// (steps, or minutes of training time), periodic validation, checkpoints.
//
// Reproducibility: the windows of step s are CounterHash(seed, s*batch + b), a function of the
// seed and the step only, and every kernel gives the same bits for any thread count. So a run
// stopped at step k (--stop-after, or a crash after a checkpoint) and resumed from its
// checkpoint reaches exactly the parameters of an uninterrupted run, when the budget is in
// steps. (A --minutes budget ends at a time, so it is not reproducible by design.)
//
//   LmState state = ...;            // words, tokenizer, model initialised, train config set
//   ASSIGN_OR_RETURN(TrainResult r, Train(&state, train_ids, &valid_ids, run, progress));
#ifndef WORDSPACE_TRANSFORMER_TRAINER_H_
#define WORDSPACE_TRANSFORMER_TRAINER_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "transformer/lm_state.h"

namespace wordspace::transformer {

// Called once per step with the gradient of the step's mean loss, between backward and the
// optimizer: on the thread that called Train/TrainStep, after ForwardBackward wrote the gradient
// and BEFORE clipping; it may change the gradient in place (its span covers every parameter, in
// ParameterLayout order). Before clipping, because that is where a data-parallel all-reduce
// goes: every rank then clips (and reports) the norm of the same summed gradient, so their
// parameters stay equal; clipping per rank first would clip different vectors. The hook must
// leave the gradient finite. Frozen embeddings are skipped by the optimizer whatever the hook
// writes to their gradient.
//
//   run.gradient_hook = [&](std::span<float> g) { MPI_Allreduce(MPI_IN_PLACE, g.data(), ...); };
using GradientHook = std::function<void(std::span<float> grads)>;

// How this invocation runs; none of it is stored in checkpoints.
struct TrainRunOptions {
  int threads = 1;
  int64_t stop_after = 0;              // stop once this many steps are done (0: the whole budget)
  int64_t eval_every = 0;              // steps between validation passes (0: only at the end)
  int64_t eval_max_targets = 20000;    // targets scored by the periodic passes
  int64_t final_eval_max_targets = 0;  // targets scored at the end (0: all)
  int eval_stride = 0;                 // 0: context / 2
  int64_t checkpoint_every = 0;        // steps between checkpoints (0: only at the end)
  std::string checkpoint_path;         // where checkpoints go ("" : none)
  std::string train_path;              // the training text, named in errors about it
  GradientHook gradient_hook;          // empty: the gradient goes to the optimizer unchanged
};

struct TrainProgress {
  int64_t step = 0;           // steps done
  int64_t total_steps = 0;    // the step budget (0 with a time budget)
  double fraction = 0;        // of the budget
  double loss = 0;            // mean training loss of the recent steps
  double tokens_per_sec = 0;  // this run, training time only
  double lr = 0;
  double grad_norm = 0;
  double elapsed_seconds = 0;
  double eta_seconds = 0;
  bool has_valid = false;  // the last validation pass, if any
  double valid_loss = 0;
  double valid_perplexity = 0;
  bool valid_updated = false;  // a validation pass just finished
  // After the last step: the final validation pass over the held-out text is running, and has
  // scored this fraction of its targets (eta_seconds is then that pass' time left).
  bool final_validation = false;
  double final_validation_fraction = 0;
};

struct TrainResult {
  int64_t steps = 0;        // steps done by this invocation
  int64_t total_steps = 0;  // steps done in all (the state's step)
  int64_t tokens = 0;       // training tokens processed by this invocation (steps * B * T)
  double seconds = 0;       // wall time of the training steps (no evaluation or checkpoints)
  double cpu_seconds = 0;   // process CPU time of the training steps, all threads
  double final_loss = 0;    // mean training loss of the last (up to) 50 steps
  bool has_valid = false;
  double valid_loss = 0;
  double valid_perplexity = 0;
  int64_t valid_targets = 0;
  struct CurvePoint {
    int64_t step;
    double seconds;     // training time of this invocation so far
    double train_loss;  // mean of the last (up to) 50 steps
    double valid_loss;  // the periodic pass (eval_max_targets targets)
  };
  std::vector<CurvePoint> curve;  // one point per periodic validation pass
};

// One optimisation step of Train on a given batch inputs/targets (B*T ids each, B = batch,
// T = context): forward and backward, the gradient hook (if set), gradient clipping, AdamW at
// learning rate `lr`; advances state->step. The AdamW moments must exist (has_optimizer).
// Returns the batch's mean loss; *grad_norm (if not null) receives the gradient norm before
// clipping (after the hook).
float TrainStep(LmState* state, const int32_t* inputs, const int32_t* targets, int B, int T,
                double lr, int threads, double* grad_norm = nullptr,
                const GradientHook& gradient_hook = {});

using TrainProgressCallback = std::function<void(const TrainProgress&)>;

// InvalidArgument naming the option for a bad batch, budget or optimizer setting (Train checks
// it too; a command checks it first, before reading any input).
[[nodiscard]] absl::Status CheckTrainConfig(const TrainConfig& config);

// Trains state->model from state->step on. At step 0 the AdamW moments are created and the
// training ids' fingerprint recorded; later (a resumed run) the ids must match it
// (FailedPrecondition otherwise). InvalidArgument for a bad config or too short a text;
// checkpoint write errors are returned.
[[nodiscard]] absl::StatusOr<TrainResult> Train(LmState* state,
                                                const std::vector<int32_t>& train_ids,
                                                const std::vector<int32_t>* valid_ids,
                                                const TrainRunOptions& run,
                                                const TrainProgressCallback& progress = {});

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_TRAINER_H_
