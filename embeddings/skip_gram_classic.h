// The classic skip-gram loop (skip_gram.h's SkipGramClassicSentence over one input row per word
// and negative sampling: word2vec.c's per-pair loop), compiled once per instruction-set level
// and chosen the way every kernel is (base/isa_dispatch.h), so `--isa` pins it too.
//
// Each level is its own unit, compiled whole for that level (per-file flags in
// embeddings/CMakeLists.txt), because the loop is composed from inline parts (the model, the
// loss, the rows, the generator) that must be compiled for the level along with it: a function
// given a target attribute does not inline parts compiled for the baseline. The units define
// nothing but their entry point (tests/embeddings/isa_units_test.sh checks the objects), so no
// part compiled for a wide level is ever shared with the baseline code.
//
//   const ClassicSentenceFn train = kClassicSentence.Active();
//   train(sentence, n, alpha, dim, window, rows, loss, rng, gradient, &loss_sum, &pairs);
#ifndef WORDSPACE_EMBEDDINGS_SKIP_GRAM_CLASSIC_H_
#define WORDSPACE_EMBEDDINGS_SKIP_GRAM_CLASSIC_H_

#include <cstdint>

#include "base/isa_dispatch.h"
#include "base/random.h"
#include "embeddings/input_rows.h"
#include "embeddings/negative_sampling_loss.h"

namespace wordspace::embeddings {

// Trains every (context, centre) pair of sentence[0, length), as SkipGramClassicSentence.
// `rows` comes by value, so that its fields live in the loop's frame and are not reloaded for
// every pair (callgrind: 0.3% fewer instructions than by reference).
using ClassicSentenceSignature = void(const uint32_t* sentence, int length, float alpha, int dim,
                                      int window, WordRows rows, const NegativeSamplingLoss& loss,
                                      FastRng& rng, float* gradient, double* loss_sum,
                                      uint64_t* pairs);
using ClassicSentenceFn = ClassicSentenceSignature*;

namespace internal {
ClassicSentenceSignature ClassicSentencePortable;  // skip_gram_classic.cc
#if defined(__x86_64__) || defined(__i386__)
ClassicSentenceSignature ClassicSentenceAvx2;    // skip_gram_classic_avx2.cc
ClassicSentenceSignature ClassicSentenceAvx512;  // skip_gram_classic_avx512.cc
#endif
}  // namespace internal

#if defined(__x86_64__) || defined(__i386__)
inline constexpr IsaKernels<ClassicSentenceFn> kClassicSentence{&internal::ClassicSentencePortable,
                                                                &internal::ClassicSentenceAvx2,
                                                                &internal::ClassicSentenceAvx512};
#else
inline constexpr IsaKernels<ClassicSentenceFn> kClassicSentence{&internal::ClassicSentencePortable};
#endif

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SKIP_GRAM_CLASSIC_H_
