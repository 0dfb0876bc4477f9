// The gemm micro-kernel for AVX2 + FMA, 6×16 (gemm_micro_kernel.inc over base's SimdAvx2).
// Compiled for AVX2 and FMA (the pragma below; clang gets per-file flags) and run only when
// base's ActiveIsa() is avx2 or wider; it includes nothing but the traits and the template.
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx2,fma")
#include "base/simd_avx2.h"

namespace wordspace::transformer::internal {
namespace {

#include "transformer/gemm_micro_kernel.inc"

}  // namespace

void GemmMicroAvx2(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate) {
  MicroTile<SimdAvx2, 6, 2>(kc, a, b, c, ldc, accumulate);
}

}  // namespace wordspace::transformer::internal

#endif  // x86
