// NegativeSampler: draws word ids from the unigram distribution raised to the 3/4 power, the
// noise distribution of skip-gram negative sampling (Mikolov et al., 2013). It uses Vose's alias
// method: O(V) memory and O(1) per draw, where word2vec.c's 1e8-entry table costs 400 MB.
//
//   NegativeSampler sampler(vocab.counts(), 0.75);
//   uint32_t id = sampler.Sample(rng.Next());
#ifndef WORDSPACE_EMBEDDINGS_NEGATIVE_SAMPLER_H_
#define WORDSPACE_EMBEDDINGS_NEGATIVE_SAMPLER_H_

#include <cstdint>
#include <vector>

#include "base/xoshiro.h"

namespace wordspace::embeddings {

// splitmix64-seeded xoshiro256+: fast, seedable, and each thread owns one.
class FastRng {
 public:
  // splitmix64's sequence from `seed`: the k-th word is SplitMix64(seed + k * increment).
  explicit FastRng(uint64_t seed) {
    for (uint64_t& s : state_) {
      s = SplitMix64(seed);
      seed += 0x9E3779B97F4A7C15ull;
    }
  }
  uint64_t Next() {
    const uint64_t result = state_[0] + state_[3];
    Xoshiro256Advance(state_);
    return result;
  }
  // Uniform in [0, 1), 24 bits.
  float Uniform() { return static_cast<float>(Next() >> 40) * (1.0f / 16777216.0f); }
  // Uniform in [0, n).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }

 private:
  uint64_t state_[4];
};

class NegativeSampler {
 public:
  // counts[i] is the frequency of word i; power is 0.75 for word2vec's noise distribution.
  NegativeSampler(const std::vector<int64_t>& counts, double power);

  // Maps 64 random bits to a word id.
  uint32_t Sample(uint64_t bits) const {
    const uint32_t bucket = static_cast<uint32_t>(((bits >> 32) * size_) >> 32);
    const uint32_t coin = static_cast<uint32_t>(bits);
    return coin < threshold_[bucket] ? bucket : alias_[bucket];
  }

  // Probability of drawing `id` (for tests).
  double Probability(uint32_t id) const { return probability_[id]; }

 private:
  uint64_t size_;
  std::vector<uint32_t> threshold_;  // keep the bucket's own id when coin < threshold
  std::vector<uint32_t> alias_;
  std::vector<double> probability_;
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_NEGATIVE_SAMPLER_H_
