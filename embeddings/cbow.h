// The continuous bag-of-words model (CBOW; Mikolov et al., 2013; word2vec.c's -cbow 1): the mean
// of a centre word's context vectors (its randomly shrunk window, as skip-gram's) predicts the
// centre word. The loss (negative sampling or hierarchical softmax) scores that one mean vector
// per window, and its gradient is added, whole, to every context vector, as word2vec.c does
// (gensim's cbow_mean=1 likewise). A window costs one loss step where skip-gram's costs one per
// context word, so CBOW does several times less arithmetic per word; what it waits for is the
// rows it reads.
//
// Two loops, as skip-gram has (the kernels of SgnsOptions):
//  - CbowSentence: word2vec.c's loop, the loss' per-pair step (fresh noise words drawn as it
//    goes, so each draw and each row it reads waits for memory in turn);
//  - CbowBatchedSentence: the loss' batched members: the window's noise words were drawn one
//    window ahead from a pool and their rows prefetched, as were the next centre's rows and the
//    next new context row (the rows are what a window waits for: CBOW does little arithmetic).
// Both draw from `rng` in a fixed order, so one thread with a fixed seed gives the same bits.
//
//   CbowSentence(sentence, n, alpha, dim, window, rows, loss, rng, scratch, &loss_sum, &windows);
#ifndef WORDSPACE_EMBEDDINGS_CBOW_H_
#define WORDSPACE_EMBEDDINGS_CBOW_H_

#include <cstdint>

#include "base/random.h"
#include "embeddings/context_window.h"

namespace wordspace::embeddings {

// The mean of window w's context rows into `mean` (dim floats), in context order and divided
// as word2vec.c divides; returns the number of rows (0: `mean` is zero). With one row per word
// that is the mean of the context vectors; with subword rows (subwords.h) it is the mean over
// every context word's own and n-gram rows, as fastText's CBOW takes it.
template <typename Rows>
inline int ContextMean(const uint32_t* sentence, const ContextWindow& w, const Rows& rows, int dim,
                       float* __restrict mean) {
#pragma omp simd
  for (int k = 0; k < dim; ++k) mean[k] = 0.0f;
  int count = 0;
  ForEachContext(w, [&](int c) {
    for (uint32_t row : rows.Of(sentence[c])) {
      const float* __restrict in = rows.Row(row);
#pragma omp simd
      for (int k = 0; k < dim; ++k) mean[k] += in[k];
      ++count;
    }
  });
  if (count == 0) return 0;
  const float divisor = static_cast<float>(count);
#pragma omp simd
  for (int k = 0; k < dim; ++k) mean[k] /= divisor;
  return count;
}

// Adds the mean's gradient, whole, to every context row of window w (word2vec.c's update, and
// fastText's for subword rows).
template <typename Rows>
inline void AddToContexts(const uint32_t* sentence, const ContextWindow& w, const Rows& rows,
                          int dim, const float* __restrict gradient) {
  ForEachContext(w, [&](int c) {
    for (uint32_t row : rows.Of(sentence[c])) {
      float* __restrict in = rows.Row(row);
#pragma omp simd
      for (int k = 0; k < dim; ++k) in[k] += gradient[k];
    }
  });
}

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
    if (ContextMean(sentence, w, rows, dim, mean) == 0) return;
#pragma omp simd
    for (int k = 0; k < dim; ++k) gradient[k] = 0.0f;
    local_loss = loss.Pair(mean, sentence[w.centre], alpha, dim, gradient, rng, local_loss);
    AddToContexts(sentence, w, rows, dim, gradient);
    ++local_windows;
  });
  *loss_sum += local_loss;
  *windows += local_windows;
}

// Per-worker scratch of the batched CBOW loop: dim floats each for the mean and its gradient,
// loss.MaxTargets() each for the target rows, their scores and gradients.
struct CbowBatchScratch {
  float* mean;
  float* gradient;
  float** out_rows;
  float* scores;
  float* target_gradients;
  uint64_t windows = 0;  // windows trained so far, for sampling the loss
};

// The batched loop on sentence[0, length): per window, the mean of the context vectors is
// scored against the loss' T target rows (Loss::Targets), which learn from it at once, and the
// mean's gradient goes to every context vector. The loss must have drawn its first targets
// (Loss::DrawNext) before the worker's first sentence. The loss is scored one window in
// `loss_sampling` (it is only reported), weighted to estimate the total.
template <typename Rows, typename Loss>
inline void CbowBatchedSentence(const uint32_t* sentence, int length, float alpha, int dim,
                                int window, const Rows& rows, Loss& loss, FastRng& rng,
                                CbowBatchScratch& scratch, int loss_sampling, double* loss_sum,
                                uint64_t* windows) {
  float* __restrict mean = scratch.mean;
  float* __restrict gradient = scratch.gradient;
  float** out_rows = scratch.out_rows;
  float* scores = scratch.scores;
  float* target_gradients = scratch.target_gradients;
  double local_loss = 0;
  uint64_t local_windows = 0;
  ForEachWindow(length, window, rng, [&](const ContextWindow& w) {
    const int i = w.centre;
    const int T = loss.Targets(sentence[i], out_rows);
    // Rows the next windows need: their noise words, the next centre, the next new context.
    loss.DrawNext(rng);
    if (i + 1 < length) loss.PrefetchTarget(sentence[i + 1]);
    if (i + window + 1 < length) rows.Prefetch(sentence[i + window + 1]);
    if (ContextMean(sentence, w, rows, dim, mean) == 0) return;
    for (int j = 0; j < T; ++j) {
      const float* __restrict out = out_rows[j];
      float score = 0.0f;
#pragma omp simd reduction(+ : score)
      for (int k = 0; k < dim; ++k) score += mean[k] * out[k];
      scores[j] = score;
    }
    loss.Gradients(scores, 1, T, alpha, target_gradients);
    if (++scratch.windows % static_cast<uint64_t>(loss_sampling) == 0) {
      local_loss += loss_sampling * loss.Loss(scores, 1, T);
    }
#pragma omp simd
    for (int k = 0; k < dim; ++k) gradient[k] = 0.0f;
    for (int j = 0; j < T; ++j) {
      float* __restrict out = out_rows[j];
      const float g = target_gradients[j];
#pragma omp simd
      for (int k = 0; k < dim; ++k) gradient[k] += g * out[k];
#pragma omp simd
      for (int k = 0; k < dim; ++k) out[k] += g * mean[k];
    }
    AddToContexts(sentence, w, rows, dim, gradient);
    ++local_windows;
  });
  *loss_sum += local_loss;
  *windows += local_windows;
}

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_CBOW_H_
