#include "transformer/trainer.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "base/cpu_time.h"
#include "base/random.h"
#include "base/status_macros.h"
#include "transformer/checkpoint_io.h"
#include "transformer/evaluation.h"
#include "transformer/lm_data.h"
#include "transformer/optimizer.h"

namespace wordspace::transformer {

absl::Status CheckTrainConfig(const TrainConfig& t) {
  if (t.batch < 1) return absl::InvalidArgumentError("--batch must be at least 1");
  if (t.steps < 0 || t.minutes < 0) {
    return absl::InvalidArgumentError("--steps and --minutes must not be negative");
  }
  if (t.steps == 0 && t.minutes <= 0) {
    return absl::InvalidArgumentError("give a budget: --steps N or --minutes M");
  }
  if (t.freeze_embeddings_steps < 0 || !(t.embedding_lr_scale > 0)) {
    return absl::InvalidArgumentError(
        "need --freeze-embeddings-steps >= 0 and --embedding-lr-scale > 0 "
        "(--freeze-embeddings freezes them for the whole run)");
  }
  const OptimizerConfig& o = t.optimizer;
  if (!(o.lr > 0) || o.min_lr_frac < 0 || o.min_lr_frac > 1 || o.warmup < 0 || o.weight_decay < 0 ||
      o.beta1 < 0 || o.beta1 >= 1 || o.beta2 < 0 || o.beta2 >= 1 || !(o.eps > 0) || o.clip < 0) {
    return absl::InvalidArgumentError(
        "bad optimizer settings: need lr > 0, 0 <= min-lr-frac <= 1, warmup >= 0, "
        "weight-decay >= 0, 0 <= betas < 1, eps > 0, clip >= 0");
  }
  return absl::OkStatus();
}

float TrainStep(LmState* state, const int32_t* inputs, const int32_t* targets, int B, int T,
                double lr, int threads, double* grad_norm, const GradientHook& gradient_hook) {
  Model& model = *state->model;
  const TrainConfig& tc = state->train;
  const bool frozen = tc.freeze_embeddings || state->step < tc.freeze_embeddings_steps;
  model.set_freeze_wte(frozen);
  std::vector<bool> skip(kNumParamTensors, false);
  if (frozen) skip[kWte] = true;
  std::vector<double> lr_scale;
  if (tc.embedding_lr_scale != 1.0) {
    lr_scale.assign(kNumParamTensors, 1.0);
    lr_scale[kWte] = tc.embedding_lr_scale;
  }
  const float loss = model.ForwardBackward(inputs, targets, B, T, threads);
  if (gradient_hook) gradient_hook(model.grads());
  const double norm = ClipGradNorm(model.grads(), tc.optimizer.clip, threads);
  AdamWStep(model.layout(), tc.optimizer, lr, state->step + 1, skip, model.params(), model.grads(),
            state->adam_m.span(), state->adam_v.span(), threads, lr_scale);
  state->step += 1;
  if (grad_norm != nullptr) *grad_norm = norm;
  return loss;
}

absl::StatusOr<TrainResult> Train(LmState* state, const std::vector<int32_t>& train_ids,
                                  const std::vector<int32_t>* valid_ids, const TrainRunOptions& run,
                                  const TrainProgressCallback& progress) {
  if (state->model == nullptr) return absl::FailedPreconditionError("no model to train");
  Model& model = *state->model;
  const TrainConfig& tc = state->train;
  RETURN_IF_ERROR(CheckTrainConfig(tc));
  const int B = tc.batch, T = model.config().context, V = model.config().vocab_size;
  if (static_cast<int64_t>(B) * T > kMaxBatchTokens) {
    return absl::InvalidArgumentError(absl::StrCat("--batch ", B, " times --context ", T,
                                                   " is above ", kMaxBatchTokens,
                                                   " tokens per step; lower --batch"));
  }
  const int threads = std::max(1, run.threads);
  const int64_t n = static_cast<int64_t>(train_ids.size());
  if (n < T + 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(run.train_path.empty() ? "the training text" : run.train_path, " has ", n,
                     " tokens; it needs at least context + 2 = ", T + 2,
                     "; use a longer text or a smaller --context"));
  }
  for (int32_t id : train_ids) {
    if (id < 0 || id >= V) {
      return absl::InvalidArgumentError(absl::StrCat("training id ", id, " outside [0, ", V, ")"));
    }
  }
  const uint32_t crc = IdsCrc32(train_ids);
  const ParameterLayout& layout = model.layout();
  if (state->step == 0 && !state->has_optimizer) {
    state->has_optimizer = true;
    state->adam_m = AlignedBuffer(layout.buffer_size());
    state->adam_v = AlignedBuffer(layout.buffer_size());
    state->data_tokens = static_cast<uint64_t>(n);
    state->data_crc = crc;
  } else {
    if (!state->has_optimizer) {
      return absl::FailedPreconditionError(
          "this checkpoint has no optimizer state, so training cannot resume from it");
    }
    if (state->data_tokens != static_cast<uint64_t>(n) || state->data_crc != crc) {
      return absl::FailedPreconditionError(
          absl::StrCat("the training text differs from the one this checkpoint was trained on (", n,
                       " tokens vs ", state->data_tokens,
                       "); resume with the same --input file, vocabulary and tokenizer flags"));
    }
  }

  const double budget_seconds = tc.minutes * 60.0;
  const bool by_steps = tc.steps > 0;
  auto fraction_done = [&]() {
    return by_steps ? static_cast<double>(state->step) / static_cast<double>(tc.steps)
                    : state->train_seconds / budget_seconds;
  };
  auto budget_left = [&]() {
    if (by_steps ? state->step >= tc.steps : state->train_seconds >= budget_seconds) return false;
    return run.stop_after <= 0 || state->step < run.stop_after;
  };

  EvalOptions periodic;
  periodic.stride = run.eval_stride;
  periodic.max_targets = run.eval_max_targets;
  EvalOptions final_eval = periodic;
  final_eval.max_targets = run.final_eval_max_targets;
  const int64_t final_targets =
      valid_ids != nullptr
          ? EvalTargets(static_cast<int64_t>(valid_ids->size()), model.config().context, final_eval)
          : 0;
  double eval_seconds_per_target = 0;  // measured on the periodic passes

  TrainResult result;
  TrainProgress p;
  p.total_steps = tc.steps;
  std::deque<double> recent;  // last 50 losses
  auto recent_mean = [&recent] {
    return std::accumulate(recent.begin(), recent.end(), 0.0) / recent.size();
  };
  std::vector<int32_t> inputs(static_cast<size_t>(B) * T), targets(inputs.size());
  const uint64_t range = static_cast<uint64_t>(n - T - 1);
  const auto run_start = std::chrono::steady_clock::now();

  auto write_checkpoint = [&]() -> absl::Status {
    if (run.checkpoint_path.empty()) return absl::OkStatus();
    return WriteCheckpoint(*state, run.checkpoint_path);
  };

  while (budget_left()) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = ProcessCpuSeconds();
    const int64_t step = state->step;
    const double lr = LearningRate(tc.optimizer, step, fraction_done());
    for (int b = 0; b < B; ++b) {
      const uint64_t start = CounterHash(tc.seed, static_cast<uint64_t>(step) * B + b) % range;
      std::copy(train_ids.begin() + start, train_ids.begin() + start + T, inputs.begin() + b * T);
      std::copy(train_ids.begin() + start + 1, train_ids.begin() + start + 1 + T,
                targets.begin() + b * T);
    }
    double norm = 0;
    const float loss = TrainStep(state, inputs.data(), targets.data(), B, T, lr, threads, &norm,
                                 run.gradient_hook);
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result.cpu_seconds += ProcessCpuSeconds() - c0;
    result.seconds += dt;
    if (!by_steps) state->train_seconds += dt;
    result.steps += 1;
    result.tokens += static_cast<int64_t>(B) * T;
    recent.push_back(loss);
    if (recent.size() > 50) recent.pop_front();

    p.valid_updated = false;
    if (valid_ids != nullptr && run.eval_every > 0 && state->step % run.eval_every == 0) {
      const auto e0 = std::chrono::steady_clock::now();
      const NllResult r = EvaluateNll(model, *valid_ids, periodic, threads);
      eval_seconds_per_target =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count() /
          std::max<int64_t>(1, r.targets);
      p.has_valid = r.targets > 0;
      p.valid_loss = r.mean_nll();
      p.valid_perplexity = r.perplexity();
      p.valid_updated = true;
      result.curve.push_back({state->step, result.seconds, recent_mean(), r.mean_nll()});
    }
    if (run.checkpoint_every > 0 && state->step % run.checkpoint_every == 0 && budget_left()) {
      RETURN_IF_ERROR(write_checkpoint());
    }
    if (progress) {
      p.step = state->step;
      p.fraction = fraction_done();
      p.loss = recent_mean();
      p.tokens_per_sec = result.tokens / std::max(result.seconds, 1e-9);
      p.lr = lr;
      p.grad_norm = norm;
      p.elapsed_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
      double left = 0;
      if (by_steps) {
        int64_t end = tc.steps;
        if (run.stop_after > 0) end = std::min(end, run.stop_after);
        left = (end - state->step) * (result.seconds / result.steps);
      } else {
        left = budget_seconds - state->train_seconds;
      }
      // The final validation pass is part of the wait: timed from the periodic passes, or
      // (before any) estimated as a forward pass, about a third of a training step per token.
      const double per_target = eval_seconds_per_target > 0
                                    ? eval_seconds_per_target
                                    : result.seconds / std::max<int64_t>(1, result.tokens) / 3;
      p.eta_seconds = std::max(0.0, left) + final_targets * per_target;
      progress(p);
    }
  }
  result.total_steps = state->step;
  if (!recent.empty()) {
    result.final_loss = recent_mean();
  }
  if (valid_ids != nullptr) {
    // The start lives as long as the pass: the callback below holds it by reference.
    const auto e0 = std::chrono::steady_clock::now();
    if (progress) {
      final_eval.progress = [&](int64_t scored, int64_t total) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
        p.final_validation = true;
        p.valid_updated = false;
        p.final_validation_fraction = static_cast<double>(scored) / std::max<int64_t>(1, total);
        p.eta_seconds = seconds * (total - scored) / std::max<int64_t>(1, scored);
        p.elapsed_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
        progress(p);
      };
    }
    const NllResult r = EvaluateNll(model, *valid_ids, final_eval, threads);
    result.has_valid = r.targets > 0;
    result.valid_loss = r.mean_nll();
    result.valid_perplexity = r.perplexity();
    result.valid_targets = r.targets;
  }
  RETURN_IF_ERROR(write_checkpoint());
  return result;
}

}  // namespace wordspace::transformer
