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

#include <cstddef>
#include <cstdint>

namespace wordspace::transformer::internal {

// c (+)= sum over k-pairs p of a[p*12 + i] · b[p*32 + j] (each a 32-bit pair of bf16: the lower
// half for even k, the upper for odd k), for a 12×32 tile; b 64-byte aligned. The packing
// routines below write those pairs (gemm.cc's PackPanelsBf16 calls them).
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

namespace {

// The mask of the first `n` of 16 lanes (none for n <= 0, all for n >= 16).
inline __mmask16 FirstLanes(int n) {
  return n >= 16 ? __mmask16(0xffff) : n <= 0 ? __mmask16(0) : __mmask16((1u << n) - 1);
}

// fp32 -> bf16, rounded to nearest even, in the upper 16 bits of each lane (the lower ones are
// garbage): a NaN stays a (quiet) NaN. Integer arithmetic on the bits rather than
// vcvtne2ps2bf16, which would flush denormals and give its pairs in the wrong order for the
// panels.
inline __m512i RoundedHigh(__m512 x) {
  const __m512i u = _mm512_castps_si512(x);
  const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1));
  const __m512i rounded = _mm512_add_epi32(_mm512_add_epi32(u, _mm512_set1_epi32(0x7fff)), lsb);
  const __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(u, _mm512_set1_epi32(0x7fffffff)),
                                                _mm512_set1_epi32(0x7f800000));
  return _mm512_mask_or_epi32(rounded, nan, u, _mm512_set1_epi32(0x00400000));
}

}  // namespace

// Two rows of fp32 values (k even and k + 1; odd null past K) rounded to bf16 and paired, cut
// into chunks of `chunk` values, chunk c written to dst + c * chunk_stride and zero-filled to
// `chunk` words: one k-pair of every panel at once (chunk = the panel's mr or nr), reading each
// row once from start to end.
void Bf16PairsToPanelsAvx512(const float* even, const float* odd, int n, int chunk,
                             uint32_t* dst, size_t chunk_stride) {
  const __m512i low_mask = _mm512_set1_epi32(0xffff);
  const __m512i high_mask = _mm512_set1_epi32(static_cast<int>(0xffff0000u));
  for (int c0 = 0; c0 < n; c0 += chunk, dst += chunk_stride) {
    const int len = n - c0 < chunk ? n - c0 : chunk;
    for (int j = 0; j < chunk; j += 16) {
      const __mmask16 load = FirstLanes(len - j);
      const __mmask16 store = FirstLanes(chunk - j);
      // Lanes past `len` load zeros, which round to zero pairs: the panel's padding.
      __m512i pair = _mm512_and_si512(
          _mm512_srli_epi32(RoundedHigh(_mm512_maskz_loadu_ps(load, even + c0 + j)), 16),
          low_mask);
      if (odd != nullptr) {
        pair = _mm512_or_si512(
            pair, _mm512_and_si512(RoundedHigh(_mm512_maskz_loadu_ps(load, odd + c0 + j)),
                                   high_mask));
      }
      _mm512_mask_storeu_epi32(dst + j, store, pair);
    }
  }
}

// dst[q * stride] = bf16(src[2q]) | bf16(src[2q + 1]) << 16 for q < (count + 1) / 2, a missing
// last odd value counting as 0: consecutive values of one row become k-pairs of a panel.
void Bf16AdjacentPairsAvx512(const float* src, int count, uint32_t* dst, size_t stride) {
  // The upper 16-bit word of every 32-bit lane, from two vectors: 32 rounded values -> 16 pairs.
  alignas(64) static constexpr uint16_t kHighWords[32] = {
      1,  3,  5,  7,  9,  11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31,
      33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53, 55, 57, 59, 61, 63};
  const __m512i high_words = _mm512_load_si512(kHighWords);
  alignas(64) uint32_t pairs[16];
  for (int k = 0; k < count; k += 32) {
    const int left = count - k;
    const __m512i a = RoundedHigh(_mm512_maskz_loadu_ps(FirstLanes(left), src + k));
    const __m512i b = RoundedHigh(_mm512_maskz_loadu_ps(FirstLanes(left - 16), src + k + 16));
    _mm512_store_si512(pairs, _mm512_permutex2var_epi16(a, high_words, b));
    const int n = left >= 32 ? 16 : (left + 1) / 2;
    uint32_t* out = dst + static_cast<size_t>(k / 2) * stride;
    for (int q = 0; q < n; ++q) out[static_cast<size_t>(q) * stride] = pairs[q];
  }
}

}  // namespace wordspace::transformer::internal

#endif  // x86
