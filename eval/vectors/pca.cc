#include "eval/vectors/pca.h"

#include <cmath>

#include "base/linear_algebra.h"

namespace wordspace::eval {

Projection ProjectPca(std::span<const float> values, int n, int d, int components) {
  Projection p;
  p.components = components;
  p.coords.assign(static_cast<size_t>(n) * components, 0.0);
  p.variance_share.assign(components, 0.0);
  if (n == 0 || d == 0) return p;
  std::vector<double> x(static_cast<size_t>(n) * d), mean(d, 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) mean[j] += values[static_cast<size_t>(i) * d + j];
  }
  for (double& m : mean) m /= n;
  double total = 0;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) {
      const double v = values[static_cast<size_t>(i) * d + j] - mean[j];
      x[static_cast<size_t>(i) * d + j] = v;
      total += v * v;
    }
  }
  if (total <= 0) return p;
  auto X = [&](int i, int j) { return x[static_cast<size_t>(i) * d + j]; };
  // The principal axes are the eigenvectors of the scatter XᵀX (d×d); with fewer points than
  // dimensions, those of the Gram matrix XXᵀ (n×n), mapped back by Xᵀ, are the same axes.
  const bool gram = n < d;
  const int m = gram ? n : d;
  std::vector<double> matrix(static_cast<size_t>(m) * m, 0.0);
  for (int r = 0; r < m; ++r) {
    for (int c = r; c < m; ++c) {
      double s = 0;
      if (gram) {
        for (int j = 0; j < d; ++j) s += X(r, j) * X(c, j);
      } else {
        for (int i = 0; i < n; ++i) s += X(i, r) * X(i, c);
      }
      matrix[static_cast<size_t>(r) * m + c] = matrix[static_cast<size_t>(c) * m + r] = s;
    }
  }
  std::vector<double> eigenvalues, eigenvectors;
  SymmetricEigen(std::move(matrix), m, &eigenvalues, &eigenvectors);
  std::vector<double> axis(d);
  for (int c = 0; c < components && c < m; ++c) {
    // Components beyond the data's rank keep zero coordinates.
    if (!(eigenvalues[c] > 1e-12 * total)) break;
    const double* u = eigenvectors.data() + static_cast<size_t>(c) * m;
    if (gram) {
      for (int j = 0; j < d; ++j) {
        double s = 0;
        for (int i = 0; i < n; ++i) s += X(i, j) * u[i];
        axis[j] = s;
      }
    } else {
      for (int j = 0; j < d; ++j) axis[j] = u[j];
    }
    // The sign of an eigenvector is arbitrary: orient each axis towards a fixed direction that is
    // not orthogonal to any axis in general, so that pictures do not flip between runs.
    double norm = 0, orientation = 0;
    for (int j = 0; j < d; ++j) {
      norm += axis[j] * axis[j];
      orientation += axis[j] * (1.0 + 0.37 * std::sin(1.0 + j * (c + 1.3)));
    }
    norm = std::sqrt(norm);
    if (orientation < 0) norm = -norm;
    double explained = 0;
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int j = 0; j < d; ++j) s += X(i, j) * axis[j];
      s /= norm;
      p.coords[static_cast<size_t>(i) * components + c] = s;
      explained += s * s;
    }
    p.variance_share[c] = explained / total;
  }
  return p;
}

}  // namespace wordspace::eval
