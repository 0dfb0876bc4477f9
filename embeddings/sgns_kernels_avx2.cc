// AVX2+FMA version of the batched skip-gram kernels (sgns_kernels.h). This file is compiled for
// AVX2 and FMA and runs only when base's ActiveIsa() is avx2 or wider. It includes nothing but
// base's AVX2 traits and the kernel template (base/simd_avx512.h says why).
#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx2,fma")
#include "base/simd_avx2.h"

namespace wordspace::embeddings::internal {
namespace {

// The kernel's register blocking: 16 ymm registers hold 2·6 accumulators and 3 operands.
struct Avx2 : SimdAvx2 {
  static constexpr int kMaxBlock = 6;
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
