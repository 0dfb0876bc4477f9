// The generators' numbers are part of the on-disk contract: a seed must give the same vectors,
// WEAT p-values and sampled windows in every version. These pin them to the published
// reference algorithms (splitmix64, xoshiro256+ and xoshiro256** by Blackman and Vigna).
#include <catch2/catch.hpp>
#include <cstdint>

#include "base/xoshiro.h"
#include "embeddings/negative_sampler.h"

namespace wordspace {
namespace {

TEST_CASE("SplitMix64 of 0 is splitmix64's first output for seed 0", "[rng]") {
  CHECK(SplitMix64(0) == 0xe220a8397b1dcdafull);
}

TEST_CASE("the xoshiro256 step gives the reference sequences from state 1,2,3,4", "[rng]") {
  uint64_t s[4] = {1, 2, 3, 4};
  const uint64_t plus[4] = {0x5, 0xc00000000007, 0xc00018000007, 0x8001600018040302};
  for (uint64_t want : plus) {
    CHECK(s[0] + s[3] == want);  // xoshiro256+
    Xoshiro256Advance(s);
  }
  uint64_t t[4] = {1, 2, 3, 4};
  const uint64_t star_star[4] = {11520, 0, 1509978240, 1215971899390074240ull};
  for (uint64_t want : star_star) {
    CHECK(RotateLeft(t[1] * 5, 7) * 9 == want);  // xoshiro256**
    Xoshiro256Advance(t);
  }
}

TEST_CASE("FastRng(7) is xoshiro256+ seeded with splitmix64's sequence", "[rng]") {
  embeddings::FastRng rng(7);
  CHECK(rng.Next() == 0xf906cd54c07037a2ull);
  CHECK(rng.Next() == 0x3cb82872a5253460ull);
  CHECK(rng.Next() == 0xb0cd92fab56fab52ull);
}

}  // namespace
}  // namespace wordspace
