#include "transformer/gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/aligned_buffer.h"
#include "base/check.h"
#include "base/isa_dispatch.h"
#include "base/parallel_for.h"

// GCC 12 reports its own AVX-512 intrinsics' internal _mm512_undefined_* values as "maybe
// uninitialized" once inlined; the warning is about the header, not this code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace wordspace::transformer {
namespace internal {
// Defined in gemm_kernels_avx512.cc (12×32) and gemm_kernels_avx2.cc (6×16).
void GemmMicroAvx512(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate);
void GemmMicroAvx2(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate);
// Defined in gemm_bf16_avx512.cc (12×32 over k-pairs of bf16).
void GemmBf16MicroAvx512(int kpairs, const uint32_t* a, const uint32_t* b, float* c, int ldc,
                         bool accumulate);
// Also there: fp32 values rounded to bf16 and paired along k, for the bf16 panels.
void Bf16PairsToPanelsAvx512(const float* even, const float* odd, int n, int chunk,
                             uint32_t* dst, size_t chunk_stride);
void Bf16AdjacentPairsAvx512(const float* src, int count, uint32_t* dst, size_t stride);
}  // namespace internal

namespace {

// Cache blocking. A KC×NR panel of B (32 KB for NR = 32) stays in L1 while the micro-kernel
// sweeps the MC×KC block of A (L2); the KC×NC block of B lives in L3.
constexpr int kKc = 256;
constexpr int kMc = 144;   // a multiple of every MR below (12, 6, 4)
constexpr int kNc = 3072;  // a multiple of every NR below (32, 16)

// A micro-kernel and its tile. T is the packed element: float, or uint32_t for a pair of bf16
// values along k (the depth a micro-kernel is given then counts pairs).
template <typename T>
struct KernelSpecOf {
  using MicroKernel = void (*)(int depth, const T* a, const T* b, float* c, int ldc,
                               bool accumulate);
  Isa kind;
  int mr;
  int nr;
  MicroKernel micro;
};
using KernelSpec = KernelSpecOf<float>;

// ---------------------------------------------------------------------------- micro-kernels
// Each computes an MR×NR tile: c (+)= sum_k a[k*MR + i] * b[k*NR + j], a and b being packed
// panels. The accumulators start at zero and are added to C once at the end, so a tile's value
// never depends on how C was split between threads. The AVX-512 and AVX2 ones are one template
// over base's SIMD traits (gemm_micro_kernel.inc), compiled in gemm_kernels_avx512.cc and
// gemm_kernels_avx2.cc; the portable one is plain C++, the reference.

// Portable: plain loops over a small tile that any compiler vectorises for its baseline ISA.
template <int MR, int NR>
void MicroPortable(int kc, const float* __restrict a, const float* __restrict b, float* c, int ldc,
                   bool accumulate) {
  float acc[MR][NR] = {};
  for (int k = 0; k < kc; ++k) {
    for (int i = 0; i < MR; ++i) {
      const float av = a[i];
#pragma omp simd
      for (int j = 0; j < NR; ++j) acc[i][j] += av * b[j];
    }
    a += MR;
    b += NR;
  }
  for (int i = 0; i < MR; ++i) {
    float* p = c + static_cast<size_t>(i) * ldc;
    for (int j = 0; j < NR; ++j) p[j] = accumulate ? p[j] + acc[i][j] : acc[i][j];
  }
}

constexpr KernelSpec kAvx512Spec{Isa::kAvx512, 12, 32, &internal::GemmMicroAvx512};
constexpr KernelSpec kAvx2Spec{Isa::kAvx2, 6, 16, &internal::GemmMicroAvx2};
constexpr KernelSpec kPortableSpec{Isa::kPortable, 4, 16, &MicroPortable<4, 16>};
constexpr IsaKernels<const KernelSpec*> kKernels{&kPortableSpec, &kAvx2Spec, &kAvx512Spec};
constexpr KernelSpecOf<uint32_t> kBf16Spec{Isa::kAvx512, 12, 32, &internal::GemmBf16MicroAvx512};

// The precision products use (GemmPrecision's value). bf16 is only ever set where the CPU has
// AVX512_BF16; it applies while the instruction set is avx512 (a lower --isa means fp32).
std::atomic<int> g_precision{static_cast<int>(GemmPrecision::kFp32)};

bool UseBf16() {
  return g_precision.load(std::memory_order_relaxed) == static_cast<int>(GemmPrecision::kBf16) &&
         ActiveIsa() == Isa::kAvx512;
}


// The kernel of the active instruction set (base/cpu_features.h: the best the CPU runs, or
// what --isa chose).
const KernelSpec& Kernel() { return *kKernels.Active(); }

// ---------------------------------------------------------------------------- packing
// Packs op(A)[i0:i0+mc, k0:k0+kc] into panels of mr rows: panel p holds, for each k, its mr
// row values (zero beyond M).
// Packs 12 rows (stride lda) of a row-major A for the 12x32 AVX-512 kernel, 16 columns at a
// time: out[k*12 + i] = row_i[k]. A scalar loop would do one strided store per element (the
// output-layer gradient packs 20k-column rows this way every chunk); here each 16x16 block is
// transposed in registers. Returns the columns done (a multiple of 16); the caller does the rest.
__attribute__((target("avx512f"))) int PackRows12Avx512(const float* src, int lda, int kc,
                                                        float* out) {
  int k = 0;
  for (; k + 16 <= kc; k += 16) {
    __m512 r[16];
    for (int i = 0; i < 12; ++i) r[i] = _mm512_loadu_ps(src + static_cast<size_t>(i) * lda + k);
    for (int i = 12; i < 16; ++i) r[i] = _mm512_set1_ps(0.0f);
    __m512 t[16];
    for (int i = 0; i < 16; i += 2) {
      t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
      t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
      const __m512d a = _mm512_castps_pd(t[i]), b = _mm512_castps_pd(t[i + 1]);
      const __m512d c = _mm512_castps_pd(t[i + 2]), d = _mm512_castps_pd(t[i + 3]);
      r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
      r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
      r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
      r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    for (int h = 0; h < 16; h += 8) {
      for (int j = 0; j < 4; ++j) {
        t[h + j] = _mm512_shuffle_f32x4(r[h + j], r[h + 4 + j], 0x88);
        t[h + 4 + j] = _mm512_shuffle_f32x4(r[h + j], r[h + 4 + j], 0xdd);
      }
    }
    for (int j = 0; j < 8; ++j) {
      r[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
      r[8 + j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xdd);
    }
    // r[j] is column j of the block: its 12 row values go to out[(k + j) * 12 ...].
    for (int j = 0; j < 16; ++j) {
      _mm512_mask_storeu_ps(out + static_cast<size_t>(k + j) * 12, 0x0FFF, r[j]);
    }
  }
  return k;
}

void PackA(bool trans, const float* A, int lda, int i0, int mc, int k0, int kc, int mr,
           float* out) {
  static const bool avx512_transpose = CpuSupports(Isa::kAvx512);
  for (int p = 0; p < mc; p += mr) {
    const int rows = std::min(mr, mc - p);
    if (trans) {
      for (int k = 0; k < kc; ++k) {
        const float* src = A + static_cast<size_t>(k0 + k) * lda + i0 + p;
        float* dst = out + static_cast<size_t>(k) * mr;
        for (int i = 0; i < rows; ++i) dst[i] = src[i];
        for (int i = rows; i < mr; ++i) dst[i] = 0.0f;
      }
    } else {
      int k_done = 0;
      if (mr == 12 && rows == 12 && avx512_transpose) {
        k_done = PackRows12Avx512(A + static_cast<size_t>(i0 + p) * lda + k0, lda, kc, out);
      }
      for (int i = 0; i < rows; ++i) {
        const float* src = A + static_cast<size_t>(i0 + p + i) * lda + k0;
        for (int k = k_done; k < kc; ++k) out[static_cast<size_t>(k) * mr + i] = src[k];
      }
      for (int i = rows; i < mr; ++i) {
        for (int k = 0; k < kc; ++k) out[static_cast<size_t>(k) * mr + i] = 0.0f;
      }
    }
    out += static_cast<size_t>(mr) * kc;
  }
}

// Packs op(B)[k0:k0+kc, j0:j0+nc] into panels of nr columns: panel q holds, for each k, its nr
// column values (zero beyond N).
void PackB(bool trans, const float* B, int ldb, int k0, int kc, int j0, int nc, int nr,
           float* out) {
  for (int q = 0; q < nc; q += nr) {
    const int cols = std::min(nr, nc - q);
    if (trans) {
      for (int j = 0; j < cols; ++j) {
        const float* src = B + static_cast<size_t>(j0 + q + j) * ldb + k0;
        for (int k = 0; k < kc; ++k) out[static_cast<size_t>(k) * nr + j] = src[k];
      }
      for (int j = cols; j < nr; ++j) {
        for (int k = 0; k < kc; ++k) out[static_cast<size_t>(k) * nr + j] = 0.0f;
      }
    } else {
      for (int k = 0; k < kc; ++k) {
        const float* src = B + static_cast<size_t>(k0 + k) * ldb + j0 + q;
        float* dst = out + static_cast<size_t>(k) * nr;
        std::memcpy(dst, src, sizeof(float) * cols);
        for (int j = cols; j < nr; ++j) dst[j] = 0.0f;
      }
    }
    out += static_cast<size_t>(nr) * kc;
  }
}

// ---------------------------------------------------------------------------- bf16 packing
// The bf16 kernel's panels hold, for each pair of k values (k even, k + 1), one 32-bit word
// per row (A) or column (B): the even k's bf16 in the lower half, the odd k's in the upper (zero
// past K), which is the operand layout of vdpbf16ps. The rounding (to nearest even) happens
// here, once per packed value, in the AVX-512 routines of gemm_bf16_avx512.cc (packing is a
// quarter of a bf16 product's time when done one value at a time); the products then see only
// bf16 operands. This runs only when UseBf16(), so those routines may be called directly.

// The bf16 panels of a stored matrix X, `width` (mr or nr) panel rows or columns at a time, for
// k in [k0, k0 + kc) and panel indices [p0, p0 + np): panel p holds, for each k-pair, its
// `width` pairs. `k_is_row` says how X stores them: k as its row (so one pass over rows k and
// k + 1 gives a k-pair of every panel), or k along each row (each of X's rows p0.. becomes one
// word column of a panel). A and B differ only in which way round they are stored.
void PackPanelsBf16(bool k_is_row, const float* X, int ld, int k0, int kc, int p0, int np,
                    int width, uint32_t* out) {
  const int pairs = (kc + 1) / 2;
  const size_t panel = static_cast<size_t>(width) * pairs;  // words per panel
  if (k_is_row) {
    for (int q = 0; q < pairs; ++q) {
      const float* even = X + static_cast<size_t>(k0 + 2 * q) * ld + p0;
      internal::Bf16PairsToPanelsAvx512(even, 2 * q + 1 < kc ? even + ld : nullptr, np, width,
                                        out + static_cast<size_t>(q) * width, panel);
    }
    return;
  }
  for (int p = 0; p < np; p += width) {
    const int used = std::min(width, np - p);
    for (int i = 0; i < used; ++i) {
      internal::Bf16AdjacentPairsAvx512(X + static_cast<size_t>(p0 + p + i) * ld + k0, kc,
                                        out + i, width);
    }
    for (int i = used; i < width; ++i) {
      for (int q = 0; q < pairs; ++q) out[static_cast<size_t>(q) * width + i] = 0;
    }
    out += panel;
  }
}

// As PackA and PackB, for the bf16 kernel: op(A) is stored with k along its rows unless
// transposed; op(B) with k as its rows unless transposed.
void PackABf16(bool trans, const float* A, int lda, int i0, int mc, int k0, int kc, int mr,
               uint32_t* out) {
  PackPanelsBf16(trans, A, lda, k0, kc, i0, mc, mr, out);
}

void PackBBf16(bool trans, const float* B, int ldb, int k0, int kc, int j0, int nc, int nr,
               uint32_t* out) {
  PackPanelsBf16(!trans, B, ldb, k0, kc, j0, nc, nr, out);
}

// The two packed formats GemmBlock runs on: Depth is how many packed elements a panel row has
// for kc values of k.
struct Fp32Format {
  using T = float;
  static int Depth(int kc) { return kc; }
  static void PackA(bool trans, const float* A, int lda, int i0, int mc, int k0, int kc, int mr,
                    T* out) {
    transformer::PackA(trans, A, lda, i0, mc, k0, kc, mr, out);
  }
  static void PackB(bool trans, const float* B, int ldb, int k0, int kc, int j0, int nc, int nr,
                    T* out) {
    transformer::PackB(trans, B, ldb, k0, kc, j0, nc, nr, out);
  }
};

struct Bf16Format {
  using T = uint32_t;
  static int Depth(int kc) { return (kc + 1) / 2; }
  static void PackA(bool trans, const float* A, int lda, int i0, int mc, int k0, int kc, int mr,
                    T* out) {
    PackABf16(trans, A, lda, i0, mc, k0, kc, mr, out);
  }
  static void PackB(bool trans, const float* B, int ldb, int k0, int kc, int j0, int nc, int nr,
                    T* out) {
    PackBBf16(trans, B, ldb, k0, kc, j0, nc, nr, out);
  }
};

// Where GemmBlock gets its packed panels of op(B): packed on the fly per (k-block, column
// block), or taken from a PackedMatrix packed once.
template <typename Format>
struct OnTheFlyB {
  using T = typename Format::T;
  bool trans;
  const float* B;
  int ldb;
  int nr;
  T* buffer;
  int jc = 0;
  void Prepare(int pc, int kc, int jc_, int nc) {
    jc = jc_;
    Format::PackB(trans, B, ldb, pc, kc, jc_, nc, nr, buffer);
  }
  const T* Panel(int /*pc*/, int kc, int j) const {
    return buffer + static_cast<size_t>(j - jc) * Format::Depth(kc);
  }
};

template <typename Format>
struct PrepackedB {
  using T = typename Format::T;
  const T* data;
  int panels;  // ceil(N / nr)
  int nr;
  void Prepare(int, int, int, int) {}
  // pc is a multiple of kKc (even), so Depth(pc) counts the k-blocks before it exactly.
  const T* Panel(int pc, int kc, int j) const {
    return data + static_cast<size_t>(Format::Depth(pc)) * panels * nr +
           static_cast<size_t>(j) * Format::Depth(kc);
  }
};

// C[m0:m1, n0:n1] (+)= op(A)[m0:m1, :] · op(B)[:, n0:n1] on the calling thread.
template <typename Format, typename BSource>
void GemmBlock(const KernelSpecOf<typename Format::T>& ks, bool trans_a, int m0, int m1, int n0,
               int n1, int K, const float* A, int lda, BSource& bsrc, float* C, int ldc,
               bool accumulate) {
  using T = typename Format::T;
  static_assert(sizeof(T) == sizeof(float), "the scratch buffers hold floats");
  thread_local AlignedBuffer a_buf;  // packing scratch, grown once per thread
  const int mr = ks.mr, nr = ks.nr;
  T* ap = reinterpret_cast<T*>(a_buf.Reserve(static_cast<size_t>(kMc) * kKc));
  alignas(64) float tile[16 * 64];
  for (int jc = n0; jc < n1; jc += kNc) {
    const int nc = std::min(kNc, n1 - jc);
    for (int pc = 0; pc < K; pc += kKc) {
      const int kc = std::min(kKc, K - pc);
      const int depth = Format::Depth(kc);
      const bool acc = accumulate || pc > 0;
      bsrc.Prepare(pc, kc, jc, nc);
      for (int ic = m0; ic < m1; ic += kMc) {
        const int mc = std::min(kMc, m1 - ic);
        Format::PackA(trans_a, A, lda, ic, mc, pc, kc, mr, ap);
        for (int jr = 0; jr < nc; jr += nr) {
          const int cols = std::min(nr, nc - jr);
          const T* bpanel = bsrc.Panel(pc, kc, jc + jr);
          for (int ir = 0; ir < mc; ir += mr) {
            const int rows = std::min(mr, mc - ir);
            const T* apanel = ap + static_cast<size_t>(ir) * depth;
            float* c = C + static_cast<size_t>(ic + ir) * ldc + jc + jr;
            if (rows == mr && cols == nr) {
              ks.micro(depth, apanel, bpanel, c, ldc, acc);
            } else {
              // Edge tile: run the same kernel on a full-size tile and copy the valid part, so
              // edge elements get exactly the arithmetic of interior ones.
              if (acc) {
                for (int i = 0; i < rows; ++i) {
                  std::memcpy(tile + i * nr, c + static_cast<size_t>(i) * ldc,
                              sizeof(float) * cols);
                }
              }
              ks.micro(depth, apanel, bpanel, tile, nr, acc);
              for (int i = 0; i < rows; ++i) {
                std::memcpy(c + static_cast<size_t>(i) * ldc, tile + i * nr, sizeof(float) * cols);
              }
            }
          }
        }
      }
    }
  }
}

// Splits C between threads along the dimension with more micro-panels, at panel boundaries,
// and runs block(m0, m1, n0, n1) on each.
template <typename Spec, typename Block>
void SplitAndRun(const Spec& ks, int M, int N, int K, int threads, Block&& block) {
  const int panels_m = (M + ks.mr - 1) / ks.mr;
  const int panels_n = (N + ks.nr - 1) / ks.nr;
  const bool split_m = panels_m >= panels_n;
  const int panels = split_m ? panels_m : panels_n;
  // Below ~2 MFLOP per thread the fork/join costs more than it saves.
  const double flops = 2.0 * M * N * K;
  const int nt = std::max(1, std::min({threads, panels, static_cast<int>(flops / 2e6) + 1}));
  if (nt == 1) {
    block(0, M, 0, N);
    return;
  }
  ThreadPool::Global(nt).Run(nt, [&](int t) {
    const int n_threads = nt;
    const int p0 = static_cast<int>(static_cast<long>(panels) * t / n_threads);
    const int p1 = static_cast<int>(static_cast<long>(panels) * (t + 1) / n_threads);
    if (p1 > p0) {
      if (split_m) {
        block(p0 * ks.mr, std::min(M, p1 * ks.mr), 0, N);
      } else {
        block(0, M, p0 * ks.nr, std::min(N, p1 * ks.nr));
      }
    }
  });
}

// The degenerate shapes: nothing to do when C is empty; when K = 0 the product is zero, so C is
// cleared unless accumulating. Returns true when the caller has nothing left to do.
bool HandleEmpty(int M, int N, int K, float* C, int ldc, bool accumulate) {
  if (M <= 0 || N <= 0) return true;
  if (K > 0) return false;
  if (!accumulate) {
    for (int i = 0; i < M; ++i) std::memset(C + static_cast<size_t>(i) * ldc, 0, sizeof(float) * N);
  }
  return true;
}

// Sgemm on the kernel `ks` of one packed format.
template <typename Format>
void RunSgemm(const KernelSpecOf<typename Format::T>& ks, bool trans_a, bool trans_b, int M,
              int N, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
              bool accumulate, int threads) {
  SplitAndRun(ks, M, N, K, threads, [&](int m0, int m1, int n0, int n1) {
    thread_local AlignedBuffer b_buf;
    OnTheFlyB<Format> bsrc{trans_b, B, ldb, ks.nr,
                           reinterpret_cast<typename Format::T*>(
                               b_buf.Reserve(static_cast<size_t>(kNc) * kKc))};
    GemmBlock<Format>(ks, trans_a, m0, m1, n0, n1, K, A, lda, bsrc, C, ldc, accumulate);
  });
}

template <typename Format>
void PackInto(const KernelSpecOf<typename Format::T>& ks, bool trans, int K, int N,
              const float* B, int ldb, int threads, int panels, typename Format::T* out) {
  const int nr = ks.nr;
  const int kblocks = (K + kKc - 1) / kKc;
  const int units = kblocks * panels;
  ForEachIndex(units, threads, [&](int64_t u) {
    const int kb = u / panels, q = u % panels;
    const int pc = kb * kKc, kc = std::min(kKc, K - pc);
    Format::PackB(trans, B, ldb, pc, kc, q * nr, std::min(nr, N - q * nr), nr,
                  out + static_cast<size_t>(Format::Depth(pc)) * panels * nr +
                      static_cast<size_t>(q) * nr * Format::Depth(kc));
  });
}

}  // namespace

void Sgemm(bool trans_a, bool trans_b, int M, int N, int K, const float* A, int lda, const float* B,
           int ldb, float* C, int ldc, bool accumulate, int threads) {
  if (HandleEmpty(M, N, K, C, ldc, accumulate)) return;
  if (UseBf16()) {
    RunSgemm<Bf16Format>(kBf16Spec, trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc,
                         accumulate, threads);
  } else {
    RunSgemm<Fp32Format>(Kernel(), trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc, accumulate,
                         threads);
  }
}

void PackedMatrix::Pack(bool trans, int K, int N, const float* B, int ldb, int threads) {
  bf16_ = UseBf16();
  const int nr = bf16_ ? kBf16Spec.nr : Kernel().nr;
  kernel_ = bf16_ ? kBf16Spec.kind : Kernel().kind;
  K_ = K;
  N_ = N;
  nr_ = nr;
  panels_ = (N + nr_ - 1) / nr_;
  const int depth = bf16_ ? Bf16Format::Depth(std::max(K, 1)) : std::max(K, 1);
  float* out = data_.Reserve(static_cast<size_t>(panels_) * nr_ * depth);
  if (bf16_) {
    PackInto<Bf16Format>(kBf16Spec, trans, K, N, B, ldb, threads, panels_,
                         reinterpret_cast<uint32_t*>(out));
  } else {
    PackInto<Fp32Format>(Kernel(), trans, K, N, B, ldb, threads, panels_, out);
  }
}

void SgemmPackedB(bool trans_a, int M, const float* A, int lda, const PackedMatrix& B, float* C,
                  int ldc, bool accumulate, int threads) {
  // Packed for another kernel or precision: re-pack after SetIsaLimit or SetGemmPrecision.
  CHECK(B.bf16_ == UseBf16());
  const int N = B.N_, K = B.K_;
  if (HandleEmpty(M, N, K, C, ldc, accumulate)) return;
  if (B.bf16_) {
    SplitAndRun(kBf16Spec, M, N, K, threads, [&](int m0, int m1, int n0, int n1) {
      PrepackedB<Bf16Format> bsrc{reinterpret_cast<const uint32_t*>(B.data_.data()), B.panels_,
                                  B.nr_};
      GemmBlock<Bf16Format>(kBf16Spec, trans_a, m0, m1, n0, n1, K, A, lda, bsrc, C, ldc,
                            accumulate);
    });
    return;
  }
  const KernelSpec& ks = Kernel();
  CHECK(B.kernel_ == ks.kind);
  SplitAndRun(ks, M, N, K, threads, [&](int m0, int m1, int n0, int n1) {
    PrepackedB<Fp32Format> bsrc{B.data_.data(), B.panels_, B.nr_};
    GemmBlock<Fp32Format>(ks, trans_a, m0, m1, n0, n1, K, A, lda, bsrc, C, ldc, accumulate);
  });
}

Isa ActiveGemmKernel() { return Kernel().kind; }

const char* ActiveGemmKernelName() {
  return UseBf16() ? "avx512-bf16 (12x32)" : GemmKernelName(ActiveGemmKernel());
}

const char* GemmPrecisionName(GemmPrecision precision) {
  return precision == GemmPrecision::kBf16 ? "bf16" : "fp32";
}

absl::StatusOr<GemmPrecision> ParseGemmPrecision(std::string_view name) {
  if (name == "fp32") return GemmPrecision::kFp32;
  if (name == "bf16") return GemmPrecision::kBf16;
  if (name == "auto") {
    return CpuHasAvx512Bf16() && ActiveIsa() == Isa::kAvx512 ? GemmPrecision::kBf16
                                                              : GemmPrecision::kFp32;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown precision '", std::string(name),
                                                 "'; use fp32, bf16 or auto"));
}

absl::Status SetGemmPrecision(GemmPrecision precision) {
  if (precision == GemmPrecision::kBf16) {
    if (!CpuHasAvx512Bf16()) {
      return absl::FailedPreconditionError(
          "bf16 products need AVX512_BF16, which this CPU lacks (it runs " + SupportedIsaList() +
          "); use --precision fp32");
    }
    if (ActiveIsa() != Isa::kAvx512) {
      return absl::FailedPreconditionError(absl::StrCat(
          "bf16 products need the avx512 kernels, but the instruction set is limited to ",
          IsaName(ActiveIsa()), " (--isa); drop --isa or use --precision fp32"));
    }
  }
  g_precision.store(static_cast<int>(precision), std::memory_order_relaxed);
  return absl::OkStatus();
}

GemmPrecision ActiveGemmPrecision() {
  return UseBf16() ? GemmPrecision::kBf16 : GemmPrecision::kFp32;
}

const char* GemmKernelName(Isa kernel) {
  switch (kernel) {
    case Isa::kAvx512:
      return "avx512 (12x32)";
    case Isa::kAvx2:
      return "avx2+fma (6x16)";
    case Isa::kPortable:
      return "portable (4x16)";
  }
  return "?";
}

}  // namespace wordspace::transformer
