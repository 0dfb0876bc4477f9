#include "embeddings/skip_gram_classic.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "base/aligned_buffer.h"
#include "base/cpu_features.h"
#include "embeddings/skip_gram.h"

namespace wordspace::embeddings {
namespace {

constexpr int kDim = 100;     // word2vec.c's default: six 16-float blocks and a tail
constexpr int kStride = 112;  // PaddedDim(100)
constexpr int kWords = 8;
const uint32_t kSentence[12] = {0, 1, 2, 3, 4, 5, 6, 7, 0, 2, 4, 6};

// The input and output matrices after one pass of `train` over kSentence from a fixed start.
struct Trained {
  std::vector<float> in, out;
  double loss = 0;
  uint64_t pairs = 0;
};

template <typename Train>
Trained TrainOnce(Train&& train) {
  AlignedBuffer in(kWords * kStride), out(kWords * kStride);
  for (int i = 0; i < kWords * kStride; ++i) {
    in.data()[i] = (i % kStride) < kDim ? 0.004f * static_cast<float>((i * 13) % 17 - 8) : 0.0f;
  }
  const NegativeSampler sampler({9, 8, 7, 6, 5, 4, 3, 2}, 0.75);
  const SigmoidTables tables;
  const NegativeSamplingLoss loss(sampler, tables, out.data(), kStride, 5);
  AlignedBuffer gradient(kDim);
  FastRng rng(42);
  Trained t;
  for (int pass = 0; pass < 20; ++pass) {
    train(kSentence, 12, 0.05f, kDim, 3, WordRows(in.data(), kStride), loss, rng, gradient.data(),
          &t.loss, &t.pairs);
  }
  t.in.assign(in.data(), in.data() + kWords * kStride);
  t.out.assign(out.data(), out.data() + kWords * kStride);
  return t;
}

TEST_CASE("the portable classic loop is the skip-gram template, bit for bit", "[embeddings]") {
  const Trained reference = TrainOnce(SkipGramClassicSentence<WordRows, NegativeSamplingLoss>);
  const Trained portable = TrainOnce(internal::ClassicSentencePortable);
  CHECK(portable.pairs == reference.pairs);
  CHECK(portable.loss == reference.loss);
  CHECK(portable.in == reference.in);
  CHECK(portable.out == reference.out);
}

TEST_CASE("every level of the classic loop this CPU runs trains as the portable one",
          "[embeddings]") {
  const Trained portable = TrainOnce(internal::ClassicSentencePortable);
  for (Isa isa : kAllIsas) {
    if (!CpuSupports(isa)) continue;
    INFO("level " << IsaName(isa));
    const Trained t = TrainOnce(kClassicSentence.For(isa));
    CHECK(t.pairs == portable.pairs);
    CHECK(t.loss == Approx(portable.loss).epsilon(1e-5));
    double worst = 0;
    for (size_t i = 0; i < t.in.size(); ++i) {
      worst = std::max(worst, static_cast<double>(std::fabs(t.in[i] - portable.in[i])));
      worst = std::max(worst, static_cast<double>(std::fabs(t.out[i] - portable.out[i])));
    }
    CHECK(worst < 1e-5);
  }
}

TEST_CASE("the instruction-set limit (--isa) chooses the classic loop's variant", "[embeddings]") {
  REQUIRE(SetIsaLimit(Isa::kPortable).ok());
  CHECK(kClassicSentence.Active() == &internal::ClassicSentencePortable);
  if (CpuSupports(Isa::kAvx2)) {
    REQUIRE(SetIsaLimit(Isa::kAvx2).ok());
    CHECK(kClassicSentence.Active() == kClassicSentence.avx2);
    CHECK(kClassicSentence.Active() != &internal::ClassicSentencePortable);
  }
  ClearIsaLimit();
  CHECK(kClassicSentence.Active() == kClassicSentence.For(BestSupportedIsa()));
}

}  // namespace
}  // namespace wordspace::embeddings
