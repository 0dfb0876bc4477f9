// Sgemm: single-precision matrix products for the transformer, with our own blocked kernels.
//
// Why not cblas_sgemm: Debian's OpenBLAS 0.3.21 picks its kernels from a CPU-detection table
// (issue 5 reports it taking this AVX-512 EPYC for a Prescott, with 4x slower kernels; in the
// runs made for this file it chose Cooperlake), and the only fix, OPENBLAS_CORETYPE, must be in
// the environment before the process starts and must not name an ISA the machine lacks.
// Measured here (AMD EPYC Zen 4, one thread, GFLOP per CPU-second; the FMA peak is 114-117):
// OpenBLAS with Cooperlake kernels reached 84-98 on the model's shapes, these kernels 75-94
// (the micro-kernel runs at about 90% of peak; packing is the rest). These kernels are chosen
// at run time from what the CPU reports (cpuid via __builtin_cpu_supports) and cannot fall back
// silently; their results do not depend on the thread count (below); the output layer's weight is
// packed once per step and reused for every chunk (PackedMatrix); and they share the transformer's
// thread pool instead of starting a second one:
//   - AVX-512F: a 12x32 register-blocked micro-kernel (24 zmm accumulators);
//   - AVX2+FMA: a 6x16 micro-kernel (12 ymm accumulators), the classic BLIS Haswell shape;
//   - otherwise a portable C++ micro-kernel (4x16) that the compiler vectorises for SSE2.
// All three use the same BLIS-style packing and cache blocking (Goto and van de Geijn, 2008,
// "Anatomy of High-Performance Matrix Multiplication"). ActiveGemmKernel() names the kernel in
// use so that a slow path is never silent: lm-train prints it.
//
// bf16 (SetGemmPrecision, lm-train's --precision): on CPUs with AVX512_BF16, the products can
// instead round both operands to bf16 (8 bits of mantissa) as they are packed and multiply them
// with vdpbf16ps (gemm_bf16_avx512.cc), which does two multiply-adds per lane and instruction,
// accumulating in fp32; C, the weights and everything outside the products stay fp32. The fp32
// kernels stay the reference and the library's default (lm-train's --precision auto picks bf16
// where it runs: in equal time it trains 1.5x the tokens, README "Precision").
//
// Determinism: every element of C is computed by one thread as the same chain of fused
// multiply-adds over k in the same order, whatever the number of threads. Results are
// therefore bit-identical for any `threads` on a given machine and kernel.
//
// Matrices are row-major. op(A) is M×K and op(B) is K×N:
//   C (M×N) = op(A) · op(B)          (accumulate = false)
//   C (M×N) += op(A) · op(B)         (accumulate = true)
// With trans_a, A is stored K×M (lda ≥ M); otherwise M×K (lda ≥ K). Likewise B.
//
//   // out (N,OC) = inp (N,C) · w(OC,C)^T
//   Sgemm(false, true, N, OC, C, inp, C, w, C, out, OC, /*accumulate=*/false, threads);
#ifndef WORDSPACE_TRANSFORMER_GEMM_H_
#define WORDSPACE_TRANSFORMER_GEMM_H_

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/aligned_buffer.h"
#include "base/cpu_features.h"

namespace wordspace::transformer {

// op(B) (K×N) packed once into the active kernel's panel layout, for products that reuse one
// B with many A: the output layer multiplies every chunk of rows by the same embedding matrix,
// and packing it per chunk would cost a sixth of the product. The packed bits are those
// Sgemm would pack, so SgemmPackedB gives Sgemm's exact results.
class PackedMatrix {
 public:
  // Packs op(B) (trans: B is stored N×K). Packing depends on the kernel: re-pack after
  // SetIsaLimit. Reuses its memory across calls.
  void Pack(bool trans, int K, int N, const float* B, int ldb, int threads);
  int rows() const { return K_; }
  int cols() const { return N_; }

 private:
  friend void SgemmPackedB(bool, int, const float*, int, const PackedMatrix&, float*, int, bool,
                           int);
  AlignedBuffer data_;
  Isa kernel_ = Isa::kPortable;
  bool bf16_ = false;  // packed as bf16 pairs for the bf16 kernel
  int K_ = 0, N_ = 0, nr_ = 0, panels_ = 0;
};

// C (M×N) (+)= op(A) · B with B packed beforehand (N, K from B).
void SgemmPackedB(bool trans_a, int M, const float* A, int lda, const PackedMatrix& B, float* C,
                  int ldc, bool accumulate, int threads);

// Runs on `threads` threads of the pool in thread_pool.h (at least 1). Never fails; shapes are
// the caller's contract.
void Sgemm(bool trans_a, bool trans_b, int M, int N, int K, const float* A, int lda, const float* B,
           int ldb, float* C, int ldc, bool accumulate, int threads);

// The kernel Sgemm uses: the one of base's ActiveIsa() (the best the CPU runs, unless
// SetIsaLimit, that is --isa, chose a narrower one). Change the limit only between products.
Isa ActiveGemmKernel();
// The kernel's instruction set and tile, as lm-train reports it: "avx512 (12x32)".
const char* GemmKernelName(Isa kernel);
// The kernel products use now, with its precision: "avx512 (12x32)" or "avx512-bf16 (12x32)".
const char* ActiveGemmKernelName();

// The precision of the operands of every product: fp32, or bf16 (rounded to nearest even as
// they are packed; fp32 accumulation and results).
enum class GemmPrecision { kFp32, kBf16 };
const char* GemmPrecisionName(GemmPrecision precision);  // "fp32", "bf16"
// "fp32", "bf16" or "auto" (bf16 where the CPU has AVX512_BF16 and the instruction set is not
// limited below avx512, else fp32). InvalidArgument names the choices.
[[nodiscard]] absl::StatusOr<GemmPrecision> ParseGemmPrecision(std::string_view name);
// From now on, every product uses `precision`. FailedPrecondition for bf16 on a CPU without
// AVX512_BF16, or with the instruction set limited below avx512 (--isa). Set it before the
// work starts, like SetIsaLimit: a PackedMatrix must be used with the precision it was packed
// in.
[[nodiscard]] absl::Status SetGemmPrecision(GemmPrecision precision);
GemmPrecision ActiveGemmPrecision();

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_GEMM_H_
