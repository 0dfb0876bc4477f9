// Small dense linear algebra for every PCA in wordspace (word maps, bias directions, inspection
// pictures, and lm-train's projection of wide word vectors onto the model width): the
// eigen-decomposition of a symmetric matrix, in double.
//
//   std::vector<double> values, vectors;
//   SymmetricEigen(scatter, d, &values, &vectors);   // scatter d×d row-major
//   // values[0] is the largest eigenvalue, vectors[0 .. d) its unit eigenvector.
#ifndef WORDSPACE_BASE_LINEAR_ALGEBRA_H_
#define WORDSPACE_BASE_LINEAR_ALGEBRA_H_

#include <vector>

namespace wordspace {

// Eigen-decomposition of the symmetric n×n row-major matrix `a` (cyclic Jacobi rotations, in
// double): eigenvalues in descending order and, in `vectors` (n×n row-major), the matching
// unit eigenvectors as rows (equal eigenvalues keep their diagonal order). An eigenvector's
// sign is whatever the rotations left; callers that need a fixed sign choose it. For the small
// matrices of a PCA (n = 2 × pairs, points or dim).
void SymmetricEigen(std::vector<double> a, int n, std::vector<double>* values,
                    std::vector<double>* vectors);

}  // namespace wordspace

#endif  // WORDSPACE_BASE_LINEAR_ALGEBRA_H_
