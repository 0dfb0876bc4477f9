#include "embeddings/sgns_kernels.h"

#include <cstring>

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

bool HasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
         __builtin_cpu_supports("fma");
}
bool HasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

}  // namespace

const SgnsKernels& SgnsKernels::Portable() { return kPortable; }

const SgnsKernels& SgnsKernels::Best() {
  static const SgnsKernels* best = [] {
#if defined(WORDSPACE_SGNS_X86)
    if (HasAvx512()) return &kAvx512;
    if (HasAvx2()) return &kAvx2;
#endif
    return &kPortable;
  }();
  return *best;
}

int SgnsKernels::Available(const SgnsKernels** out, int capacity) {
  int n = 0;
  auto add = [&](const SgnsKernels& k) {
    if (n < capacity) out[n] = &k;
    ++n;
  };
#if defined(WORDSPACE_SGNS_X86)
  if (HasAvx512()) add(kAvx512);
  if (HasAvx2()) add(kAvx2);
#endif
  add(kPortable);
  return n < capacity ? n : capacity;
}

}  // namespace wordspace::embeddings
