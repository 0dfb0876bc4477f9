// FastRng: the fast seedable generator of the skip-gram trainer and the WEAT permutation test
// (xoshiro256+, Blackman and Vigna, seeded with splitmix64's sequence). Each thread owns one;
// a seed gives the same numbers with any compiler or standard library, and the trained vectors
// and WEAT p-values depend on them, so they must never change.
//
//   FastRng rng(seed + thread_id);
//   const uint32_t reach = 1 + rng.Below(window);  // uniform in [1, window]
//   if (keep < rng.Uniform()) continue;            // uniform in [0, 1)
#ifndef WORDSPACE_BASE_RANDOM_H_
#define WORDSPACE_BASE_RANDOM_H_

#include <cstdint>

#include "base/xoshiro.h"

namespace wordspace {

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
  // Uniform in [0, n), from the high 32 bits (Lemire's multiply-shift, without rejection).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }

 private:
  uint64_t state_[4];
};

}  // namespace wordspace

#endif  // WORDSPACE_BASE_RANDOM_H_
