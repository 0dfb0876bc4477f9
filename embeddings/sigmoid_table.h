// SigmoidTables: word2vec.c's tabulated σ(x) and log σ(x) on [-kMaxScore, kMaxScore], shared by
// the losses of the word-vector trainers (negative sampling and hierarchical softmax):
// both score a (input, output) row pair with σ and saturate beyond ±kMaxScore. A table lookup
// is several times cheaper than exp() in the hot loop, and the 1/1024 grid is word2vec.c's, so
// the trained vectors match its numerics.
//
//   const SigmoidTables tables;
//   const float sigma = tables.sigmoid[tables.Index(score)];  // for |score| <= kMaxScore
//   loss += tables.NegLogSigmoid(score);                      // any score
#ifndef WORDSPACE_EMBEDDINGS_SIGMOID_TABLE_H_
#define WORDSPACE_EMBEDDINGS_SIGMOID_TABLE_H_

#include <cmath>

namespace wordspace::embeddings {

// Scores beyond ±kMaxScore saturate: σ is taken as 0 or 1 there.
inline constexpr float kMaxScore = 6.0f;

struct SigmoidTables {
  static constexpr int kTableSize = 1024;

  float sigmoid[kTableSize + 1];
  float log_sigmoid[kTableSize + 1];  // log σ(x) on the same grid

  SigmoidTables() {
    for (int i = 0; i <= kTableSize; ++i) {
      double x = (2.0 * i / kTableSize - 1.0) * kMaxScore;
      sigmoid[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
      log_sigmoid[i] = static_cast<float>(-std::log1p(std::exp(-x)));
    }
  }
  // The grid index of x, for |x| <= kMaxScore.
  int Index(float x) const {
    return static_cast<int>((x + kMaxScore) * (kTableSize / kMaxScore / 2.0f));
  }
  // -log σ(x), linear beyond the table (log σ(x) ≈ x for very negative x).
  float NegLogSigmoid(float x) const {
    if (x >= kMaxScore) return 0.0f;
    if (x <= -kMaxScore) return -x;
    return -log_sigmoid[Index(x)];
  }
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SIGMOID_TABLE_H_
