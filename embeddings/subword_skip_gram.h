// Skip-gram over subword vectors, fastText's orientation (fastText's FastText::skipgram): the
// centre word's vector, the mean of its own row and its n-gram rows (subwords.h), predicts each
// context word of its shrunk window. (word2vec.c's skip-gram lets each context word predict the
// centre instead; with one row per word the two are the same sum of pairs, but with subwords
// the centre's way needs one mean per centre word, where the other would need one per pair.)
//
// Two loops, as the other models have:
//  - SubwordSkipGramClassicSentence: fastText's loop: per (centre, context) pair the centre's
//    mean is formed, the loss' per-pair step draws fresh noise words, and the gradient is added
//    to every row of the centre word; the reference for tests;
//  - SubwordSkipGramBatchedSentence: per centre word the mean is formed once, scored against the
//    rows of all its context words, each with its own noise words (Loss::TargetsOf), and its
//    gradient is added to the centre's rows once.
// Both draw from `rng` in a fixed order, so one thread with a fixed seed gives the same bits.
//
//   SubwordSkipGramBatchedSentence(sentence, n, alpha, dim, window, rows, loss, rng, scratch,
//                                  kLossSampling, &loss_sum, &pairs);
#ifndef WORDSPACE_EMBEDDINGS_SUBWORD_SKIP_GRAM_H_
#define WORDSPACE_EMBEDDINGS_SUBWORD_SKIP_GRAM_H_

#include <cstdint>

#include "base/random.h"
#include "embeddings/context_window.h"
#include "embeddings/input_rows.h"

namespace wordspace::embeddings {

// Trains every (centre, context) pair of sentence[0, length) at learning rate `alpha`.
// `scratch` holds 2·dim floats (the centre's mean and its gradient).
template <typename Loss>
inline void SubwordSkipGramClassicSentence(const uint32_t* sentence, int length, float alpha,
                                           int dim, int window, const SubwordRows& rows,
                                           const Loss& loss, FastRng& rng,
                                           float* __restrict scratch, double* loss_sum,
                                           uint64_t* pairs) {
  float* __restrict mean = scratch;
  float* __restrict gradient = scratch + dim;
  double local_loss = 0;
  uint64_t local_pairs = 0;
  ForEachWindow(length, window, rng, [&](const ContextWindow& w) {
    const uint32_t centre = sentence[w.centre];
    ForEachContext(w, [&](int c) {
      rows.Mean(centre, dim, mean);
#pragma omp simd
      for (int k = 0; k < dim; ++k) gradient[k] = 0.0f;
      local_loss = loss.Pair(mean, sentence[c], alpha, dim, gradient, rng, local_loss);
      rows.AddToAll(centre, dim, gradient);
      ++local_pairs;
    });
  });
  *loss_sum += local_loss;
  *pairs += local_pairs;
}

// Per-worker scratch of the batched loop: dim floats each for the mean and its gradient,
// 2·window context words, and loss.MaxTargets(2·window) each for the target rows, their scores
// and gradients.
struct SubwordBatchScratch {
  float* mean;
  float* gradient;
  uint32_t* contexts;
  float** out_rows;
  float* scores;
  float* target_gradients;
  uint64_t windows = 0;  // windows trained so far, for sampling the loss
};

// The batched loop on sentence[0, length). The loss is scored one window in
// `loss_sampling` (it is only reported), weighted to estimate the total.
template <typename Loss>
inline void SubwordSkipGramBatchedSentence(const uint32_t* sentence, int length, float alpha,
                                           int dim, int window, const SubwordRows& rows, Loss& loss,
                                           FastRng& rng, SubwordBatchScratch& scratch,
                                           int loss_sampling, double* loss_sum, uint64_t* pairs) {
  float* __restrict mean = scratch.mean;
  float* __restrict gradient = scratch.gradient;
  uint32_t* contexts = scratch.contexts;
  float** out_rows = scratch.out_rows;
  float* scores = scratch.scores;
  float* target_gradients = scratch.target_gradients;
  double local_loss = 0;
  uint64_t local_pairs = 0;
  ForEachWindow(length, window, rng, [&](const ContextWindow& w) {
    const int i = w.centre;
    int B = 0;
    ForEachContext(w, [&](int c) { contexts[B++] = sentence[c]; });
    const int T = loss.TargetsOf(contexts, B, out_rows, rng);
    // Rows the next windows need: the next centre's rows, the next new context's output row.
    if (i + 1 < length) rows.Prefetch(sentence[i + 1]);
    if (i + window + 1 < length) loss.PrefetchTarget(sentence[i + window + 1]);
    if (B == 0) return;

    const uint32_t centre = sentence[i];
    rows.Mean(centre, dim, mean);
    for (int j = 0; j < T; ++j) {
      const float* __restrict out = out_rows[j];
      float score = 0.0f;
#pragma omp simd reduction(+ : score)
      for (int k = 0; k < dim; ++k) score += mean[k] * out[k];
      scores[j] = score;
    }
    loss.GradientsOf(scores, T, alpha, target_gradients);
    if (++scratch.windows % static_cast<uint64_t>(loss_sampling) == 0) {
      local_loss += loss_sampling * loss.LossOf(scores, T);
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
    rows.AddToAll(centre, dim, gradient);
    local_pairs += static_cast<uint64_t>(B);
  });
  *loss_sum += local_loss;
  *pairs += local_pairs;
}

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SUBWORD_SKIP_GRAM_H_
