// The skip-gram model (Mikolov et al., 2013): every context word of a centre word's shrunk
// window predicts the centre word. The model only walks the windows (embeddings/
// context_window.h) and pairs input vectors with targets; where a context word's input vector
// lives is the input-rows policy's business (embeddings/input_rows.h) and how a target is
// scored and learnt is the loss's (embeddings/negative_sampling_loss.h). CBOW, which predicts
// the centre from the mean of its context, is a second model beside this one, over the same
// parts.
//
// Two per-sentence loops compute the same objective (see SgnsKernel in sgns_trainer.h):
//  - SkipGramClassicSentence: word2vec.c's loop, one Loss::Pair step per (context, centre);
//  - SkipGramBatchedSentence: per centre word, the window's B context rows and the loss' T
//    target rows are scored and updated together with small matrix products (Ji et al., 2016).
// Both draw from `rng` in a fixed order, so one thread with a fixed seed gives the same bits.
//
// They are templates over the parts so that the compiler composes the hot loop (no call per
// pair); the trainer instantiates the batched loop (sgns_trainer.cc), and the classic loop is
// compiled once per instruction set (skip_gram_classic.h).
//
//   SkipGramClassicSentence(sentence, n, alpha, dim, window, rows, loss, rng, gradient,
//                           &loss_sum, &pairs);
#ifndef WORDSPACE_EMBEDDINGS_SKIP_GRAM_H_
#define WORDSPACE_EMBEDDINGS_SKIP_GRAM_H_

#include <cstdint>

#include "base/random.h"
#include "embeddings/context_window.h"
#include "embeddings/sgns_kernels.h"

namespace wordspace::embeddings {

// Trains every (context, centre) pair of sentence[0, length) at learning rate `alpha`.
// `gradient` holds dim floats of scratch. Adds the pairs' loss to *loss_sum and their number
// to *pairs.
template <typename Rows, typename Loss>
inline void SkipGramClassicSentence(const uint32_t* sentence, int length, float alpha, int dim,
                                    int window, const Rows& rows, const Loss& loss, FastRng& rng,
                                    float* __restrict gradient, double* loss_sum, uint64_t* pairs) {
  double local_loss = 0;
  uint64_t local_pairs = 0;
  ForEachWindow(length, window, rng, [&](const ContextWindow& w) {
    const uint32_t centre = sentence[w.centre];
    ForEachContext(w, [&](int c) {
      float* __restrict in = rows.Vector(sentence[c]);
      // `omp simd` as on the other loops (GCC still makes this a memset; measured with callgrind:
      // without the pragma the composed loop ran ~0.5% more instructions than the old one).
#pragma omp simd
      for (int k = 0; k < dim; ++k) gradient[k] = 0.0f;
      local_loss = loss.Pair(in, centre, alpha, dim, gradient, rng, local_loss);
#pragma omp simd
      for (int k = 0; k < dim; ++k) in[k] += gradient[k];
      ++local_pairs;
    });
  });
  *loss_sum += local_loss;
  *pairs += local_pairs;
}

// Per-worker scratch of the batched loop, 64-byte aligned, for B <= 2·window context rows and
// T <= loss.MaxTargets() target rows.
struct SkipGramBatchScratch {
  float** in_rows;        // 2·window
  float** out_rows;       // MaxTargets()
  float* scores;          // 2·window · MaxTargets()
  float* gradient;        // 2·window · MaxTargets()
  float* update_scratch;  // SgnsUpdateScratch(2·window, MaxTargets())
  uint64_t windows = 0;   // windows trained so far, for sampling the loss
};

// The loss is only reported, so one window in kLossSampling is scored (it cost ~7% of the
// training time when every window was), weighted to estimate the total.
inline constexpr int kLossSampling = 8;

// The batched loop on sentence[0, length). Per centre word: the B context vectors of the
// shrunk window and the T target rows of the loss give scores (B,T) = in·outᵀ, gradients from
// the loss, and the updates in += g·out, out += gᵀ·in, all from the old values. The loss must
// have drawn its first targets (Loss::DrawNext) before the worker's first sentence.
template <typename Rows, typename Loss>
inline void SkipGramBatchedSentence(const uint32_t* sentence, int length, float alpha, int window,
                                    const Rows& rows, Loss& loss, const SgnsKernels& kernels,
                                    int stride, FastRng& rng, SkipGramBatchScratch& scratch,
                                    double* loss_sum, uint64_t* pairs) {
  float** in_rows = scratch.in_rows;
  float** out_rows = scratch.out_rows;
  float* scores = scratch.scores;
  float* gradient = scratch.gradient;
  double local_loss = 0;
  uint64_t local_pairs = 0;
  ForEachWindow(length, window, rng, [&](const ContextWindow& w) {
    const int i = w.centre;
    int B = 0;
    ForEachContext(w, [&](int c) { in_rows[B++] = rows.Vector(sentence[c]); });
    const int T = loss.Targets(sentence[i], out_rows);
    // Rows the next windows need: their noise words, the next centre, the next new context.
    loss.DrawNext(rng);
    if (i + 1 < length) loss.PrefetchTarget(sentence[i + 1]);
    if (i + window + 1 < length) rows.Prefetch(sentence[i + window + 1]);
    if (B == 0) return;

    kernels.scores(in_rows, B, out_rows, T, stride, scores);
    loss.Gradients(scores, B, T, alpha, gradient);
    if (++scratch.windows % kLossSampling == 0) {
      local_loss += kLossSampling * loss.Loss(scores, B, T);
    }
    kernels.update(in_rows, B, out_rows, T, stride, gradient, scratch.update_scratch);
    local_pairs += static_cast<uint64_t>(B);
  });
  *loss_sum += local_loss;
  *pairs += local_pairs;
}

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SKIP_GRAM_H_
