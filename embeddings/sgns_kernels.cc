#include "embeddings/sgns_kernels.h"

#include <cstring>

#include "base/isa_dispatch.h"

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

// Four floats in the compiler's generic vector type: SSE on any x86-64, NEON on ARM, scalar
// code elsewhere.
struct Portable {
  typedef float R __attribute__((vector_size(16)));
  static constexpr int kLanes = 4;
  static constexpr int kMaxBlock = 6;
  static R Zero() { return R{0, 0, 0, 0}; }
  static R Load(const float* p) {
    R r;
    std::memcpy(&r, p, sizeof(r));
    return r;
  }
  static void Store(float* p, R r) { std::memcpy(p, &r, sizeof(r)); }
  static R Set1(float x) { return R{x, x, x, x}; }
  static R Add(R a, R b) { return a + b; }
  static R Fma(R a, R b, R c) { return a * b + c; }
  static float Sum(R r) { return (r[0] + r[1]) + (r[2] + r[3]); }
  static void Sum4(const R* r, float* out) {
    for (int e = 0; e < 4; ++e) out[e] = Sum(r[e]);
  }
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
