#include "embeddings/inner_product_kernel.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "base/check.h"
#include "base/isa_dispatch.h"

namespace wordspace::embeddings::internal {
namespace {

// A register block of MR rows of A × two vectors (2W columns) of the panel; the accumulators
// stay in registers over the whole dot-product length d. The body is written with GCC vector
// extensions and inlined into functions compiled for each instruction set, so one source gives
// SSE2, AVX2+FMA and AVX-512 code (the file is compiled with -ffp-contract=fast, so a*b+c is
// one FMA where the target has it).
template <int W, int MR>
[[gnu::always_inline]] inline void MicroKernel(const float* A, int64_t lda, const float* Bt,
                                               int64_t ldb, int d, float* C, int64_t ldc,
                                               int ncols) {
  typedef float V __attribute__((vector_size(W * sizeof(float))));
  V acc[MR][2];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = V{};
  for (int p = 0; p < d; ++p) {
    V b0, b1;
    std::memcpy(&b0, Bt + p * ldb, sizeof(V));
    std::memcpy(&b1, Bt + p * ldb + W, sizeof(V));
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const float a = A[r * lda + p];
      acc[r][0] += a * b0;
      acc[r][1] += a * b1;
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    if (ncols == 2 * W) {
      std::memcpy(C + r * ldc, &acc[r][0], sizeof(V));
      std::memcpy(C + r * ldc + W, &acc[r][1], sizeof(V));
    } else {
      float tmp[2 * W];
      std::memcpy(tmp, &acc[r][0], sizeof(V));
      std::memcpy(tmp + W, &acc[r][1], sizeof(V));
      std::memcpy(C + r * ldc, tmp, ncols * sizeof(float));
    }
  }
}

template <int W, int MR>
[[gnu::always_inline]] inline void RowBlock(const float* A, int64_t m, int64_t lda,
                                            const PackedPanel& panel, float* C, int64_t ldc,
                                            int64_t j, int ncols) {
  const float* Bt = panel.data.data() + j;
  int64_t i = 0;
  for (; i + MR <= m; i += MR) {
    MicroKernel<W, MR>(A + i * lda, lda, Bt, panel.n_padded, panel.d, C + i * ldc + j, ldc, ncols);
  }
  // The last m % MR rows, one at a time (m is usually a multiple of MR).
  for (; i < m; ++i) {
    MicroKernel<W, 1>(A + i * lda, lda, Bt, panel.n_padded, panel.d, C + i * ldc + j, ldc, ncols);
  }
}

// Columns outer, rows inner: the panel slice (d × 2W floats, ≤ 13 KB for d = 100) stays in L1
// while every row of A streams past it; callers keep m small (tens of rows) so A stays in L2.
template <int W, int MR>
[[gnu::always_inline]] inline void MultiplyBody(const float* A, int64_t m, int64_t lda,
                                                const PackedPanel& panel, float* C, int64_t ldc) {
  for (int64_t j = 0; j < panel.n; j += 2 * W) {
    const int ncols = static_cast<int>(std::min<int64_t>(2 * W, panel.n - j));
    RowBlock<W, MR>(A, m, lda, panel, C, ldc, j, ncols);
  }
}

void MultiplyGeneric(const float* A, int64_t m, int64_t lda, const PackedPanel& panel, float* C,
                     int64_t ldc) {
  MultiplyBody<4, 6>(A, m, lda, panel, C, ldc);
}

#if defined(__x86_64__)
[[gnu::target("avx2,fma")]] void MultiplyAvx2(const float* A, int64_t m, int64_t lda,
                                              const PackedPanel& panel, float* C, int64_t ldc) {
  MultiplyBody<8, 6>(A, m, lda, panel, C, ldc);
}

[[gnu::target("avx512f")]] void MultiplyAvx512(const float* A, int64_t m, int64_t lda,
                                               const PackedPanel& panel, float* C, int64_t ldc) {
  MultiplyBody<16, 6>(A, m, lda, panel, C, ldc);
}
#endif

using MultiplyFn = void (*)(const float*, int64_t, int64_t, const PackedPanel&, float*, int64_t);
#if defined(__x86_64__)
constexpr IsaKernels<MultiplyFn> kMultiplyVariants{MultiplyGeneric, MultiplyAvx2, MultiplyAvx512};
#else
constexpr IsaKernels<MultiplyFn> kMultiplyVariants{MultiplyGeneric};
#endif

}  // namespace

void PackRows(const float* B, int64_t n, int d, int64_t ldb, PackedPanel* panel) {
  panel->n = n;
  panel->d = d;
  panel->n_padded = (n + kPanelAlign - 1) / kPanelAlign * kPanelAlign;
  panel->data.assign(static_cast<size_t>(panel->n_padded) * d, 0.0f);
  float* out = panel->data.data();
  for (int64_t j = 0; j < n; ++j) {
    const float* row = B + j * ldb;
    for (int p = 0; p < d; ++p) out[p * panel->n_padded + j] = row[p];
  }
}

void MultiplyPacked(const float* A, int64_t m, int64_t lda, const PackedPanel& panel, float* C,
                    int64_t ldc, Isa isa) {
  CHECK(CpuSupports(isa));
  if (m == 0 || panel.n == 0) return;
  kMultiplyVariants.For(isa)(A, m, lda, panel, C, ldc);
}

}  // namespace wordspace::embeddings::internal
