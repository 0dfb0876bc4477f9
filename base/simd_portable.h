// SimdPortable: four floats in the compiler's generic vector type (SSE2 on any x86-64, NEON on
// ARM, scalar code elsewhere), as one of base's SIMD traits; simd_avx512.h says how they are
// used. Fma is a·b + c with two roundings (no FMA in the baseline instruction set).
#ifndef WORDSPACE_BASE_SIMD_PORTABLE_H_
#define WORDSPACE_BASE_SIMD_PORTABLE_H_

#include <cstring>

namespace wordspace {

struct SimdPortable {
  typedef float R __attribute__((vector_size(16)));
  static constexpr int kLanes = 4;
  static R Zero() { return R{0, 0, 0, 0}; }
  static R Load(const float* p) {
    R r;
    std::memcpy(&r, p, sizeof(r));
    return r;
  }
  static R LoadU(const float* p) { return Load(p); }
  static void Store(float* p, R r) { std::memcpy(p, &r, sizeof(r)); }
  static void StoreU(float* p, R r) { Store(p, r); }
  static R Set1(float x) { return R{x, x, x, x}; }
  static R Add(R a, R b) { return a + b; }
  static R Fma(R a, R b, R c) { return a * b + c; }
  static float Sum(R r) { return (r[0] + r[1]) + (r[2] + r[3]); }
  static void Sum4(const R* r, float* out) {
    for (int e = 0; e < 4; ++e) out[e] = Sum(r[e]);
  }
};

}  // namespace wordspace

#endif  // WORDSPACE_BASE_SIMD_PORTABLE_H_
