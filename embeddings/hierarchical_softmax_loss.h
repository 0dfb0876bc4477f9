// HierarchicalSoftmaxLoss: the output side of a word-vector model trained with hierarchical
// softmax (word2vec.c's -hs 1, fastText's -loss hs): instead of the target's row and noise
// words' rows, an input vector is scored against the rows of the inner nodes on the target's
// Huffman path (embeddings/huffman_tree.h) and learns label 1 - code at each, with the logistic
// loss -log σ(±score). Frequent words have short paths, so a step costs about log2(V) rows.
//
// The same members as NegativeSamplingLoss (negative_sampling_loss.h), so the models take
// either: Pair() for the classic per-pair step, Targets/DrawNext/PrefetchTarget/Gradients/
// Loss for the batched kernel, whose window then shares the centre word's path rows, and
// TargetsOf/GradientsOf/LossOf (several targets' paths) for subword skip-gram's. As in
// word2vec.c, a node whose score is beyond ±kMaxScore is skipped (no update): the tree's σ
// there is taken as already learnt.
//
//   HierarchicalSoftmaxLoss loss(tree, tables, output, stride);   // output: tree.inner_nodes()
//   rows loss = hs.Pair(in, centre, alpha, dim, gradient, rng, loss);
#ifndef WORDSPACE_EMBEDDINGS_HIERARCHICAL_SOFTMAX_LOSS_H_
#define WORDSPACE_EMBEDDINGS_HIERARCHICAL_SOFTMAX_LOSS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/random.h"
#include "embeddings/huffman_tree.h"
#include "embeddings/input_rows.h"
#include "embeddings/sigmoid_table.h"

namespace wordspace::embeddings {

class HierarchicalSoftmaxLoss {
 public:
  // `output` holds one row of `stride` floats per inner node of `tree` (not owned).
  HierarchicalSoftmaxLoss(const HuffmanTree& tree, const SigmoidTables& tables, float* output,
                          int stride)
      : tree_(tree),
        tables_(tables),
        output_(output),
        stride_(stride),
        labels_(std::max(1, tree.max_length())) {}

  // Output rows per window at most: the longest path.
  int MaxTargets() const { return std::max(1, tree_.max_length()); }

  // word2vec.c's hierarchical-softmax step for one (input, target) pair: each node of the
  // target's path is scored against `in`; nodes within ±kMaxScore update their rows at once
  // and add to the input's gradient (dim floats, added to the input by the caller). `rng` is
  // not used (the signature is the negative-sampling loss'). Returns `loss` plus the path's
  // -log σ(±score) terms.
  double Pair(const float* __restrict in, uint32_t target, float alpha, int dim,
              float* __restrict gradient, FastRng& /*rng*/, double loss) const {
    const std::span<const uint8_t> code = tree_.Code(target);
    const std::span<const uint32_t> points = tree_.Points(target);
    for (size_t d = 0; d < code.size(); ++d) {
      float* __restrict out = Row(points[d]);
      float score = 0.0f;
#pragma omp simd reduction(+ : score)
      for (int k = 0; k < dim; ++k) score += in[k] * out[k];
      const float label = 1.0f - static_cast<float>(code[d]);
      loss += tables_.NegLogSigmoid(label > 0 ? score : -score);
      if (score <= -kMaxScore || score >= kMaxScore) continue;
      const float g = (label - tables_.sigmoid[tables_.Index(score)]) * alpha;
#pragma omp simd
      for (int k = 0; k < dim; ++k) gradient[k] += g * out[k];
#pragma omp simd
      for (int k = 0; k < dim; ++k) out[k] += g * in[k];
    }
    return loss;
  }

  // The rows of the target's path, root first, and their labels for Gradients and Loss.
  // Returns their number T (0 for a vocabulary of one word).
  int Targets(uint32_t target, float** out_rows) {
    const std::span<const uint8_t> code = tree_.Code(target);
    const std::span<const uint32_t> points = tree_.Points(target);
    for (size_t d = 0; d < code.size(); ++d) {
      out_rows[d] = Row(points[d]);
      labels_[d] = 1.0f - static_cast<float>(code[d]);
    }
    return static_cast<int>(code.size());
  }

  // Several targets sharing one input vector (subword skip-gram's window): their paths, at
  // most `targets` times the longest.
  int MaxTargets(int targets) const { return targets * MaxTargets(); }

  // The paths of `count` (at most ReserveTargets') targets one after another (a node shared by two paths appears twice:
  // each pair learns it). Returns T; GradientsOf and LossOf score them.
  // Makes room for TargetsOf with up to `targets` targets (once, before the loop).
  void ReserveTargets(int targets) { labels_.resize(static_cast<size_t>(MaxTargets(targets))); }

  int TargetsOf(const uint32_t* targets, int count, float** out_rows, FastRng& /*rng*/) {
    int T = 0;
    for (int t = 0; t < count; ++t) {
      const std::span<const uint8_t> code = tree_.Code(targets[t]);
      const std::span<const uint32_t> points = tree_.Points(targets[t]);
      for (size_t d = 0; d < code.size(); ++d, ++T) {
        out_rows[T] = Row(points[d]);
        labels_[T] = 1.0f - static_cast<float>(code[d]);
      }
    }
    return T;
  }
  void GradientsOf(const float* scores, int T, float alpha, float* gradient) const {
    Gradients(scores, 1, T, alpha, gradient);
  }
  double LossOf(const float* scores, int T) const { return Loss(scores, 1, T); }

  // Nothing is drawn, so nothing to save (the signature is the negative-sampling loss').
  void SaveState(std::vector<uint32_t>* /*state*/) const {}
  bool RestoreState(std::span<const uint32_t> state) { return state.empty(); }

  // Nothing to draw: the path is fixed by the target.
  void DrawNext(FastRng& /*rng*/) {}

  // The nodes near the root are shared by every path and stay in cache; the deepest are the
  // ones a coming target is likely to miss.
  void PrefetchTarget(uint32_t target) const {
    const std::span<const uint32_t> points = tree_.Points(target);
    const size_t from = points.size() > kPrefetchedNodes ? points.size() - kPrefetchedNodes : 0;
    for (size_t d = from; d < points.size(); ++d) PrefetchRow(Row(points[d]), stride_);
  }

  // g = alpha·(label − σ(scores)) for the path of the last Targets(), and 0 beyond ±kMaxScore.
  void Gradients(const float* scores, int B, int T, float alpha, float* gradient) const {
    for (int b = 0; b < B; ++b) {
      const float* s = scores + b * T;
      float* g = gradient + b * T;
      for (int j = 0; j < T; ++j) {
        const float x = s[j];
        g[j] = x <= -kMaxScore || x >= kMaxScore
                   ? 0.0f
                   : (labels_[j] - tables_.sigmoid[tables_.Index(x)]) * alpha;
      }
    }
  }

  // Σ −log σ(±score) over the path of the last Targets().
  double Loss(const float* scores, int B, int T) const {
    double window_loss = 0;
    for (int b = 0; b < B; ++b) {
      for (int j = 0; j < T; ++j) {
        const float x = scores[b * T + j];
        window_loss += tables_.NegLogSigmoid(labels_[j] > 0 ? x : -x);
      }
    }
    return window_loss;
  }

 private:
  static constexpr size_t kPrefetchedNodes = 4;

  float* Row(uint32_t node) const { return output_ + static_cast<size_t>(node) * stride_; }

  const HuffmanTree& tree_;
  const SigmoidTables& tables_;
  float* output_;
  int stride_;
  std::vector<float> labels_;  // of the current path
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_HIERARCHICAL_SOFTMAX_LOSS_H_
