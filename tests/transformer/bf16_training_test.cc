// bf16 matrix products in training (transformer/gemm.h's SetGemmPrecision): 300 steps of a
// small model on a learnable token stream follow fp32's loss curve within 1 %, and the model
// learns (the curve falls well below the uniform guess). Skipped on CPUs without AVX512_BF16.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "base/aligned_buffer.h"
#include "base/cpu_features.h"
#include "tests/testing/tiny_lm.h"
#include "transformer/gemm.h"
#include "transformer/trainer.h"

namespace wordspace::transformer {
namespace {

constexpr int kVocab = 96, kContext = 32, kBatch = 8, kSteps = 300, kWindow = 50;

// A stream where each token has three possible successors (a fixed random choice per token):
// the best achievable loss is about log 3, far below the uniform log 96.
std::vector<int32_t> MarkovStream(int length) {
  std::mt19937 rng(21);
  std::uniform_int_distribution<int> token(2, kVocab - 1), pick(0, 2);
  std::vector<std::array<int32_t, 3>> next(kVocab);
  for (auto& n : next) n = {token(rng), token(rng), token(rng)};
  std::vector<int32_t> stream = {2};
  while (static_cast<int>(stream.size()) < length) stream.push_back(next[stream.back()][pick(rng)]);
  return stream;
}

// The mean loss of each kWindow-step window over kSteps steps at the current precision, with
// the same initial weights and batches every time.
std::vector<double> LossCurve() {
  LmState state = wordspace::testing::TinyLmState(
      {.vocab_size = kVocab, .context = kContext, .d_model = 64, .layers = 2, .heads = 2}, 9);
  state.train.steps = kSteps;
  state.has_optimizer = true;
  state.adam_m = AlignedBuffer(state.model->layout().buffer_size());
  state.adam_v = AlignedBuffer(state.model->layout().buffer_size());
  const std::vector<int32_t> stream = MarkovStream(20000);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> start(0, static_cast<int>(stream.size()) - kContext - 2);
  std::vector<int32_t> x(kBatch * kContext), y(kBatch * kContext);
  std::vector<double> windows;
  double sum = 0;
  for (int step = 0; step < kSteps; ++step) {
    for (int b = 0; b < kBatch; ++b) {
      const int s = start(rng);
      for (int t = 0; t < kContext; ++t) {
        x[b * kContext + t] = stream[s + t];
        y[b * kContext + t] = stream[s + t + 1];
      }
    }
    sum += TrainStep(&state, x.data(), y.data(), kBatch, kContext, 3e-3, 2);
    if ((step + 1) % kWindow == 0) {
      windows.push_back(sum / kWindow);
      sum = 0;
    }
  }
  return windows;
}

TEST_CASE("bf16 products train along fp32's loss curve, within 1 % over 300 steps",
          "[transformer][bf16]") {
  if (!CpuHasAvx512Bf16()) {
    WARN("skipping: this CPU has no AVX512_BF16");
    return;
  }
  REQUIRE(SetGemmPrecision(GemmPrecision::kFp32).ok());
  const std::vector<double> fp32 = LossCurve();
  REQUIRE(SetGemmPrecision(GemmPrecision::kBf16).ok());
  const std::vector<double> bf16 = LossCurve();
  REQUIRE(SetGemmPrecision(GemmPrecision::kFp32).ok());
  REQUIRE(fp32.size() == bf16.size());
  for (size_t w = 0; w < fp32.size(); ++w) {
    INFO("steps " << w * kWindow << "-" << (w + 1) * kWindow << ": fp32 " << fp32[w] << ", bf16 "
                  << bf16[w]);
    CHECK(std::fabs(bf16[w] - fp32[w]) <= 0.01 * fp32[w]);
  }
  // The bf16 run did round (its curve is not fp32's to the last bit), and the model learned
  // something, so the agreement is not that of two flat curves.
  CHECK(bf16 != fp32);
  CHECK(fp32.back() < 0.6 * std::log(static_cast<double>(kVocab)));
}

}  // namespace
}  // namespace wordspace::transformer
