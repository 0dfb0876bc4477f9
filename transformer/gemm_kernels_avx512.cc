// The gemm micro-kernel for AVX-512F, 12×32 (gemm_micro_kernel.inc over base's SimdAvx512).
// Compiled for AVX-512F (the pragma below; clang gets per-file flags) and run only when base's
// ActiveIsa() is avx512; it includes nothing but the traits and the template.
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx512f")
// GCC 12 reports its own AVX-512 intrinsics' internal _mm512_undefined_* values as "maybe
// uninitialized" once inlined; the warning is about the header, not this code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "base/simd_avx512.h"

namespace wordspace::transformer::internal {
namespace {

#include "transformer/gemm_micro_kernel.inc"

}  // namespace

void GemmMicroAvx512(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate) {
  MicroTile<SimdAvx512, 12, 2>(kc, a, b, c, ldc, accumulate);
}

}  // namespace wordspace::transformer::internal

#endif  // x86
