// The inner-product kernel for AVX2 + FMA (inner_product_kernel_impl.inc over base's SimdAvx2).
// Compiled for AVX2 + FMA (the pragma below; clang gets per-file flags) and run only when base's
// ActiveIsa() allows it; it includes nothing but the traits, the template and
// <cstdint>.
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx2,fma")
#include <cstdint>  // typedefs only: nothing compiled for this target leaks out

#include "base/simd_avx2.h"

namespace wordspace::embeddings::internal {
namespace {

#include "embeddings/inner_product_kernel_impl.inc"

}  // namespace

void MultiplyPackedAvx2(const float* A, int64_t m, int64_t lda, const float* Bt, int64_t n,
                        int64_t ldb, int d, float* C, int64_t ldc) {
  MultiplyBody<SimdAvx2, 6>(A, m, lda, Bt, n, ldb, d, C, ldc);
}

}  // namespace wordspace::embeddings::internal

#endif  // x86
