// Every checkpoint's initial weights and sampled windows come from these numbers; pin them so
// that a seed means the same run in every version.
#include "transformer/random.h"

#include <catch2/catch.hpp>
#include <cmath>

namespace wordspace::transformer {
namespace {

TEST_CASE("Rng(7) is xoshiro256** seeded by iterated SplitMix64", "[transformer][rng]") {
  Rng rng(7);
  CHECK(rng.Next() == 0xe31a50a219a11335ull);
  CHECK(rng.Next() == 0x9bdde32a4e7792c2ull);
  CHECK(rng.Next() == 0x3f981c5573a71280ull);
}

TEST_CASE("Rng's normals have mean 0 and variance 1", "[transformer][rng]") {
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
}  // namespace wordspace::transformer
