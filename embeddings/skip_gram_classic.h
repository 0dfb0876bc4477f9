// The word-vector loops written as plain loops, compiled once per instruction-set level and
// chosen the way every kernel is (base/isa_dispatch.h), so `--isa` pins them too: skip-gram's
// classic loop (skip_gram.h's SkipGramClassicSentence: word2vec.c's per-pair loop) and CBOW's
// two loops (cbow.h), each with negative sampling and with hierarchical softmax, over one input
// row per word; and the same over subword rows (subwords.h), with subword skip-gram's two loops.
// (Skip-gram's batched loop over one row per word calls the SIMD kernels of sgns_kernels.h.)
//
// Each level is its own unit, compiled whole for that level (per-file flags in
// embeddings/CMakeLists.txt), because the loops are composed from inline parts (the model, the
// loss, the rows, the generator) that must be compiled for the level along with them: a
// function given a target attribute does not inline parts compiled for the baseline. The units
// define nothing but their entry points (tests/embeddings/isa_units_test.sh checks the
// objects), so no part compiled for a wide level is ever shared with the baseline code.
//
//   const ClassicSentenceFn train = kClassicSentence.Active();
//   train(sentence, n, alpha, dim, window, rows, loss, rng, scratch, &loss_sum, &pairs);
#ifndef WORDSPACE_EMBEDDINGS_SKIP_GRAM_CLASSIC_H_
#define WORDSPACE_EMBEDDINGS_SKIP_GRAM_CLASSIC_H_

#include <cstdint>

#include "base/isa_dispatch.h"
#include "base/random.h"
#include "embeddings/cbow.h"
#include "embeddings/hierarchical_softmax_loss.h"
#include "embeddings/input_rows.h"
#include "embeddings/negative_sampling_loss.h"
#include "embeddings/subword_skip_gram.h"

namespace wordspace::embeddings {

// Trains sentence[0, length): every (context, centre) pair (skip-gram) or every window (CBOW).
// `scratch` holds 2·dim floats. `rows` comes by value, so that its fields live in the loop's
// frame and are not reloaded for every pair (callgrind: 0.3% fewer instructions than by
// reference).
template <typename Loss>
using SentenceSignature = void(const uint32_t* sentence, int length, float alpha, int dim,
                               int window, WordRows rows, const Loss& loss, FastRng& rng,
                               float* scratch, double* loss_sum, uint64_t* pairs);
using ClassicSentenceSignature = SentenceSignature<NegativeSamplingLoss>;
using ClassicSentenceHsSignature = SentenceSignature<HierarchicalSoftmaxLoss>;
using ClassicSentenceFn = ClassicSentenceSignature*;
using ClassicSentenceHsFn = ClassicSentenceHsSignature*;

// CBOW's batched loop (CbowBatchedSentence, the loss sampled one window in kLossSampling).
template <typename Loss>
using CbowBatchedSignature = void(const uint32_t* sentence, int length, float alpha, int dim,
                                  int window, WordRows rows, Loss& loss, FastRng& rng,
                                  CbowBatchScratch& scratch, double* loss_sum, uint64_t* windows);
using CbowBatchedFn = CbowBatchedSignature<NegativeSamplingLoss>*;
using CbowBatchedHsFn = CbowBatchedSignature<HierarchicalSoftmaxLoss>*;

// The loops over subword rows (subwords.h): subword skip-gram's two (subword_skip_gram.h) and
// CBOW's two, whose context mean then spans every context word's n-gram rows.
template <typename Loss>
using SubwordSentenceSignature = void(const uint32_t* sentence, int length, float alpha, int dim,
                                      int window, SubwordRows rows, const Loss& loss, FastRng& rng,
                                      float* scratch, double* loss_sum, uint64_t* pairs);
template <typename Loss>
using SubwordBatchedSignature = void(const uint32_t* sentence, int length, float alpha, int dim,
                                     int window, SubwordRows rows, Loss& loss, FastRng& rng,
                                     SubwordBatchScratch& scratch, double* loss_sum,
                                     uint64_t* pairs);
template <typename Loss>
using SubwordCbowBatchedSignature = void(const uint32_t* sentence, int length, float alpha,
                                         int dim, int window, SubwordRows rows, Loss& loss,
                                         FastRng& rng, CbowBatchScratch& scratch,
                                         double* loss_sum, uint64_t* windows);
using NsLoss = NegativeSamplingLoss;
using HsLoss = HierarchicalSoftmaxLoss;

// The fourteen loops of one level: skip-gram's classic loop and CBOW's two, each with either
// loss, over one row per word; and the four subword loops with either loss.
#define WORDSPACE_DECLARE_SENTENCE_LOOPS(level)                                \
  ClassicSentenceSignature ClassicSentence##level;                             \
  ClassicSentenceHsSignature ClassicSentenceHs##level;                         \
  ClassicSentenceSignature CbowSentence##level;                                \
  ClassicSentenceHsSignature CbowSentenceHs##level;                            \
  CbowBatchedSignature<NegativeSamplingLoss> CbowBatchedSentence##level;       \
  CbowBatchedSignature<HierarchicalSoftmaxLoss> CbowBatchedSentenceHs##level;  \
  SubwordSentenceSignature<NsLoss> SubwordSkipGramSentence##level;             \
  SubwordSentenceSignature<HsLoss> SubwordSkipGramSentenceHs##level;           \
  SubwordBatchedSignature<NsLoss> SubwordSkipGramBatchedSentence##level;       \
  SubwordBatchedSignature<HsLoss> SubwordSkipGramBatchedSentenceHs##level;     \
  SubwordSentenceSignature<NsLoss> SubwordCbowSentence##level;                 \
  SubwordSentenceSignature<HsLoss> SubwordCbowSentenceHs##level;               \
  SubwordCbowBatchedSignature<NsLoss> SubwordCbowBatchedSentence##level;       \
  SubwordCbowBatchedSignature<HsLoss> SubwordCbowBatchedSentenceHs##level;

namespace internal {
WORDSPACE_DECLARE_SENTENCE_LOOPS(Portable)  // skip_gram_classic.cc
#if defined(__x86_64__) || defined(__i386__)
WORDSPACE_DECLARE_SENTENCE_LOOPS(Avx2)    // skip_gram_classic_avx2.cc
WORDSPACE_DECLARE_SENTENCE_LOOPS(Avx512)  // skip_gram_classic_avx512.cc
#endif
}  // namespace internal
#undef WORDSPACE_DECLARE_SENTENCE_LOOPS

#if defined(__x86_64__) || defined(__i386__)
#define WORDSPACE_SENTENCE_KERNELS(type, name)                                                \
  inline constexpr IsaKernels<type> k##name{&internal::name##Portable, &internal::name##Avx2, \
                                            &internal::name##Avx512};
#else
#define WORDSPACE_SENTENCE_KERNELS(type, name) \
  inline constexpr IsaKernels<type> k##name{&internal::name##Portable};
#endif
WORDSPACE_SENTENCE_KERNELS(ClassicSentenceFn, ClassicSentence)
WORDSPACE_SENTENCE_KERNELS(ClassicSentenceHsFn, ClassicSentenceHs)
WORDSPACE_SENTENCE_KERNELS(ClassicSentenceFn, CbowSentence)
WORDSPACE_SENTENCE_KERNELS(ClassicSentenceHsFn, CbowSentenceHs)
WORDSPACE_SENTENCE_KERNELS(CbowBatchedFn, CbowBatchedSentence)
WORDSPACE_SENTENCE_KERNELS(CbowBatchedHsFn, CbowBatchedSentenceHs)
WORDSPACE_SENTENCE_KERNELS(SubwordSentenceSignature<NsLoss>*, SubwordSkipGramSentence)
WORDSPACE_SENTENCE_KERNELS(SubwordSentenceSignature<HsLoss>*, SubwordSkipGramSentenceHs)
WORDSPACE_SENTENCE_KERNELS(SubwordBatchedSignature<NsLoss>*, SubwordSkipGramBatchedSentence)
WORDSPACE_SENTENCE_KERNELS(SubwordBatchedSignature<HsLoss>*, SubwordSkipGramBatchedSentenceHs)
WORDSPACE_SENTENCE_KERNELS(SubwordSentenceSignature<NsLoss>*, SubwordCbowSentence)
WORDSPACE_SENTENCE_KERNELS(SubwordSentenceSignature<HsLoss>*, SubwordCbowSentenceHs)
WORDSPACE_SENTENCE_KERNELS(SubwordCbowBatchedSignature<NsLoss>*, SubwordCbowBatchedSentence)
WORDSPACE_SENTENCE_KERNELS(SubwordCbowBatchedSignature<HsLoss>*, SubwordCbowBatchedSentenceHs)
#undef WORDSPACE_SENTENCE_KERNELS

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SKIP_GRAM_CLASSIC_H_
