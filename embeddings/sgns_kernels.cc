#include "embeddings/sgns_kernels.h"

#include <cstring>

#include "base/isa_dispatch.h"
#include "base/simd_portable.h"

#if defined(__x86_64__) || defined(__i386__)
#define WORDSPACE_SGNS_X86 1
#endif

namespace wordspace::embeddings {

#if defined(WORDSPACE_SGNS_X86)
namespace internal {
// Defined in sgns_kernels_avx2.cc and sgns_kernels_avx512.cc.
void ScoresAvx2(const float* const* in, int B, const float* const* out, int T, int dim,
                float* scores);
void UpdateAvx2(float* const* in, int B, float* const* out, int T, int dim, const float* g,
                float* scratch);
void ScoresAvx512(const float* const* in, int B, const float* const* out, int T, int dim,
                  float* scores);
void UpdateAvx512(float* const* in, int B, float* const* out, int T, int dim, const float* g,
                  float* scratch);
}  // namespace internal
#endif

namespace {

// Four floats of the baseline instruction set; 6 accumulator pairs, as AVX2's.
struct Portable : SimdPortable {
  static constexpr int kMaxBlock = 6;
};

#include "embeddings/sgns_kernels_impl.inc"

void ScoresPortable(const float* const* in, int B, const float* const* out, int T, int dim,
                    float* scores) {
  ScoresImpl<Portable>(in, B, out, T, dim, scores);
}

void UpdatePortable(float* const* in, int B, float* const* out, int T, int dim, const float* g,
                    float* scratch) {
  UpdateImpl<Portable>(in, B, out, T, dim, g, scratch);
}

constexpr SgnsKernels kPortable{"portable", ScoresPortable, UpdatePortable};
#if defined(WORDSPACE_SGNS_X86)
constexpr SgnsKernels kAvx2{"avx2", internal::ScoresAvx2, internal::UpdateAvx2};
constexpr SgnsKernels kAvx512{"avx512", internal::ScoresAvx512, internal::UpdateAvx512};
#endif

}  // namespace

const SgnsKernels& SgnsKernels::Portable() { return kPortable; }

#if defined(WORDSPACE_SGNS_X86)
constexpr IsaKernels<const SgnsKernels*> kVariants{&kPortable, &kAvx2, &kAvx512};
#else
constexpr IsaKernels<const SgnsKernels*> kVariants{&kPortable};
#endif

const SgnsKernels& SgnsKernels::Best() { return *kVariants.Active(); }

int SgnsKernels::Available(const SgnsKernels** out, int capacity) {
  int n = 0;
  for (Isa isa : kAllIsas) {
    if (!CpuSupports(isa)) continue;
    const SgnsKernels* k = kVariants.For(isa);
    if (n > 0 && out[n - 1] == k) continue;  // a level without its own variant
    if (n < capacity) out[n++] = k;
  }
  return n;
}

}  // namespace wordspace::embeddings
