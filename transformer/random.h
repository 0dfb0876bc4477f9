// Random numbers for the transformer, all from our own generators so that a seed means the same
// numbers with any compiler or standard library (std::normal_distribution is
// implementation-defined).
//
//   Rng rng(seed);
//   float w = 0.02f * rng.Normal();
//   uint64_t start = CounterHash(seed, step * batch + b) % range;   // stateless: resumable
#ifndef WORDSPACE_TRANSFORMER_RANDOM_H_
#define WORDSPACE_TRANSFORMER_RANDOM_H_

#include <cmath>
#include <cstdint>

#include "base/xoshiro.h"

namespace wordspace::transformer {

// A stateless hash of (seed, counter): the training windows of step s are a function of the
// seed and s only, so a resumed run draws exactly what an uninterrupted one would.
inline uint64_t CounterHash(uint64_t seed, uint64_t counter) {
  return SplitMix64(SplitMix64(seed) ^ (counter * 0xD1B54A32D192ED03ull));
}

// xoshiro256** seeded by iterating SplitMix64 on its own output (not splitmix64's sequence, as
// FastRng is; kept because every checkpoint and golden test depends on these numbers).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : state_) {
      seed = SplitMix64(seed);
      s = seed;
    }
  }
  uint64_t Next() {
    const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    Xoshiro256Advance(state_);
    return result;
  }
  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Standard normal (Box-Muller; the second value is discarded for simplicity).
  double Normal() {
    double u1 = Uniform();
    while (u1 <= 0.0) u1 = Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t state_[4];
};

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_RANDOM_H_
