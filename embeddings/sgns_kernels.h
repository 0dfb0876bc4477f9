// Small-matrix kernels of the batched skip-gram update (Ji et al., "Parallelizing Word2Vec in
// Shared and Distributed Memory", 2016): per centre word, the B context rows of the input matrix
// and the T rows of the output matrix (the centre word and the window's shared negatives) give
// one B×T score matrix and two rank-T / rank-B updates, instead of B·T separate dot products and
// axpys. Level-3 BLAS is far too slow at these sizes (B ≤ 2·window, T = 1 + negative), so the
// kernels are written here with AVX-512 and AVX2+FMA versions and a portable one, chosen at run
// time from what the CPU supports.
//
// Contract: every row has `dim` floats, `dim` a multiple of kSgnsRowFloats (16), and starts on a
// 64-byte boundary (the trainer pads its rows to PaddedDim(dim)). Rows are passed as pointer
// arrays, so nothing is gathered or scattered.
//
//   const SgnsKernels& k = SgnsKernels::Best();
//   k.scores(in_rows, B, out_rows, T, dim, scores);      // scores (B,T) = in · outᵀ
//   ... g[i*T + j] = alpha * (label_j - sigmoid(scores[i*T + j])) ...
//   k.update(in_rows, B, out_rows, T, dim, g, scratch);  // in += g·out, out += gᵀ·in
#ifndef WORDSPACE_EMBEDDINGS_SGNS_KERNELS_H_
#define WORDSPACE_EMBEDDINGS_SGNS_KERNELS_H_

#include <cstddef>

namespace wordspace::embeddings {

// Row length unit of the kernels: 16 floats, one cache line and one AVX-512 register.
inline constexpr int kSgnsRowFloats = 16;

// `dim` rounded up to a multiple of kSgnsRowFloats; the extra columns stay zero.
inline constexpr int PaddedDim(int dim) {
  return (dim + kSgnsRowFloats - 1) / kSgnsRowFloats * kSgnsRowFloats;
}

// Floats of scratch that `update` needs for B input rows and T output rows.
inline constexpr size_t SgnsUpdateScratch(int B, int T) {
  return static_cast<size_t>(B + T) * kSgnsRowFloats;
}

// scores (B,T) row-major: scores[i*T + j] = <in[i], out[j]>.
using SgnsScoresFn = void (*)(const float* const* in, int B, const float* const* out, int T,
                              int dim, float* scores);
// With g (B,T) row-major, using only the values the rows had before the call:
//   in[i]  += Σ_j g[i*T + j] · out[j]      (i < B)
//   out[j] += Σ_i g[i*T + j] · in[i]       (j < T)
// A row may appear more than once within `in` or within `out`; each occurrence then adds its
// own term (as separate calls would, up to rounding). No row of `in` may alias a row of `out`.
// `scratch` holds SgnsUpdateScratch(B, T) floats, 64-byte aligned.
using SgnsUpdateFn = void (*)(float* const* in, int B, float* const* out, int T, int dim,
                              const float* g, float* scratch);

struct SgnsKernels {
  const char* name;  // "avx512", "avx2" or "portable"
  SgnsScoresFn scores;
  SgnsUpdateFn update;

  // The version of base's ActiveIsa(): the widest this CPU runs (AVX-512F, else AVX2+FMA, else
  // portable) unless --isa chose a narrower one.
  static const SgnsKernels& Best();
  // The portable version (vector extensions of the compiler's baseline ISA).
  static const SgnsKernels& Portable();
  // Every version this CPU runs, widest first (for tests and benchmarks).
  static int Available(const SgnsKernels** out, int capacity);
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SGNS_KERNELS_H_
