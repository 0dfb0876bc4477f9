// The continuous bag-of-words model (CBOW; Mikolov et al., 2013; word2vec.c's -cbow 1): the mean
// of a centre word's context vectors (its randomly shrunk window, as skip-gram's) predicts the
// centre word. The loss (negative sampling or hierarchical softmax) scores that one mean vector
// per window, and its gradient is added, whole, to every context vector, as word2vec.c does
// (gensim's cbow_mean=1 likewise). A window costs one loss step where skip-gram's costs one per
// context word, so CBOW trains several times faster per word.
//
// One loop serves both kernels: per window there is a single input vector, so the batched
// kernel's sharing of output rows across a window's inputs has nothing to share. Draws from
// `rng` in word2vec.c's order (the window, then the loss' noise words), so one thread with a
// fixed seed gives the same bits.
//
//   CbowSentence(sentence, n, alpha, dim, window, rows, loss, rng, scratch, &loss_sum, &windows);
#ifndef WORDSPACE_EMBEDDINGS_CBOW_H_
#define WORDSPACE_EMBEDDINGS_CBOW_H_

#include <cstdint>

#include "base/random.h"
#include "embeddings/context_window.h"

namespace wordspace::embeddings {

// Trains every window of sentence[0, length) at learning rate `alpha`. `scratch` holds 2·dim
// floats (the context mean and its gradient). Adds the windows' loss to *loss_sum and their
// number (windows with at least one context word) to *windows.
template <typename Rows, typename Loss>
inline void CbowSentence(const uint32_t* sentence, int length, float alpha, int dim, int window,
                         const Rows& rows, const Loss& loss, FastRng& rng,
                         float* __restrict scratch, double* loss_sum, uint64_t* windows) {
  float* __restrict mean = scratch;
  float* __restrict gradient = scratch + dim;
  double local_loss = 0;
  uint64_t local_windows = 0;
  ForEachWindow(length, window, rng, [&](const ContextWindow& w) {
#pragma omp simd
    for (int k = 0; k < dim; ++k) mean[k] = 0.0f;
    int contexts = 0;
    ForEachContext(w, [&](int c) {
      const float* __restrict in = rows.Vector(sentence[c]);
#pragma omp simd
      for (int k = 0; k < dim; ++k) mean[k] += in[k];
      ++contexts;
    });
    if (contexts == 0) return;
    const float count = static_cast<float>(contexts);
#pragma omp simd
    for (int k = 0; k < dim; ++k) mean[k] /= count;  // a division, as word2vec.c's
#pragma omp simd
    for (int k = 0; k < dim; ++k) gradient[k] = 0.0f;
    local_loss = loss.Pair(mean, sentence[w.centre], alpha, dim, gradient, rng, local_loss);
    ForEachContext(w, [&](int c) {
      float* __restrict in = rows.Vector(sentence[c]);
#pragma omp simd
      for (int k = 0; k < dim; ++k) in[k] += gradient[k];
    });
    ++local_windows;
  });
  *loss_sum += local_loss;
  *windows += local_windows;
}

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_CBOW_H_
