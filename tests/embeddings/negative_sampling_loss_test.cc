#include "embeddings/negative_sampling_loss.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

namespace wordspace::embeddings {
namespace {

constexpr int kStride = 16;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

TEST_CASE("Pair steps the target and each noise word by alpha·(label − σ(score))", "[embeddings]") {
  // Two words with all the noise mass on word 1, so the one noise word is always word 1.
  const NegativeSampler sampler({0, 1}, 1.0);
  const SigmoidTables tables;
  std::vector<float> output(2 * kStride, 0.0f);
  for (int k = 0; k < 4; ++k) {
    output[k] = 0.5f;              // target, word 0
    output[kStride + k] = -0.25f;  // noise, word 1
  }
  const std::vector<float> before = output;
  const NegativeSamplingLoss loss(sampler, tables, output.data(), kStride, 1);
  std::vector<float> in(kStride, 0.0f), gradient(kStride, 0.0f);
  for (int k = 0; k < 4; ++k) in[k] = 0.25f;
  FastRng rng(3);
  const float alpha = 0.1f;
  const double loss_sum = loss.Pair(in.data(), 0, alpha, 4, gradient.data(), rng, 1.0) - 1.0;

  const double score_target = 4 * 0.25 * 0.5, score_noise = 4 * 0.25 * -0.25;
  const double g_target = alpha * (1 - Sigmoid(score_target));
  const double g_noise = alpha * (0 - Sigmoid(score_noise));
  for (int k = 0; k < 4; ++k) {
    // Tabulated σ: within a grid step (12/1024) times σ's slope (at most 1/4).
    CHECK(gradient[k] == Approx(g_target * 0.5 + g_noise * -0.25).margin(1e-3));
    CHECK(output[k] == Approx(0.5 + g_target * 0.25).margin(1e-3));
    CHECK(output[kStride + k] == Approx(-0.25 + g_noise * 0.25).margin(1e-3));
  }
  for (int k = 4; k < kStride; ++k) CHECK(output[k] == before[k]);
  CHECK(loss_sum ==
        Approx(-std::log(Sigmoid(score_target)) - std::log(Sigmoid(-score_noise))).margin(1e-2));
}

TEST_CASE("Targets puts the target first and drops noise words equal to it", "[embeddings]") {
  const NegativeSampler sampler({0, 1}, 1.0);  // every noise word is word 1
  const SigmoidTables tables;
  std::vector<float> output(2 * kStride, 0.0f);
  NegativeSamplingLoss loss(sampler, tables, output.data(), kStride, 3);
  FastRng rng(1);
  loss.DrawNext(rng);
  std::vector<float*> rows(loss.MaxTargets());
  REQUIRE(loss.Targets(0, rows.data()) == 4);
  CHECK(rows[0] == output.data());
  for (int j = 1; j < 4; ++j) CHECK(rows[j] == output.data() + kStride);
  CHECK(loss.Targets(1, rows.data()) == 1);  // all three noise words were the target
  CHECK(rows[0] == output.data() + kStride);
}

TEST_CASE("Gradients and Loss label the target column 1 and the noise columns 0", "[embeddings]") {
  const NegativeSampler sampler({1, 1}, 1.0);
  const SigmoidTables tables;
  std::vector<float> output(2 * kStride, 0.0f);
  const NegativeSamplingLoss loss(sampler, tables, output.data(), kStride, 1);
  // B = 2 context rows, T = 2 targets; the saturated scores take word2vec.c's limits.
  const float scores[4] = {0.0f, 0.0f, 7.0f, -7.0f};
  float g[4];
  loss.Gradients(scores, 2, 2, 0.5f, g);
  CHECK(g[0] == Approx(0.25).margin(2e-3));   // 0.5·(1 − σ(0))
  CHECK(g[1] == Approx(-0.25).margin(2e-3));  // 0.5·(0 − σ(0))
  CHECK(g[2] == 0.0f);                        // target far above: σ = 1
  CHECK(g[3] == 0.0f);                        // noise far below: σ = 0
  // −log σ(0) twice, then −log σ(7) = 0 and −log σ(7) = 0 beyond the table.
  CHECK(loss.Loss(scores, 2, 2) == Approx(2 * std::log(2.0)).margin(1e-2));
}

}  // namespace
}  // namespace wordspace::embeddings
