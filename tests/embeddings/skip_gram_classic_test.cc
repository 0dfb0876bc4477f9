#include "embeddings/skip_gram_classic.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "base/aligned_buffer.h"
#include "base/cpu_features.h"
#include "embeddings/cbow.h"
#include "embeddings/huffman_tree.h"
#include "embeddings/skip_gram.h"
#include "embeddings/subword_skip_gram.h"

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

// The two losses over the same eight words, on a given output matrix.
struct MakeNegativeSampling {
  NegativeSamplingLoss operator()(float* out) const {
    static const NegativeSampler sampler({9, 8, 7, 6, 5, 4, 3, 2}, 0.75);
    static const SigmoidTables tables;
    return NegativeSamplingLoss(sampler, tables, out, kStride, 5);
  }
};
struct MakeHierarchicalSoftmax {
  HierarchicalSoftmaxLoss operator()(float* out) const {
    static const std::vector<int64_t> counts = {9, 8, 7, 6, 5, 4, 3, 2};
    static const HuffmanTree tree = HuffmanTree::Build(counts);
    static const SigmoidTables tables;
    return HierarchicalSoftmaxLoss(tree, tables, out, kStride);
  }
};

template <typename MakeLoss = MakeNegativeSampling, typename Train>
Trained TrainOnce(Train&& train) {
  AlignedBuffer in(kWords * kStride), out(kWords * kStride);
  for (int i = 0; i < kWords * kStride; ++i) {
    in.data()[i] = (i % kStride) < kDim ? 0.004f * static_cast<float>((i * 13) % 17 - 8) : 0.0f;
  }
  const auto loss = MakeLoss()(out.data());
  AlignedBuffer scratch(2 * kDim);
  FastRng rng(42);
  Trained t;
  for (int pass = 0; pass < 20; ++pass) {
    train(kSentence, 12, 0.05f, kDim, 3, WordRows(in.data(), kStride), loss, rng, scratch.data(),
          &t.loss, &t.pairs);
  }
  t.in.assign(in.data(), in.data() + kWords * kStride);
  t.out.assign(out.data(), out.data() + kWords * kStride);
  return t;
}

// The same for CBOW's batched loop, whose loss draws its noise words a window ahead.
template <typename MakeLoss = MakeNegativeSampling, typename Train>
Trained TrainBatchedCbowOnce(Train&& train) {
  AlignedBuffer in(kWords * kStride), out(kWords * kStride);
  for (int i = 0; i < kWords * kStride; ++i) {
    in.data()[i] = (i % kStride) < kDim ? 0.004f * static_cast<float>((i * 13) % 17 - 8) : 0.0f;
  }
  auto loss = MakeLoss()(out.data());
  AlignedBuffer mean(kDim), gradient(kDim), scores(loss.MaxTargets()),
      target_gradients(loss.MaxTargets());
  std::vector<float*> out_rows(loss.MaxTargets());
  CbowBatchScratch scratch{mean.data(), gradient.data(), out_rows.data(), scores.data(),
                           target_gradients.data()};
  FastRng rng(42);
  loss.DrawNext(rng);
  Trained t;
  for (int pass = 0; pass < 20; ++pass) {
    train(kSentence, 12, 0.05f, kDim, 3, WordRows(in.data(), kStride), loss, rng, scratch, &t.loss,
          &t.pairs);
  }
  t.in.assign(in.data(), in.data() + kWords * kStride);
  t.out.assign(out.data(), out.data() + kWords * kStride);
  return t;
}

template <typename Loss>
void CbowBatchedReference(const uint32_t* sentence, int length, float alpha, int dim, int window,
                          WordRows rows, Loss& loss, FastRng& rng, CbowBatchScratch& scratch,
                          double* loss_sum, uint64_t* windows) {
  CbowBatchedSentence(sentence, length, alpha, dim, window, rows, loss, rng, scratch, kLossSampling,
                      loss_sum, windows);
}

// The subword loops over the same sentence: eight words sharing n-grams of 2-4 code points in
// 50 buckets (a few shared by several n-grams), five passes, their input rows unpadded (as the trainer keeps them). `Scratch` is the loop's
// scratch: float* (2·dim floats), SubwordBatchScratch or CbowBatchScratch.
const SubwordTable& SmallSubwordTable() {
  static const SubwordTable table = SubwordTable::Build(
      {"alpha", "alps", "beta", "bet", "gamma", "game", "delta", "del"},
      {.minn = 2, .maxn = 4, .bucket = 50});
  return table;
}
template <typename MakeLoss, typename Scratch, typename Train>
Trained TrainSubwordsOnce(Train&& train) {
  const SubwordTable& table = SmallSubwordTable();
  const size_t in_floats = table.rows() * kDim;
  AlignedBuffer in(in_floats), out(kWords * kStride);
  for (size_t i = 0; i < in_floats; ++i) in.data()[i] = 0.004f * static_cast<float>((i * 13) % 17) - 0.03f;
  auto loss = MakeLoss()(out.data());
  const int max_targets = loss.MaxTargets(2 * 3);
  loss.ReserveTargets(2 * 3);
  AlignedBuffer vectors(2 * kDim), scores(max_targets), target_gradients(max_targets);
  std::vector<float*> out_rows(max_targets);
  std::vector<uint32_t> contexts(2 * 3);
  SubwordBatchScratch skip_gram{vectors.data(), vectors.data() + kDim, contexts.data(),
                                out_rows.data(), scores.data(), target_gradients.data()};
  CbowBatchScratch cbow{vectors.data(), vectors.data() + kDim, out_rows.data(), scores.data(),
                        target_gradients.data()};
  FastRng rng(42);
  loss.DrawNext(rng);
  Trained t;
  for (int pass = 0; pass < 5; ++pass) {
    const SubwordRows rows(table, in.data(), kDim);
    if constexpr (std::is_same_v<Scratch, SubwordBatchScratch>) {
      train(kSentence, 12, 0.05f, kDim, 3, rows, loss, rng, skip_gram, &t.loss, &t.pairs);
    } else if constexpr (std::is_same_v<Scratch, CbowBatchScratch>) {
      train(kSentence, 12, 0.05f, kDim, 3, rows, loss, rng, cbow, &t.loss, &t.pairs);
    } else {
      train(kSentence, 12, 0.05f, kDim, 3, rows, loss, rng, vectors.data(), &t.loss, &t.pairs);
    }
  }
  t.in.assign(in.data(), in.data() + in_floats);
  t.out.assign(out.data(), out.data() + kWords * kStride);
  return t;
}
template <typename Loss>
void SubwordSkipGramBatchedReference(const uint32_t* sentence, int length, float alpha, int dim,
                                     int window, SubwordRows rows, Loss& loss, FastRng& rng,
                                     SubwordBatchScratch& scratch, double* loss_sum,
                                     uint64_t* pairs) {
  SubwordSkipGramBatchedSentence(sentence, length, alpha, dim, window, rows, loss, rng, scratch,
                                 kLossSampling, loss_sum, pairs);
}
template <typename Loss>
void SubwordCbowBatchedReference(const uint32_t* sentence, int length, float alpha, int dim,
                                 int window, SubwordRows rows, Loss& loss, FastRng& rng,
                                 CbowBatchScratch& scratch, double* loss_sum, uint64_t* windows) {
  CbowBatchedSentence(sentence, length, alpha, dim, window, rows, loss, rng, scratch, kLossSampling,
                      loss_sum, windows);
}

// Every subword loop with both losses: the per-level entry points of `level` (skip_gram_classic.h)
// trained against `expected` (the templates, or the portable level).
template <typename Check, typename Loops>
void CheckSubwordLoops(Loops&& level, Check&& check) {
  using Ns = MakeNegativeSampling;
  using Hs = MakeHierarchicalSoftmax;
  using Batch = SubwordBatchScratch;
  using Cbow = CbowBatchScratch;
  check(TrainSubwordsOnce<Ns, float*>(level(kSubwordSkipGramSentence)),
        TrainSubwordsOnce<Ns, float*>(SubwordSkipGramClassicSentence<NegativeSamplingLoss>));
  check(TrainSubwordsOnce<Hs, float*>(level(kSubwordSkipGramSentenceHs)),
        TrainSubwordsOnce<Hs, float*>(SubwordSkipGramClassicSentence<HierarchicalSoftmaxLoss>));
  check(TrainSubwordsOnce<Ns, Batch>(level(kSubwordSkipGramBatchedSentence)),
        TrainSubwordsOnce<Ns, Batch>(SubwordSkipGramBatchedReference<NegativeSamplingLoss>));
  check(TrainSubwordsOnce<Hs, Batch>(level(kSubwordSkipGramBatchedSentenceHs)),
        TrainSubwordsOnce<Hs, Batch>(SubwordSkipGramBatchedReference<HierarchicalSoftmaxLoss>));
  check(TrainSubwordsOnce<Ns, float*>(level(kSubwordCbowSentence)),
        TrainSubwordsOnce<Ns, float*>(CbowSentence<SubwordRows, NegativeSamplingLoss>));
  check(TrainSubwordsOnce<Hs, float*>(level(kSubwordCbowSentenceHs)),
        TrainSubwordsOnce<Hs, float*>(CbowSentence<SubwordRows, HierarchicalSoftmaxLoss>));
  check(TrainSubwordsOnce<Ns, Cbow>(level(kSubwordCbowBatchedSentence)),
        TrainSubwordsOnce<Ns, Cbow>(SubwordCbowBatchedReference<NegativeSamplingLoss>));
  check(TrainSubwordsOnce<Hs, Cbow>(level(kSubwordCbowBatchedSentenceHs)),
        TrainSubwordsOnce<Hs, Cbow>(SubwordCbowBatchedReference<HierarchicalSoftmaxLoss>));
}

void CheckSameBits(const Trained& a, const Trained& b) {
  CHECK(a.pairs == b.pairs);
  CHECK(a.loss == b.loss);
  CHECK(a.in == b.in);
  CHECK(a.out == b.out);
}

void CheckClose(const Trained& t, const Trained& portable) {
  CHECK(t.pairs == portable.pairs);
  CHECK(t.loss == Approx(portable.loss).epsilon(1e-5));
  double worst = 0;
  REQUIRE(t.in.size() == portable.in.size());
  REQUIRE(t.out.size() == portable.out.size());
  for (size_t i = 0; i < t.in.size(); ++i) {
    worst = std::max(worst, static_cast<double>(std::fabs(t.in[i] - portable.in[i])));
  }
  for (size_t i = 0; i < t.out.size(); ++i) {
    worst = std::max(worst, static_cast<double>(std::fabs(t.out[i] - portable.out[i])));
  }
  CHECK(worst < 1e-5);
}

TEST_CASE("the portable classic loop is the skip-gram template, bit for bit", "[embeddings]") {
  CheckSameBits(TrainOnce(internal::ClassicSentencePortable),
                TrainOnce(SkipGramClassicSentence<WordRows, NegativeSamplingLoss>));
}

TEST_CASE("the portable hierarchical-softmax and CBOW loops are their templates, bit for bit",
          "[embeddings]") {
  using Hs = MakeHierarchicalSoftmax;
  CheckSameBits(TrainOnce<Hs>(internal::ClassicSentenceHsPortable),
                TrainOnce<Hs>(SkipGramClassicSentence<WordRows, HierarchicalSoftmaxLoss>));
  CheckSameBits(TrainOnce(internal::CbowSentencePortable),
                TrainOnce(CbowSentence<WordRows, NegativeSamplingLoss>));
  CheckSameBits(TrainOnce<Hs>(internal::CbowSentenceHsPortable),
                TrainOnce<Hs>(CbowSentence<WordRows, HierarchicalSoftmaxLoss>));
  CheckSameBits(TrainBatchedCbowOnce(internal::CbowBatchedSentencePortable),
                TrainBatchedCbowOnce(CbowBatchedReference<NegativeSamplingLoss>));
  CheckSameBits(TrainBatchedCbowOnce<Hs>(internal::CbowBatchedSentenceHsPortable),
                TrainBatchedCbowOnce<Hs>(CbowBatchedReference<HierarchicalSoftmaxLoss>));
  // CBOW trains one step per window: the sentence's 12 windows, 20 times.
  CHECK(TrainOnce(internal::CbowSentencePortable).pairs == 12 * 20);
  CHECK(TrainBatchedCbowOnce(internal::CbowBatchedSentencePortable).pairs == 12 * 20);
  // Both CBOW losses train the same sentence differently from each other and from the per-pair
  // loop (the batched one draws its noise words from a pool, a window ahead).
  CHECK(TrainBatchedCbowOnce(internal::CbowBatchedSentencePortable).in !=
        TrainOnce(internal::CbowSentencePortable).in);
}

TEST_CASE("the portable subword loops are their templates, bit for bit", "[embeddings]") {
  CheckSubwordLoops([](const auto& kernels) { return kernels.For(Isa::kPortable); },
                    [](const Trained& a, const Trained& b) { CheckSameBits(a, b); });
  // The batched subword skip-gram loop trains differently from fastText's loop.
  const Trained classic = TrainSubwordsOnce<MakeNegativeSampling, float*>(
      internal::SubwordSkipGramSentencePortable);
  const Trained batched = TrainSubwordsOnce<MakeNegativeSampling, SubwordBatchScratch>(
      internal::SubwordSkipGramBatchedSentencePortable);
  CHECK(classic.in != batched.in);
}

TEST_CASE("every level of the subword loops this CPU runs trains as the portable one",
          "[embeddings]") {
  for (Isa isa : kAllIsas) {
    if (!CpuSupports(isa)) continue;
    INFO("level " << IsaName(isa));
    // Each level against the portable entry point (both built from the same templates).
    auto level = [isa](const auto& kernels) { return kernels.For(isa); };
    auto portable = [](const auto& kernels) { return kernels.For(Isa::kPortable); };
    using Ns = MakeNegativeSampling;
    using Hs = MakeHierarchicalSoftmax;
    CheckClose(TrainSubwordsOnce<Ns, float*>(level(kSubwordSkipGramSentence)),
               TrainSubwordsOnce<Ns, float*>(portable(kSubwordSkipGramSentence)));
    CheckClose(TrainSubwordsOnce<Hs, SubwordBatchScratch>(level(kSubwordSkipGramBatchedSentenceHs)),
               TrainSubwordsOnce<Hs, SubwordBatchScratch>(portable(kSubwordSkipGramBatchedSentenceHs)));
    CheckClose(TrainSubwordsOnce<Ns, SubwordBatchScratch>(level(kSubwordSkipGramBatchedSentence)),
               TrainSubwordsOnce<Ns, SubwordBatchScratch>(portable(kSubwordSkipGramBatchedSentence)));
    CheckClose(TrainSubwordsOnce<Ns, CbowBatchScratch>(level(kSubwordCbowBatchedSentence)),
               TrainSubwordsOnce<Ns, CbowBatchScratch>(portable(kSubwordCbowBatchedSentence)));
  }
}

TEST_CASE("every level of the per-pair loops this CPU runs trains as the portable one",
          "[embeddings]") {
  using Hs = MakeHierarchicalSoftmax;
  for (Isa isa : kAllIsas) {
    if (!CpuSupports(isa)) continue;
    INFO("level " << IsaName(isa));
    CheckClose(TrainOnce(kClassicSentence.For(isa)), TrainOnce(internal::ClassicSentencePortable));
    CheckClose(TrainOnce<Hs>(kClassicSentenceHs.For(isa)),
               TrainOnce<Hs>(internal::ClassicSentenceHsPortable));
    CheckClose(TrainOnce(kCbowSentence.For(isa)), TrainOnce(internal::CbowSentencePortable));
    CheckClose(TrainOnce<Hs>(kCbowSentenceHs.For(isa)),
               TrainOnce<Hs>(internal::CbowSentenceHsPortable));
    CheckClose(TrainBatchedCbowOnce(kCbowBatchedSentence.For(isa)),
               TrainBatchedCbowOnce(internal::CbowBatchedSentencePortable));
    CheckClose(TrainBatchedCbowOnce<Hs>(kCbowBatchedSentenceHs.For(isa)),
               TrainBatchedCbowOnce<Hs>(internal::CbowBatchedSentenceHsPortable));
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
  REQUIRE(SetIsaLimit(Isa::kPortable).ok());
  CHECK(kClassicSentenceHs.Active() == &internal::ClassicSentenceHsPortable);
  CHECK(kCbowSentence.Active() == &internal::CbowSentencePortable);
  CHECK(kCbowSentenceHs.Active() == &internal::CbowSentenceHsPortable);
  CHECK(kCbowBatchedSentence.Active() == &internal::CbowBatchedSentencePortable);
  ClearIsaLimit();
  CHECK(kClassicSentence.Active() == kClassicSentence.For(BestSupportedIsa()));
  CHECK(kCbowSentenceHs.Active() == kCbowSentenceHs.For(BestSupportedIsa()));
}

}  // namespace
}  // namespace wordspace::embeddings
