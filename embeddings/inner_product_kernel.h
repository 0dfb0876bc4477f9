// Blocked inner-product kernel behind VectorIndex's exact search (internal to embeddings_index).
//
// C (m × n) = A (m × d) · Bᵀ where B (n × d) is packed once into a panel (d × n_padded, columns
// contiguous) and A is streamed. It is compiled three times (AVX-512, AVX2+FMA, plain x86-64
// SSE2, or plain C++ elsewhere) and base's ActiveIsa() picks one at run time, so
// the speed does not hang on how a BLAS library detected the CPU: Debian's OpenBLAS 0.3.21 takes
// Zen 4 for a Prescott and runs its SSE3 sgemm (≈25 against ≈110 GFLOP/s per core).
//
//   PackedPanel panel;
//   PackRows(rows, n, d, &panel);                 // once per tile of the database
//   MultiplyPacked(queries, m, panel, out, ldc, ActiveIsa());
#ifndef WORDSPACE_EMBEDDINGS_INNER_PRODUCT_KERNEL_H_
#define WORDSPACE_EMBEDDINGS_INNER_PRODUCT_KERNEL_H_

#include <cstdint>
#include <vector>

#include "base/cpu_features.h"

namespace wordspace::embeddings::internal {

// Panel columns are padded to a multiple of this (two vectors of the widest kind).
inline constexpr int kPanelAlign = 32;

// B (n × d, row-major, rows `ldb` floats apart) transposed: data[p * n_padded + j] = B[j][p],
// zero in the padding.
struct PackedPanel {
  int64_t n = 0;
  int64_t n_padded = 0;
  int d = 0;
  std::vector<float> data;
};

void PackRows(const float* B, int64_t n, int d, int64_t ldb, PackedPanel* panel);

// C[i * ldc + j] = sum_p A[i * lda + p] * B[j][p] for i < m, j < panel.n, with the variant
// for `isa` (usually ActiveIsa(); tests compare them). `isa` must be supported (CHECKed).
void MultiplyPacked(const float* A, int64_t m, int64_t lda, const PackedPanel& panel, float* C,
                    int64_t ldc, Isa isa);

}  // namespace wordspace::embeddings::internal

#endif  // WORDSPACE_EMBEDDINGS_INNER_PRODUCT_KERNEL_H_
