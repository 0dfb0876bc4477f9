// NegativeSampler: draws word ids from the unigram distribution raised to the 3/4 power, the
// noise distribution of skip-gram negative sampling (Mikolov et al., 2013). It uses Vose's alias
// method: O(V) memory and O(1) per draw, where word2vec.c's 1e8-entry table costs 400 MB.
//
//   NegativeSampler sampler(vocab.counts(), 0.75);
//   uint32_t id = sampler.Sample(rng.Next());  // rng: a FastRng (base/random.h)
#ifndef WORDSPACE_EMBEDDINGS_NEGATIVE_SAMPLER_H_
#define WORDSPACE_EMBEDDINGS_NEGATIVE_SAMPLER_H_

#include <cstdint>
#include <vector>

namespace wordspace::embeddings {

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
