// AVX2+FMA version of the batched skip-gram kernels (sgns_kernels.h). This file is compiled with
// -mavx2 -mfma and runs only after SgnsKernels::Best() has checked the CPU. It includes nothing but
// <immintrin.h> and the kernel template (see sgns_kernels_impl.inc for why).
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx2,fma")
#include <immintrin.h>

namespace wordspace::embeddings::internal {
namespace {

struct Avx2 {
  using R = __m256;
  static constexpr int kLanes = 8;
  static constexpr int kMaxBlock = 6;  // 16 ymm registers: 2·6 accumulators + 3 operands
  static R Zero() { return _mm256_setzero_ps(); }
  static R Load(const float* p) { return _mm256_load_ps(p); }
  static void Store(float* p, R r) { _mm256_store_ps(p, r); }
  static R Set1(float x) { return _mm256_set1_ps(x); }
  static R Add(R a, R b) { return _mm256_add_ps(a, b); }
  static R Fma(R a, R b, R c) { return _mm256_fmadd_ps(a, b, c); }
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

#include "embeddings/sgns_kernels_impl.inc"

}  // namespace

void ScoresAvx2(const float* const* in, int B, const float* const* out, int T, int dim,
                float* scores) {
  ScoresImpl<Avx2>(in, B, out, T, dim, scores);
}

void UpdateAvx2(float* const* in, int B, float* const* out, int T, int dim, const float* g,
                float* scratch) {
  UpdateImpl<Avx2>(in, B, out, T, dim, g, scratch);
}

}  // namespace wordspace::embeddings::internal

#endif  // x86
