// SimdAvx2: AVX2 + FMA as one of base's SIMD traits; simd_avx512.h says how they are used, and
// why a file compiled for AVX2 includes nothing but this header and its kernel's template.
#ifndef WORDSPACE_BASE_SIMD_AVX2_H_
#define WORDSPACE_BASE_SIMD_AVX2_H_

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

namespace wordspace {

struct SimdAvx2 {
  using R = __m256;
  static constexpr int kLanes = 8;
  static R Zero() { return _mm256_setzero_ps(); }
  static R Load(const float* p) { return _mm256_load_ps(p); }  // 32-byte aligned
  static R LoadU(const float* p) { return _mm256_loadu_ps(p); }
  static void Store(float* p, R r) { _mm256_store_ps(p, r); }
  static void StoreU(float* p, R r) { _mm256_storeu_ps(p, r); }
  static R Set1(float x) { return _mm256_set1_ps(x); }
  static R Add(R a, R b) { return _mm256_add_ps(a, b); }
  static R Fma(R a, R b, R c) { return _mm256_fmadd_ps(a, b, c); }  // a·b + c, one rounding
  static float Sum(R r) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(r), _mm256_extractf128_ps(r, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  static void Sum4(const R* r, float* out) {
    const R ab = _mm256_hadd_ps(r[0], r[1]);
    const R cd = _mm256_hadd_ps(r[2], r[3]);
    const R abcd = _mm256_hadd_ps(ab, cd);  // [a b c d] partials of each 128-bit half
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1)));
  }
};

}  // namespace wordspace

#endif  // x86

#endif  // WORDSPACE_BASE_SIMD_AVX2_H_
