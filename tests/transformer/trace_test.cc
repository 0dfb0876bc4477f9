// The inspection forward pass (Model::Trace, LanguageModel::Trace and ReadOut):
// the residual stream decomposes exactly into the embeddings plus every block's
// two updates, attention rows are causal distributions, and reading the last
// residual out gives the model's own next-token distribution.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "tests/testing/tiny_lm.h"
#include "transformer/language_model.h"
#include "transformer/model.h"

namespace wordspace::transformer {
namespace {

LanguageModel RandomLm(uint64_t seed) {
  LmState state = wordspace::testing::TinyLmState(
      {.vocab_size = 13, .context = 9, .d_model = 16, .layers = 3, .heads = 4}, seed);
  // Weights well above the 0.02 init, so that every update is far from zero.
  wordspace::testing::WidenWeights(state.model.get(), seed);
  return LanguageModel::FromState(std::move(state));
}

const std::vector<int32_t> kWindow = {1, 4, 2, 9, 12, 0, 3, 3, 7};

TEST_CASE("Embeddings plus every update equal the final residual", "[transformer][trace]") {
  LanguageModel lm = RandomLm(3);
  auto trace = lm.Trace(kWindow);
  REQUIRE(trace.ok());
  const int L = trace->L, T = trace->T, C = trace->C;
  REQUIRE(L == 3);
  REQUIRE(T == 9);
  double largest_update = 0;
  for (int t = 0; t < T; ++t) {
    std::vector<double> sum(trace->Residual(0, t).begin(), trace->Residual(0, t).end());
    // The embeddings are wte[id] + wpe[t].
    const auto wte = lm.TokenEmbedding(kWindow[t]);
    const float* wpe = lm.model().param(kWpe).data() + t * C;
    for (int c = 0; c < C; ++c) CHECK(sum[c] == Approx(wte[c] + wpe[c]).margin(1e-6));
    for (int l = 0; l < L; ++l) {
      for (int c = 0; c < C; ++c) {
        sum[c] += trace->AttnUpdate(l, t)[c] + trace->FfUpdate(l, t)[c];
        largest_update = std::max(largest_update, std::fabs(double{trace->FfUpdate(l, t)[c]}));
      }
      // Block by block, too.
      for (int c = 0; c < C; ++c)
        CHECK(sum[c] == Approx(trace->Residual(l + 1, t)[c]).margin(1e-5));
    }
  }
  CHECK(largest_update > 0.1);  // the updates are not trivially zero
}

TEST_CASE("The modern block's residual decomposes too, with wte alone as the embeddings",
          "[transformer][trace]") {
  ModelConfig config{.vocab_size = 13, .context = 9, .d_model = 16, .layers = 2, .heads = 4};
  REQUIRE(config.SetBlock("modern").ok());
  LmState state = wordspace::testing::TinyLmState(config, 5);
  wordspace::testing::WidenWeights(state.model.get(), 5);
  LanguageModel lm = LanguageModel::FromState(std::move(state));
  auto trace = lm.Trace(kWindow);
  REQUIRE(trace.ok());
  const int L = trace->L, T = trace->T, C = trace->C;
  CHECK(trace->H == 48);  // 8 * 16 / 3 = 42.7, rounded to a multiple of 16
  CHECK(trace->ff_hidden.size() == static_cast<size_t>(L) * T * trace->H);
  for (int t = 0; t < T; ++t) {
    std::vector<double> sum(trace->Residual(0, t).begin(), trace->Residual(0, t).end());
    const auto wte = lm.TokenEmbedding(kWindow[t]);
    for (int c = 0; c < C; ++c) CHECK(sum[c] == wte[c]);  // rotary: no position vector
    for (int l = 0; l < L; ++l) {
      for (int c = 0; c < C; ++c) sum[c] += trace->AttnUpdate(l, t)[c] + trace->FfUpdate(l, t)[c];
    }
    for (int c = 0; c < C; ++c) CHECK(sum[c] == Approx(trace->Residual(L, t)[c]).margin(1e-5));
  }
  // The last residual read out is the model's own distribution (the final norm is RMSNorm).
  const std::vector<float> logprobs = lm.NextLogProbs(kWindow);
  const std::vector<float> read = lm.ReadOut(trace->Residual(L, T - 1));
  REQUIRE(read.size() == logprobs.size());
  for (size_t v = 0; v < read.size(); ++v) CHECK(read[v] == Approx(logprobs[v]).margin(1e-5));
}

TEST_CASE("Attention rows are causal distributions", "[transformer][trace]") {
  LanguageModel lm = RandomLm(4);
  auto trace = lm.Trace(kWindow);
  REQUIRE(trace.ok());
  for (int l = 0; l < trace->L; ++l) {
    for (int h = 0; h < trace->NH; ++h) {
      for (int t = 0; t < trace->T; ++t) {
        auto row = trace->AttentionRow(l, h, t);
        double total = 0;
        for (int s = 0; s < trace->T; ++s) {
          if (s > t) CHECK(row[s] == 0.0f);
          CHECK(row[s] >= 0.0f);
          total += row[s];
        }
        CHECK(total == Approx(1.0).margin(1e-5));
      }
    }
  }
  // The first query can only see itself.
  CHECK(trace->AttentionRow(0, 0, 0)[0] == Approx(1.0f));
  CHECK(trace->H == 4 * trace->C);
  CHECK(trace->ff_hidden.size() == static_cast<size_t>(trace->L) * trace->T * trace->H);
}

TEST_CASE("The read-out of the last residual is the model's own distribution",
          "[transformer][trace]") {
  LanguageModel lm = RandomLm(5);
  const int V = lm.vocab_size(), T = static_cast<int>(kWindow.size());
  std::vector<float> own(static_cast<size_t>(T) * V);
  REQUIRE(lm.NextTokenLogProbs(kWindow, 1, T, own).ok());
  auto trace = lm.Trace(kWindow);
  REQUIRE(trace.ok());
  double spread = 0;
  for (int t = 0; t < T; ++t) {
    const std::vector<float> lens = lm.ReadOut(trace->Residual(trace->L, t));
    REQUIRE(static_cast<int>(lens.size()) == V);
    for (int v = 0; v < V; ++v) {
      CHECK(lens[v] == Approx(own[static_cast<size_t>(t) * V + v]).margin(1e-5));
      spread = std::max(spread, std::fabs(double{lens[v]} - lens[0]));
    }
    // An earlier layer reads out a different distribution.
    const std::vector<float> early = lm.ReadOut(trace->Residual(0, t));
    double diff = 0;
    for (int v = 0; v < V; ++v) diff = std::max(diff, std::fabs(double{early[v]} - lens[v]));
    CHECK(diff > 1e-3);
  }
  CHECK(spread > 0.1);  // far from uniform, so the comparison means something
  // A trace leaves the normal forward pass as it was.
  std::vector<float> again(own.size());
  REQUIRE(lm.NextTokenLogProbs(kWindow, 1, T, again).ok());
  CHECK(again == own);
}

TEST_CASE("Trace rejects bad windows", "[transformer][trace]") {
  LanguageModel lm = RandomLm(6);
  CHECK(!lm.Trace(std::vector<int32_t>{}).ok());
  CHECK(!lm.Trace(std::vector<int32_t>(10, 2)).ok());  // longer than the context
  CHECK(!lm.Trace(std::vector<int32_t>{2, 13}).ok());  // id outside the vocabulary
}

}  // namespace
}  // namespace wordspace::transformer
