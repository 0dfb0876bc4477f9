// AVX-512 version of the batched skip-gram kernels (sgns_kernels.h): one 16-float register per
// row slice. Compiled for AVX-512F (the pragma below) and run only after SgnsKernels::Best() has checked the CPU;
// it includes nothing but <immintrin.h> and the kernel template (see sgns_kernels_impl.inc).
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
