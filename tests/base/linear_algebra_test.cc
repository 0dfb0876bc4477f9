// Tests for base/linear_algebra.{h,cc}.
#include "base/linear_algebra.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

namespace wordspace {
namespace {

TEST_CASE("SymmetricEigen: A v = lambda v, sorted, orthonormal", "[base][linalg]") {
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

TEST_CASE("SymmetricEigen reconstructs the matrix", "[base][linalg]") {
  const int n = 6;
  std::mt19937 rng(3);
  std::normal_distribution<double> g;
  std::vector<double> x(n * n), a(n * n, 0.0);
  for (double& v : x) v = g(rng);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k) a[i * n + j] += x[i * n + k] * x[j * n + k];
  std::vector<double> values, vectors;
  SymmetricEigen(a, n, &values, &vectors);
  for (int i = 1; i < n; ++i) CHECK(values[i - 1] >= values[i]);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      double r = 0, dot = 0;
      for (int k = 0; k < n; ++k) {
        r += vectors[k * n + i] * values[k] * vectors[k * n + j];
        dot += vectors[i * n + k] * vectors[j * n + k];
      }
      CHECK(r == Approx(a[i * n + j]).margin(1e-9));
      CHECK(dot == Approx(i == j ? 1.0 : 0.0).margin(1e-9));
    }
  }
}

}  // namespace
}  // namespace wordspace
