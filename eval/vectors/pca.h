// Principal components for 2-D pictures: the top principal directions of a set of vectors (the
// eigenvectors of the centred data's scatter or Gram matrix, whichever is smaller, by
// SymmetricEigen), and each vector's coordinates on them.
//
//   Projection p = ProjectPca(values, n, d, 2);   // values n×d row-major
//   p.coords[i * 2 + 0], p.coords[i * 2 + 1]       // vector i on PC1, PC2
#ifndef WORDSPACE_EVAL_VECTORS_PCA_H_
#define WORDSPACE_EVAL_VECTORS_PCA_H_

#include <span>
#include <vector>

namespace wordspace::eval {

struct Projection {
  int components = 0;
  std::vector<double> coords;          // n × components
  std::vector<double> variance_share;  // per component, of the total variance (0 when none)
};

// Deterministic: each axis is oriented towards a fixed direction, so its sign does not depend on
// rounding. Components beyond the data's rank get zero coordinates.
Projection ProjectPca(std::span<const float> values, int n, int d, int components);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_VECTORS_PCA_H_
