// The generators' numbers are part of the on-disk contract: a seed must give the same vectors,
// WEAT p-values and sampled windows in every version. These pin them to the published
// reference algorithms (splitmix64, xoshiro256+ and xoshiro256** by Blackman and Vigna).
#include "base/random.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "base/xoshiro.h"

namespace wordspace {
namespace {

TEST_CASE("SplitMix64 of 0 is splitmix64's first output for seed 0", "[base][rng]") {
  CHECK(SplitMix64(0) == 0xe220a8397b1dcdafull);
}

TEST_CASE("the xoshiro256 step gives the reference sequences from state 1,2,3,4", "[base][rng]") {
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

TEST_CASE("FastRng(7) is xoshiro256+ seeded with splitmix64's sequence", "[base][rng]") {
  FastRng rng(7);
  CHECK(rng.Next() == 0xf906cd54c07037a2ull);
  CHECK(rng.Next() == 0x3cb82872a5253460ull);
  CHECK(rng.Next() == 0xb0cd92fab56fab52ull);
}

// Uniform and Below are functions of those words: the top 24 bits over 2^24, and the top 32
// bits times n over 2^32 (computed by hand from the three words above).
TEST_CASE("FastRng's Uniform and Below map the reference words", "[base][rng]") {
  FastRng uniform(7);
  CHECK(uniform.Uniform() == 16320205.0f / 16777216.0f);
  CHECK(uniform.Uniform() == 3979304.0f / 16777216.0f);
  CHECK(uniform.Uniform() == 11586962.0f / 16777216.0f);
  FastRng below(7);
  CHECK(below.Below(10) == 9);
  CHECK(below.Below(10) == 2);
  CHECK(below.Below(1000) == 690);
}

TEST_CASE("FastRng repeats its sequence for a seed and changes with it", "[base][rng]") {
  FastRng a(12345), b(12345), c(12346);
  int differ = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.Next();
    CHECK(x == b.Next());
    differ += x != c.Next();
  }
  CHECK(differ == 1000);
}

TEST_CASE("FastRng's Uniform is in [0, 1) and Below(n) in [0, n)", "[base][rng]") {
  FastRng rng(3);
  float lo = 1, hi = 0;
  uint32_t seen[7] = {};
  for (int i = 0; i < 100000; ++i) {
    const float u = rng.Uniform();
    REQUIRE(u >= 0.0f);
    REQUIRE(u < 1.0f);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    const uint32_t k = rng.Below(7);
    REQUIRE(k < 7);
    ++seen[k];
    REQUIRE(rng.Below(1) == 0);
  }
  CHECK(lo < 0.001f);
  CHECK(hi > 0.999f);
  // Each of the 7 values: expected 14286 times, standard deviation ~111.
  for (uint32_t count : seen) CHECK(std::abs(static_cast<int>(count) - 14286) < 600);
}

// The transformer's generator: every checkpoint's initial weights and sampled windows come
// from these numbers; pin them so that a seed means the same run in every version.
TEST_CASE("Rng(7) is xoshiro256** seeded by iterated SplitMix64", "[base][rng]") {
  Rng rng(7);
  CHECK(rng.Next() == 0xe31a50a219a11335ull);
  CHECK(rng.Next() == 0x9bdde32a4e7792c2ull);
  CHECK(rng.Next() == 0x3f981c5573a71280ull);
}

TEST_CASE("Rng's normals have mean 0 and variance 1", "[base][rng]") {
  Rng rng(11);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.Normal();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  // Standard errors: 1/sqrt(n) = 0.0022 for the mean, sqrt(2/n) = 0.0032 for the variance.
  CHECK(std::fabs(mean) < 0.01);
  CHECK(std::fabs(sum_sq / n - mean * mean - 1.0) < 0.015);
}

}  // namespace
}  // namespace wordspace
