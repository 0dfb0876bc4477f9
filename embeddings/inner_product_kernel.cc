#include "embeddings/inner_product_kernel.h"

#include "base/check.h"
#include "base/isa_dispatch.h"
#include "base/simd_portable.h"

namespace wordspace::embeddings::internal {

#if defined(__x86_64__)
// Defined in inner_product_kernel_avx2.cc and inner_product_kernel_avx512.cc.
void MultiplyPackedAvx2(const float* A, int64_t m, int64_t lda, const float* Bt, int64_t n,
                        int64_t ldb, int d, float* C, int64_t ldc);
void MultiplyPackedAvx512(const float* A, int64_t m, int64_t lda, const float* Bt, int64_t n,
                          int64_t ldb, int d, float* C, int64_t ldc);
#endif

namespace {

#include "embeddings/inner_product_kernel_impl.inc"

void MultiplyGeneric(const float* A, int64_t m, int64_t lda, const float* Bt, int64_t n,
                     int64_t ldb, int d, float* C, int64_t ldc) {
  MultiplyBody<SimdPortable, 6>(A, m, lda, Bt, n, ldb, d, C, ldc);
}

using MultiplyFn = void (*)(const float*, int64_t, int64_t, const float*, int64_t, int64_t, int,
                            float*, int64_t);
#if defined(__x86_64__)
constexpr IsaKernels<MultiplyFn> kMultiplyVariants{MultiplyGeneric, MultiplyPackedAvx2,
                                                   MultiplyPackedAvx512};
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
  kMultiplyVariants.For(isa)(A, m, lda, panel.data.data(), panel.n, panel.n_padded, panel.d, C,
                            ldc);
}

}  // namespace wordspace::embeddings::internal
