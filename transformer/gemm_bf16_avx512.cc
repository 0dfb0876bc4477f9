// The bf16 gemm micro-kernel, 12×32, for CPUs with AVX512_BF16 (Cooper Lake, Sapphire Rapids,
// Zen 4, Zen 5). vdpbf16ps multiplies pairs of bf16 values and adds both products to one fp32
// lane, so one instruction does the work of two fp32 FMAs: a k-pair of A (two bf16 in 32 bits,
// broadcast) against 16 columns' k-pairs of B. Accumulation is fp32 throughout. Compiled for
// AVX-512 with BF16 (the pragma below; clang gets per-file flags) and run only when gemm.cc
// has checked the CPU (CpuHasAvx512Bf16) and the precision is bf16.
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512bf16")
// GCC 12 reports its own AVX-512 intrinsics' internal _mm512_undefined_* values as "maybe
// uninitialized" once inlined; the warning is about the header, not this code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstdint>

namespace wordspace::transformer::internal {

// c (+)= sum over k-pairs p of a[p*12 + i] · b[p*32 + j] (each a 32-bit pair of bf16: the lower
// half for even k, the upper for odd k), for a 12×32 tile; b 64-byte aligned.
void GemmBf16MicroAvx512(int kpairs, const uint32_t* __restrict a, const uint32_t* __restrict b,
                         float* c, int ldc, bool accumulate) {
  __m512 acc[12][2];
#pragma GCC unroll 12
  for (int i = 0; i < 12; ++i) {
    acc[i][0] = _mm512_setzero_ps();
    acc[i][1] = _mm512_setzero_ps();
  }
  for (int p = 0; p < kpairs; ++p) {
    const __m512bh b0 = (__m512bh)_mm512_load_si512(b);
    const __m512bh b1 = (__m512bh)_mm512_load_si512(b + 16);
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) {
      const __m512bh av = (__m512bh)_mm512_set1_epi32(static_cast<int>(a[i]));
      acc[i][0] = _mm512_dpbf16_ps(acc[i][0], av, b0);
      acc[i][1] = _mm512_dpbf16_ps(acc[i][1], av, b1);
    }
    a += 12;
    b += 32;
  }
#pragma GCC unroll 12
  for (int i = 0; i < 12; ++i) {
    float* row = c + static_cast<long>(i) * ldc;
    if (accumulate) {
      _mm512_storeu_ps(row, _mm512_add_ps(_mm512_loadu_ps(row), acc[i][0]));
      _mm512_storeu_ps(row + 16, _mm512_add_ps(_mm512_loadu_ps(row + 16), acc[i][1]));
    } else {
      _mm512_storeu_ps(row, acc[i][0]);
      _mm512_storeu_ps(row + 16, acc[i][1]);
    }
  }
}

}  // namespace wordspace::transformer::internal

#endif  // x86
