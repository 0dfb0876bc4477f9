// AVX-512 version of the batched skip-gram kernels (sgns_kernels.h): one 16-float register per
// row slice. Compiled for AVX-512F (the pragma below) and run only when base's ActiveIsa() is
// avx512; it includes nothing but base's AVX-512 traits and the kernel template (see
// sgns_kernels_impl.inc and base/simd_avx512.h).
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx512f,avx2,fma")
// GCC 12's AVX-512 intrinsics pass an "undefined" register as the pass-through operand of their
// masked builtins, which -Wmaybe-uninitialized reports (GCC bug 105593); nothing here is
// uninitialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "base/simd_avx512.h"

namespace wordspace::embeddings::internal {
namespace {

// The kernel's register blocking: 32 zmm registers hold 2·8 accumulators and 3 operands.
struct Avx512 : SimdAvx512 {
  static constexpr int kMaxBlock = 8;
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
