#include "eval/vectors/pca.h"

#include <cmath>

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
  std::vector<double> v(d), xv(n), next(d);
  for (int c = 0; c < components; ++c) {
    // A fixed start that is not orthogonal to any axis in general.
    for (int j = 0; j < d; ++j) v[j] = 1.0 + 0.37 * std::sin(1.0 + j * (c + 1.3));
    double lambda = 0;
    for (int it = 0; it < 300; ++it) {
      for (int i = 0; i < n; ++i) {
        double s = 0;
        for (int j = 0; j < d; ++j) s += x[static_cast<size_t>(i) * d + j] * v[j];
        xv[i] = s;
      }
      for (int j = 0; j < d; ++j) next[j] = 0;
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < d; ++j) next[j] += x[static_cast<size_t>(i) * d + j] * xv[i];
      }
      double norm = 0;
      for (double f : next) norm += f * f;
      norm = std::sqrt(norm);
      if (norm < 1e-12 * total) {
        lambda = 0;
        break;
      }
      double change = 0;
      for (int j = 0; j < d; ++j) {
        const double f = next[j] / norm;
        change += std::fabs(f - v[j]);
        v[j] = f;
      }
      lambda = norm;
      if (change < 1e-10) break;
    }
    if (lambda == 0) break;
    // Coordinates on v, then deflate x so the next component is orthogonal to
    // it.
    double explained = 0;
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int j = 0; j < d; ++j) s += x[static_cast<size_t>(i) * d + j] * v[j];
      p.coords[static_cast<size_t>(i) * components + c] = s;
      explained += s * s;
      for (int j = 0; j < d; ++j) x[static_cast<size_t>(i) * d + j] -= s * v[j];
    }
    p.variance_share[c] = explained / total;
  }
  return p;
}

}  // namespace wordspace::eval
