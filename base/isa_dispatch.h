// The one way a kernel is chosen at run time: a table with one variant per instruction-set level
// (base/cpu_features.h), asked for the variant of ActiveIsa(). A missing variant (null) falls
// back to the next narrower one, so a kernel may have only some levels, and a build for another
// architecture has only the portable one.
//
//   constexpr IsaKernels<ScoresFn> kScores{ScoresPortable, ScoresAvx2, ScoresAvx512};
//   kScores.Active()(in, B, out, T, dim, scores);
//
// WORDSPACE_ISA_VARIANTS compiles one function body for every level (the way to write an
// element-wise kernel that the compiler vectorises): from `Name##Body`, an always-inline
// function, it defines Name##Portable, Name##Avx2 and Name##Avx512 with the given GCC target
// strings (all flattened: every call inside is inlined, so the whole body is compiled for that
// target), a table kName##Variants of them, and Name itself, which calls the active variant.
//
//   WORDSPACE_ALWAYS_INLINE void ScaleBody(float* x, int n, float c) { for (...) x[i] *= c; }
//   WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, Scale, (float* x, int n, float c), (x, n, c))
//   Scale(x, n, 2.0f);  // runs ScaleAvx512 on an AVX-512 CPU unless --isa says otherwise
//
// The target strings are per kernel on purpose: "arch=haswell" also tunes for that CPU, and a
// kernel whose tuned loops are pinned by byte-identity tests keeps the strings it was tuned with.
#ifndef WORDSPACE_BASE_ISA_DISPATCH_H_
#define WORDSPACE_BASE_ISA_DISPATCH_H_

#include "base/cpu_features.h"

namespace wordspace {

template <typename Fn>
struct IsaKernels {
  Fn portable = nullptr;
  Fn avx2 = nullptr;
  Fn avx512 = nullptr;

  // The variant for `isa`, or the next narrower one that exists. `isa` must be one the CPU runs
  // (ActiveIsa() always is; a caller given a level checks CpuSupports first).
  Fn For(Isa isa) const {
    if (isa == Isa::kAvx512 && avx512 != nullptr) return avx512;
    if (isa != Isa::kPortable && avx2 != nullptr) return avx2;
    return portable;
  }
  Fn Active() const { return For(ActiveIsa()); }
};

}  // namespace wordspace

#define WORDSPACE_ALWAYS_INLINE inline __attribute__((always_inline))

#if defined(__x86_64__) || defined(__i386__)
#define WORDSPACE_ISA_VARIANTS(avx512_target, avx2_target, Ret, Name, params, args)   \
  __attribute__((target(avx512_target), flatten)) Ret Name##Avx512 params {           \
    return Name##Body args;                                                           \
  }                                                                                   \
  __attribute__((target(avx2_target), flatten)) Ret Name##Avx2 params {               \
    return Name##Body args;                                                           \
  }                                                                                   \
  __attribute__((flatten)) Ret Name##Portable params { return Name##Body args; }      \
  constexpr ::wordspace::IsaKernels<Ret(*) params> k##Name##Variants{                 \
      &Name##Portable, &Name##Avx2, &Name##Avx512};                                   \
  Ret Name params { return k##Name##Variants.Active() args; }
#else
#define WORDSPACE_ISA_VARIANTS(avx512_target, avx2_target, Ret, Name, params, args)   \
  __attribute__((flatten)) Ret Name##Portable params { return Name##Body args; }      \
  constexpr ::wordspace::IsaKernels<Ret(*) params> k##Name##Variants{&Name##Portable}; \
  Ret Name params { return k##Name##Variants.Active() args; }
#endif

#endif  // WORDSPACE_BASE_ISA_DISPATCH_H_
