// Tests for eval/vectors/linear_algebra.{h,cc}.
#include "eval/vectors/linear_algebra.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

namespace wordspace::eval {
namespace {

TEST_CASE("SymmetricEigen: A v = lambda v, sorted, orthonormal", "[eval][vectors]") {
  const int n = 7;
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> uniform(-1, 1);
  std::vector<double> a(n * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j <= i; ++j) a[i * n + j] = a[j * n + i] = uniform(rng);
  }
  std::vector<double> values, vectors;
  SymmetricEigen(a, n, &values, &vectors);
  for (int r = 0; r < n; ++r) {
    if (r > 0) CHECK(values[r - 1] >= values[r]);
    for (int i = 0; i < n; ++i) {
      double av = 0;
      for (int j = 0; j < n; ++j) av += a[i * n + j] * vectors[r * n + j];
      CHECK(av == Approx(values[r] * vectors[r * n + i]).margin(1e-10));
    }
    for (int s = 0; s < n; ++s) {
      double dot = 0;
      for (int j = 0; j < n; ++j) dot += vectors[r * n + j] * vectors[s * n + j];
      CHECK(dot == Approx(r == s ? 1.0 : 0.0).margin(1e-10));
    }
  }
}

}  // namespace
}  // namespace wordspace::eval
