// The trainer's gradient hook (TrainRunOptions::gradient_hook, TrainStep's last argument): it
// sees the gradient after backward and before clipping, what it writes is what the optimizer
// uses, and Train calls it once per step on the calling thread.
#include "transformer/trainer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "tests/testing/tiny_lm.h"
#include "transformer/model.h"

namespace wordspace::transformer {
namespace {

// A state ready for TrainStep: a tiny untied model (so the output layer has its own gradient)
// and zero AdamW moments.
LmState StepState() {
  LmState state = wordspace::testing::TinyLmState(
      {.vocab_size = 11, .context = 6, .d_model = 8, .layers = 2, .heads = 2, .tied = false}, 3);
  wordspace::testing::WidenWeights(state.model.get(), 3);
  state.train.steps = 10;
  state.has_optimizer = true;
  state.adam_m = AlignedBuffer(state.model->layout().buffer_size());
  state.adam_v = AlignedBuffer(state.model->layout().buffer_size());
  return state;
}

std::vector<float> Copy(std::span<const float> x) { return {x.begin(), x.end()}; }

const std::vector<int32_t> kX = {1, 2, 3, 4, 5, 6}, kY = {2, 3, 4, 5, 6, 7};
const std::vector<int32_t> kX2 = {7, 0, 9, 9, 2, 10}, kY2 = {0, 9, 9, 2, 10, 4};

TEST_CASE("A gradient hook that zeroes the gradient leaves only the weight decay",
          "[transformer][trainer]") {
  const double lr = 1e-2;
  LmState plain = StepState(), hooked = StepState();
  const std::vector<float> p0 = Copy(plain.model->params());
  double plain_norm = 0, hooked_norm = -1;
  TrainStep(&plain, kX.data(), kY.data(), 1, 6, lr, 1, &plain_norm);
  TrainStep(&hooked, kX.data(), kY.data(), 1, 6, lr, 1, &hooked_norm,
            [](std::span<float> g) { std::fill(g.begin(), g.end(), 0.0f); });
  CHECK(plain_norm > 0);
  CHECK(hooked_norm == 0);
  CHECK(hooked.step == 1);
  const ParameterLayout& layout = hooked.model->layout();
  const std::span<const float> p = hooked.model->params();
  int64_t changed_without_hook = 0;
  for (int i = 0; i < kNumParamTensors; ++i) {
    const TensorInfo& t = layout.tensor(i);
    const float decay =
        t.weight_decay ? static_cast<float>(1.0 - lr * hooked.train.optimizer.weight_decay) : 1.0f;
    for (size_t j = t.offset; j < t.offset + t.size; ++j) {
      REQUIRE(p[j] == p0[j] * decay);
      changed_without_hook += plain.model->params()[j] != p0[j] * decay;
    }
  }
  CHECK(changed_without_hook > static_cast<int64_t>(p.size()) / 2);
}

TEST_CASE("The gradient hook runs before the norm and the clipping", "[transformer][trainer]") {
  for (double clip : {0.0, 1e-3}) {
    INFO("clip " << clip);
    LmState plain = StepState(), hooked = StepState();
    plain.train.optimizer.clip = hooked.train.optimizer.clip = clip;
    double plain_norm = 0, hooked_norm = 0;
    TrainStep(&plain, kX.data(), kY.data(), 1, 6, 1e-2, 1, &plain_norm);
    TrainStep(&hooked, kX.data(), kY.data(), 1, 6, 1e-2, 1, &hooked_norm, [](std::span<float> g) {
      for (float& x : g) x *= 2;
    });
    // Doubling a float is exact, so the reported norm (before clipping) doubles exactly.
    REQUIRE(plain_norm > clip);
    CHECK(hooked_norm == 2 * plain_norm);
    // The gradient left after the step is what the optimizer used: clipped to the same vector
    // when clipping is on (the hook came first), twice the plain one when it is off.
    const std::vector<float> g = Copy(plain.model->grads()), h = Copy(hooked.model->grads());
    const float scale = clip > 0 ? 1.0f : 2.0f;
    for (size_t j = 0; j < g.size(); ++j) {
      REQUIRE(h[j] == Approx(scale * g[j]).margin(1e-9));
    }
  }
}

TEST_CASE("A hook that averages in a second batch's gradient equals training on both",
          "[transformer][trainer]") {
  // What a data-parallel all-reduce does with two ranks: each computes the gradient of its own
  // batch, the hook replaces it with the mean, and every rank steps with that.
  LmState both = StepState(), rank0 = StepState();
  Model rank1(rank0.model->config());
  std::copy(rank0.model->params().begin(), rank0.model->params().end(), rank1.params().begin());
  std::vector<int32_t> x = kX, y = kY;
  x.insert(x.end(), kX2.begin(), kX2.end());
  y.insert(y.end(), kY2.begin(), kY2.end());
  double both_norm = 0, rank0_norm = 0;
  TrainStep(&both, x.data(), y.data(), 2, 6, 1e-2, 1, &both_norm);
  int calls = 0;
  TrainStep(&rank0, kX.data(), kY.data(), 1, 6, 1e-2, 1, &rank0_norm, [&](std::span<float> g) {
    ++calls;
    REQUIRE(g.size() == rank1.grads().size());
    rank1.ForwardBackward(kX2.data(), kY2.data(), 1, 6, 1);
    for (size_t j = 0; j < g.size(); ++j) g[j] = (g[j] + rank1.grads()[j]) / 2;
  });
  CHECK(calls == 1);
  CHECK(rank0_norm == Approx(both_norm).epsilon(1e-5));
  // The gradients the optimizer used agree up to the rounding of the two summation orders (the
  // parameters then agree too, except where Adam's first step divides a near-zero gradient by
  // its own size, which amplifies that rounding).
  const std::vector<float> a = Copy(both.model->grads()), b = Copy(rank0.model->grads());
  int64_t nonzero = 0;
  for (size_t j = 0; j < a.size(); ++j) {
    REQUIRE(b[j] == Approx(a[j]).margin(1e-6));
    nonzero += a[j] != 0;
  }
  CHECK(nonzero > static_cast<int64_t>(a.size()) / 2);
}

TEST_CASE("Train calls the gradient hook once per step, on the calling thread",
          "[transformer][trainer]") {
  LmState state = wordspace::testing::TinyLmState(
      {.vocab_size = 11, .context = 6, .d_model = 8, .layers = 1, .heads = 2}, 4);
  state.train.batch = 2;
  state.train.steps = 5;
  std::mt19937 rng(1);
  std::vector<int32_t> ids(200);
  for (int32_t& id : ids) id = static_cast<int32_t>(rng() % 11);
  TrainRunOptions run;
  run.threads = 2;
  run.stop_after = 3;
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<size_t> sizes;
  bool same_thread = true;
  run.gradient_hook = [&](std::span<float> g) {
    sizes.push_back(g.size());
    same_thread &= std::this_thread::get_id() == caller;
  };
  auto result = Train(&state, ids, nullptr, run);
  REQUIRE(result.ok());
  CHECK(result->steps == 3);
  CHECK(sizes == std::vector<size_t>(3, state.model->layout().buffer_size()));
  CHECK(same_thread);
}

TEST_CASE("The final validation pass reports its progress, and the ETA counts it",
          "[transformer][trainer]") {
  LmState state = wordspace::testing::TinyLmState(
      {.vocab_size = 11, .context = 6, .d_model = 8, .layers = 1, .heads = 2}, 4);
  state.train.batch = 2;
  state.train.steps = 4;
  std::mt19937 rng(2);
  std::vector<int32_t> ids(200), valid(600);
  for (int32_t& id : ids) id = static_cast<int32_t>(rng() % 11);
  for (int32_t& id : valid) id = static_cast<int32_t>(rng() % 11);
  TrainRunOptions run;
  run.threads = 1;
  std::vector<double> step_etas, final_fractions;
  int steps_reported_after_final = 0;
  auto result = Train(&state, ids, &valid, run, [&](const TrainProgress& p) {
    if (p.final_validation) {
      final_fractions.push_back(p.final_validation_fraction);
      CHECK(p.eta_seconds >= 0);
    } else {
      if (!final_fractions.empty()) ++steps_reported_after_final;
      step_etas.push_back(p.eta_seconds);
    }
  });
  REQUIRE(result.ok());
  CHECK(result->valid_targets == 599);
  // 599 targets in windows of 6 with stride 3, 16 windows a pass: several passes, the last
  // complete; they come after every step.
  REQUIRE(final_fractions.size() >= 2);
  CHECK(std::is_sorted(final_fractions.begin(), final_fractions.end()));
  CHECK(final_fractions.back() == 1.0);
  CHECK(steps_reported_after_final == 0);
  // After the last step no training is left, but the final pass still is.
  REQUIRE(step_etas.size() == 4);
  CHECK(step_etas.back() > 0);
}

}  // namespace
}  // namespace wordspace::transformer
