// NegativeSamplingLoss: the output side of a word-vector model trained with negative sampling
// (Mikolov et al., 2013): an input vector learns to score its target word's output (syn1neg)
// row high, label 1, and `negative` noise words' rows low, label 0, with the logistic loss
// -log σ(±score). The models (skip-gram and CBOW) hand it an input vector and a target; the
// other loss (hierarchical_softmax_loss.h: the target's Huffman path instead of noise words)
// has the same members.
//
// Members a model uses, per worker (the loss owns the worker's noise-word buffers):
//  - classic kernel, word2vec.c's per-pair step:
//      loss = Pair(in, target, alpha, dim, gradient, rng, loss)   adds the input's gradient to
//                                   `gradient`, updates the output rows at once;
//  - batched kernel, one set of output rows shared by a whole window (Ji et al., 2016):
//      Targets(target, out_rows)     the window's T output rows (target first), returns T;
//      DrawNext(rng)                 draws the next window's noise words, prefetches their rows;
//      PrefetchTarget(word)          prefetches a coming target's row;
//      Gradients(scores, B, T, alpha, g)  g = alpha·(label − σ(scores)), (B,T) row-major;
//      Loss(scores, B, T)            Σ −log σ(±score) of the window;
//  - subword skip-gram's batched loop, one input vector against several targets:
//      TargetsOf(targets, n, out_rows, rng)  the n targets' rows, each with its own noise words;
//      GradientsOf(scores, T, alpha, g), LossOf(scores, T)  as above, for those columns;
//  - resuming a saved run: SaveState(&state) and RestoreState(state), the noise words drawn ahead.
//
//   NegativeSamplingLoss loss(sampler, tables, output, stride, negative);
//   loss.DrawNext(rng);                       // once, before the first window
//   const int T = loss.Targets(centre, out_rows);
#ifndef WORDSPACE_EMBEDDINGS_NEGATIVE_SAMPLING_LOSS_H_
#define WORDSPACE_EMBEDDINGS_NEGATIVE_SAMPLING_LOSS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/random.h"
#include "embeddings/input_rows.h"
#include "embeddings/negative_sampler.h"
#include "embeddings/sigmoid_table.h"

namespace wordspace::embeddings {

class NegativeSamplingLoss {
 public:
  // Noise words are drawn kNoisePool at a time: the draws' random reads of the alias tables
  // are then independent and overlap, where one by one each was a cache miss in turn.
  static constexpr size_t kNoisePool = 1024;

  // `output` holds one row of `stride` floats per word (not owned); `negative` noise words per
  // target.
  NegativeSamplingLoss(const NegativeSampler& sampler, const SigmoidTables& tables, float* output,
                       int stride, int negative)
      : sampler_(sampler),
        tables_(tables),
        output_(output),
        stride_(stride),
        negative_(negative),
        negatives_(negative),
        noise_pool_(std::max<size_t>(kNoisePool, negative)),
        noise_next_(noise_pool_.size()) {}

  // Output rows per window at most: the target and its noise words.
  int MaxTargets() const { return 1 + negative_; }

  // word2vec.c's step for one (input, target) pair: the target, then `negative` fresh noise
  // words (a noise word equal to the target is skipped), each scored against `in`; the output
  // rows are updated at once and the input's gradient is summed into `gradient` (dim floats),
  // which the caller adds to the input afterwards. Returns `loss` plus the -log σ(±score) terms,
  // added one by one (a running sum, so that the total rounds as word2vec.c's does).
  double Pair(const float* __restrict in, uint32_t target, float alpha, int dim,
              float* __restrict gradient, FastRng& rng, double loss) const {
    // Locals, as word2vec.c's loop has them: kept in registers across the row updates.
    const NegativeSampler& sampler = sampler_;
    float* const output = output_;
    const int stride = stride_;
    const int negative = negative_;
    for (int d = 0; d <= negative; ++d) {
      uint32_t word;
      float label;
      if (d == 0) {
        word = target;
        label = 1.0f;
      } else {
        word = sampler.Sample(rng.Next());
        if (word == target) continue;
        label = 0.0f;
      }
      float* __restrict out = output + static_cast<size_t>(word) * stride;
      float score = 0.0f;
#pragma omp simd reduction(+ : score)
      for (int k = 0; k < dim; ++k) score += in[k] * out[k];
      float g;
      if (score > kMaxScore) {
        g = (label - 1.0f) * alpha;
      } else if (score < -kMaxScore) {
        g = label * alpha;
      } else {
        g = (label - tables_.sigmoid[tables_.Index(score)]) * alpha;
      }
      loss += tables_.NegLogSigmoid(label > 0 ? score : -score);
#pragma omp simd
      for (int k = 0; k < dim; ++k) gradient[k] += g * out[k];
#pragma omp simd
      for (int k = 0; k < dim; ++k) out[k] += g * in[k];
    }
    return loss;
  }

  // The target's row, then the rows of the noise words drawn by the last DrawNext() except
  // those equal to the target (as word2vec.c drops them). Returns their number T.
  int Targets(uint32_t target, float** out_rows) const {
    int T = 0;
    out_rows[T++] = Row(target);
    for (uint32_t id : negatives_) {
      if (id != target) out_rows[T++] = Row(id);
    }
    return T;
  }

  // Draws the next window's noise words and prefetches their output rows.
  void DrawNext(FastRng& rng) {
    if (noise_next_ + negatives_.size() > noise_pool_.size()) {
      for (uint32_t& id : noise_pool_) id = sampler_.Sample(rng.Next());
      noise_next_ = 0;
    }
    for (uint32_t& id : negatives_) {
      id = noise_pool_[noise_next_++];
      PrefetchRow(Row(id), stride_);
    }
  }

  void PrefetchTarget(uint32_t target) const { PrefetchRow(Row(target), stride_); }

  // The noise words drawn ahead (the pool, where it stands, the next window's), so that a saved
  // run goes on with the words it would have drawn. RestoreState is false when `state` was saved
  // with other settings.
  void SaveState(std::vector<uint32_t>* state) const {
    state->push_back(static_cast<uint32_t>(noise_next_));
    state->insert(state->end(), noise_pool_.begin(), noise_pool_.end());
    state->insert(state->end(), negatives_.begin(), negatives_.end());
  }
  bool RestoreState(std::span<const uint32_t> state) {
    if (state.size() != 1 + noise_pool_.size() + negatives_.size() || state[0] > noise_pool_.size()) {
      return false;
    }
    noise_next_ = state[0];
    std::copy_n(state.begin() + 1, noise_pool_.size(), noise_pool_.begin());
    std::copy(state.begin() + 1 + noise_pool_.size(), state.end(), negatives_.begin());
    return true;
  }

  // Several targets sharing one input vector (subword skip-gram's window: the centre's vector
  // predicts each context word), each with its own noise words: at most count·(1 + negative)
  // rows.
  int MaxTargets(int targets) const { return targets * (1 + negative_); }

  // The rows of `count` (at most ReserveTargets') targets, each followed by `negative` noise
  // words of its own drawn from the pool (one equal to its target is dropped, as word2vec.c drops it), with their labels for
  // GradientsOf and LossOf. (Noise words shared by the window's pairs, as Targets() shares them,
  // cost 14 points of analogy accuracy with subwords on corpus-large: the centre's one vector then
  // meets the same few noise words `count` times over.) Returns T.
  // Makes room for TargetsOf with up to `targets` targets; called once, before the loop (so
  // that the loop, compiled per instruction set, allocates nothing).
  void ReserveTargets(int targets) { labels_.resize(MaxTargets(targets)); }

  int TargetsOf(const uint32_t* targets, int count, float** out_rows, FastRng& rng) {
    int T = 0;
    for (int t = 0; t < count; ++t) {
      labels_[T] = 1.0f;
      out_rows[T++] = Row(targets[t]);
      for (int d = 0; d < negative_; ++d) {
        if (noise_next_ == noise_pool_.size()) {
          for (uint32_t& id : noise_pool_) id = sampler_.Sample(rng.Next());
          noise_next_ = 0;
        }
        const uint32_t id = noise_pool_[noise_next_++];
        if (id == targets[t]) continue;
        labels_[T] = 0.0f;
        out_rows[T++] = Row(id);
      }
    }
    return T;
  }

  // g = alpha·(label − σ(score)) for the T columns of the last TargetsOf.
  void GradientsOf(const float* scores, int T, float alpha, float* gradient) const {
    for (int j = 0; j < T; ++j) {
      const float x = scores[j];
      const float sigma = x > kMaxScore    ? 1.0f
                          : x < -kMaxScore ? 0.0f
                                           : tables_.sigmoid[tables_.Index(x)];
      gradient[j] = (labels_[j] - sigma) * alpha;
    }
  }

  // Σ −log σ(±score) over the T columns of the last TargetsOf.
  double LossOf(const float* scores, int T) const {
    double loss = 0;
    for (int j = 0; j < T; ++j) {
      loss += tables_.NegLogSigmoid(labels_[j] > 0 ? scores[j] : -scores[j]);
    }
    return loss;
  }

  // g = alpha·(label − σ(scores)) with word2vec.c's saturation beyond ±kMaxScore; label 1 for
  // column 0 (the target), 0 for the noise words.
  void Gradients(const float* scores, int B, int T, float alpha, float* gradient) const {
    for (int b = 0; b < B; ++b) {
      const float* s = scores + b * T;
      float* g = gradient + b * T;
      for (int j = 0; j < T; ++j) {
        const float x = s[j];
        const float label = j == 0 ? 1.0f : 0.0f;
        const float sigma = x > kMaxScore    ? 1.0f
                            : x < -kMaxScore ? 0.0f
                                             : tables_.sigmoid[tables_.Index(x)];
        g[j] = (label - sigma) * alpha;
      }
    }
  }

  // Σ −log σ(score) over the target column and −log σ(−score) over the noise columns.
  double Loss(const float* scores, int B, int T) const {
    double window_loss = 0;
    for (int b = 0; b < B; ++b) {
      for (int j = 0; j < T; ++j) {
        const float x = scores[b * T + j];
        window_loss += tables_.NegLogSigmoid(j == 0 ? x : -x);
      }
    }
    return window_loss;
  }

 private:
  float* Row(uint32_t word) const { return output_ + static_cast<size_t>(word) * stride_; }

  const NegativeSampler& sampler_;
  const SigmoidTables& tables_;
  float* output_;
  int stride_;
  int negative_;
  std::vector<uint32_t> negatives_;  // drawn one window ahead, so that their rows are prefetched
  std::vector<uint32_t> noise_pool_;
  size_t noise_next_;  // all used at first: the first draw fills the pool
  std::vector<float> labels_;  // of the last TargetsOf's columns
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_NEGATIVE_SAMPLING_LOSS_H_
