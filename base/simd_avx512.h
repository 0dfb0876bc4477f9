// SimdAvx512: AVX-512F as one of base's SIMD traits (with simd_avx2.h and simd_portable.h). An
// intrinsics kernel (the gemm micro-kernel, the batched skip-gram kernels) is written once, as a
// template over the traits (R the register type, kLanes floats in it, and the operations
// below), instantiated in one file per instruction set compiled for it (`#pragma GCC target`,
// and per-file flags for clang), and chosen at run time through base/isa_dispatch.h's
// IsaKernels. Such a file includes nothing but this header and its kernel's template: inline
// functions of other headers would be compiled for AVX-512 there, and the linker might keep
// that copy for baseline code too.
//
//   template <typename S> void Axpy(float a, const float* x, float* y, int n) {  // n % kLanes == 0
//     for (int i = 0; i < n; i += S::kLanes)
//       S::StoreU(y + i, S::Fma(S::Set1(a), S::LoadU(x + i), S::LoadU(y + i)));
//   }
#ifndef WORDSPACE_BASE_SIMD_AVX512_H_
#define WORDSPACE_BASE_SIMD_AVX512_H_

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

namespace wordspace {

struct SimdAvx512 {
  using R = __m512;
  static constexpr int kLanes = 16;
  static R Zero() { return _mm512_setzero_ps(); }
  static R Load(const float* p) { return _mm512_load_ps(p); }  // 64-byte aligned
  static R LoadU(const float* p) { return _mm512_loadu_ps(p); }
  static void Store(float* p, R r) { _mm512_store_ps(p, r); }
  static void StoreU(float* p, R r) { _mm512_storeu_ps(p, r); }
  static R Set1(float x) { return _mm512_set1_ps(x); }
  static R Add(R a, R b) { return _mm512_add_ps(a, b); }
  static R Fma(R a, R b, R c) { return _mm512_fmadd_ps(a, b, c); }  // a·b + c, one rounding
  static float Sum(R r) {
    R s = _mm512_add_ps(r, _mm512_shuffle_f32x4(r, r, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm512_add_ps(s, _mm512_shuffle_f32x4(s, s, _MM_SHUFFLE(2, 3, 0, 1)));
    s = _mm512_add_ps(s, _mm512_permute_ps(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm512_add_ps(s, _mm512_permute_ps(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm512_cvtss_f32(s);
  }
  // Four sums with one shuffle tree: interleave within 128-bit lanes until each lane holds
  // [r0 r1 r2 r3] partials, then add the four lanes.
  static void Sum4(const R* r, float* out) {
    const R ab = _mm512_add_ps(_mm512_unpacklo_ps(r[0], r[1]), _mm512_unpackhi_ps(r[0], r[1]));
    const R cd = _mm512_add_ps(_mm512_unpacklo_ps(r[2], r[3]), _mm512_unpackhi_ps(r[2], r[3]));
    // ab lanes: [a0+a2, b0+b2, a1+a3, b1+b3]; cd likewise.
    const R abcd = _mm512_add_ps(
        _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(ab), _mm512_castps_pd(cd))),
        _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(ab), _mm512_castps_pd(cd))));
    // abcd lanes: [a, b, c, d] partials of each 128-bit quarter.
    R s = _mm512_add_ps(abcd, _mm512_shuffle_f32x4(abcd, abcd, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm512_add_ps(s, _mm512_shuffle_f32x4(s, s, _MM_SHUFFLE(2, 3, 0, 1)));
    _mm_storeu_ps(out, _mm512_castps512_ps128(s));
  }
};

}  // namespace wordspace

#endif  // x86

#endif  // WORDSPACE_BASE_SIMD_AVX512_H_
