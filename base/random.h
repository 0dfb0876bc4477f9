// The random generators, all our own so that a seed means the same numbers with any compiler or
// standard library (std::normal_distribution is implementation-defined). What was trained with
// them (vectors, checkpoints, WEAT p-values, the golden tests) depends on these numbers, so they
// must never change.
//   FastRng      the skip-gram trainer's and the WEAT permutation test's generator (xoshiro256+,
//                Blackman and Vigna, seeded with splitmix64's sequence); each thread owns one.
//   Rng          the transformer's (xoshiro256**, normals for the initial weights).
//   CounterHash  a stateless hash of (seed, counter): the transformer's training windows.
//
//   FastRng rng(seed + thread_id);
//   const uint32_t reach = 1 + rng.Below(window);  // uniform in [1, window]
//   if (keep < rng.Uniform()) continue;            // uniform in [0, 1)
//   float w = 0.02f * Rng(seed).Normal();
//   uint64_t start = CounterHash(seed, step * batch + b) % range;   // stateless: resumable
#ifndef WORDSPACE_BASE_RANDOM_H_
#define WORDSPACE_BASE_RANDOM_H_

#include <array>
#include <cmath>
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

  // The whole state, so that a saved run goes on drawing what it would have (train --resume).
  std::array<uint64_t, 4> state() const { return {state_[0], state_[1], state_[2], state_[3]}; }
  void set_state(const std::array<uint64_t, 4>& state) {
    for (int i = 0; i < 4; ++i) state_[i] = state[i];
  }

 private:
  uint64_t state_[4];
};

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

}  // namespace wordspace

#endif  // WORDSPACE_BASE_RANDOM_H_
