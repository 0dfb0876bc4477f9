// AVX-512 version of the batched skip-gram kernels (sgns_kernels.h): one 16-float register per
// row slice. Compiled for AVX-512F (the pragma below) and run only after SgnsKernels::Best() has
// checked the CPU; it includes nothing but <immintrin.h> and the kernel template (see
// sgns_kernels_impl.inc).
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx512f,avx2,fma")
// GCC 12's AVX-512 intrinsics pass an "undefined" register as the pass-through operand of their
// masked builtins, which -Wmaybe-uninitialized reports (GCC bug 105593); nothing here is
// uninitialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

namespace wordspace::embeddings::internal {
namespace {

struct Avx512 {
  using R = __m512;
  static constexpr int kLanes = 16;
  static constexpr int kMaxBlock = 8;  // 32 zmm registers: 2·8 accumulators + 3 operands
  static R Zero() { return _mm512_setzero_ps(); }
  static R Load(const float* p) { return _mm512_load_ps(p); }
  static void Store(float* p, R r) { _mm512_store_ps(p, r); }
  static R Set1(float x) { return _mm512_set1_ps(x); }
  static R Add(R a, R b) { return _mm512_add_ps(a, b); }
  static R Fma(R a, R b, R c) { return _mm512_fmadd_ps(a, b, c); }
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

#include "embeddings/sgns_kernels_impl.inc"

}  // namespace

void ScoresAvx512(const float* const* in, int B, const float* const* out, int T, int dim,
                  float* scores) {
  ScoresImpl<Avx512>(in, B, out, T, dim, scores);
}

void UpdateAvx512(float* const* in, int B, float* const* out, int T, int dim, const float* g,
                  float* scratch) {
  UpdateImpl<Avx512>(in, B, out, T, dim, g, scratch);
}

}  // namespace wordspace::embeddings::internal

#endif  // x86
