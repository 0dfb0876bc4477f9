// The pieces of the xoshiro256 family (Blackman and Vigna) and splitmix64 that the trainers share.
// xoshiro256+ (FastRng, base/random.h) and xoshiro256** (the transformer's Rng) have
// the same state transition and differ only in how they turn the state into an output.
//
//   uint64_t s[4];  ...  const uint64_t out = s[0] + s[3];  Xoshiro256Advance(s);
#ifndef WORDSPACE_BASE_XOSHIRO_H_
#define WORDSPACE_BASE_XOSHIRO_H_

#include <cstdint>

namespace wordspace {

// splitmix64's step for the input x: add the golden-ratio increment, then mix. Seeds
// generators and derives independent seeds from one.
inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

inline uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// The xoshiro256 state transition; the caller computes its output from the state first.
inline void Xoshiro256Advance(uint64_t (&s)[4]) {
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = RotateLeft(s[3], 45);
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_XOSHIRO_H_
