#include "embeddings/skip_gram.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <vector>

#include "embeddings/input_rows.h"
#include "embeddings/negative_sampling_loss.h"

namespace wordspace::embeddings {
namespace {

constexpr int kDim = 16;  // one kSgnsRowFloats unit: rows need no padding
constexpr int kWords = 6;

struct Matrices {
  float* in;
  float* out;
  Matrices() {
    in = static_cast<float*>(std::aligned_alloc(64, kWords * kDim * sizeof(float)));
    out = static_cast<float*>(std::aligned_alloc(64, kWords * kDim * sizeof(float)));
    for (int i = 0; i < kWords * kDim; ++i) {
      in[i] = 0.01f * static_cast<float>((i * 7) % 11 - 5);
      out[i] = 0.0f;
    }
  }
  ~Matrices() {
    std::free(in);
    std::free(out);
  }
  bool InputRowChanged(int word, const Matrices& before) const {
    for (int k = 0; k < kDim; ++k) {
      if (in[word * kDim + k] != before.in[word * kDim + k]) return true;
    }
    return false;
  }
};

// Words 0..3 in a sentence of 10; words 4 and 5 are in the vocabulary (noise words) only.
const uint32_t kSentence[10] = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1};

TEST_CASE("both skip-gram loops train each neighbour pair of a window-1 sentence", "[embeddings]") {
  const NegativeSampler sampler({5, 5, 5, 5, 5, 5}, 0.75);
  const SigmoidTables tables;
  Matrices classic, batched, start;
  FastRng rng_c(1), rng_b(1);

  NegativeSamplingLoss loss_c(sampler, tables, classic.out, kDim, 3);
  std::vector<float> gradient(kDim);
  double loss_sum = 0;
  uint64_t pairs = 0;
  SkipGramClassicSentence(kSentence, 10, 0.05f, kDim, 1, WordRows(classic.in, kDim), loss_c, rng_c,
                          gradient.data(), &loss_sum, &pairs);
  CHECK(pairs == 18u);  // reach is always 1: 2·(10 − 1) (context, centre) pairs
  CHECK(loss_sum > 0);

  NegativeSamplingLoss loss_b(sampler, tables, batched.out, kDim, 3);
  loss_b.DrawNext(rng_b);
  std::vector<float*> in_rows(2), out_rows(loss_b.MaxTargets());
  float* scores = static_cast<float*>(std::aligned_alloc(64, 64 * sizeof(float)));
  float* g = static_cast<float*>(std::aligned_alloc(64, 64 * sizeof(float)));
  float* update = static_cast<float*>(
      std::aligned_alloc(64, SgnsUpdateScratch(2, loss_b.MaxTargets()) * sizeof(float)));
  SkipGramBatchScratch scratch{in_rows.data(), out_rows.data(), scores, g, update};
  uint64_t batched_pairs = 0;
  double batched_loss = 0;
  SkipGramBatchedSentence(kSentence, 10, 0.05f, 1, WordRows(batched.in, kDim), loss_b,
                          SgnsKernels::Portable(), kDim, rng_b, scratch, &batched_loss,
                          &batched_pairs);
  std::free(scores);
  std::free(g);
  std::free(update);
  CHECK(batched_pairs == 18u);
  CHECK(scratch.windows == 10u);

  // Only the sentence's words have their input rows trained, in both loops.
  for (int w = 0; w < kWords; ++w) {
    INFO("word " << w);
    CHECK(classic.InputRowChanged(w, start) == (w < 4));
    CHECK(batched.InputRowChanged(w, start) == (w < 4));
  }
}

}  // namespace
}  // namespace wordspace::embeddings
