// Measures this machine's single-precision FMA peak, in GFLOP per CPU-second and per core: the
// ceiling bench/transformer_bench.sh compares lm-train's GFLOP/s against. It runs independent
// register-only FMA chains, in the widest instruction set the gemm kernels use on this CPU
// (transformer/gemm.h's ActiveGemmKernel), on `--threads` threads of base's pool for about
// `--seconds`. Each thread's figure is per its own CPU time, so it stays meaningful on a shared
// (loaded) machine; the printed figure is their mean.
//
// On a CPU with AVX512_BF16 it also measures the bf16 peak: the same chains of vdpbf16ps, each
// instruction 16 lanes x 2 multiply-adds (the ceiling of lm-train --precision bf16).
//
//   fma_peak [--threads 1] [--seconds 0.5] [--json]
//     → fma peak avx512 (12x32)  threads 2  93.1 GFLOP per CPU-second per core
//     → {"peak_gflops_per_core":93.1,"threads":2,"isa":"avx512 (12x32)",
//        "bf16_peak_gflops_per_core":186.0}     (with --json; the bf16 key only where it runs)
#include <immintrin.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "base/cpu_features.h"
#include "base/cpu_time.h"
#include "base/json.h"
#include "base/thread_pool.h"
#include "transformer/gemm.h"

namespace {

using wordspace::Isa;

// Register-only FMA chains: 16 independent accumulators hide the FMA latency.
__attribute__((target("avx512f"))) float PeakLoopAvx512(long iters) {
  __m512 acc[16];
  const __m512 mul = _mm512_set1_ps(0.999999f), add = _mm512_set1_ps(1e-7f);
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(static_cast<float>(i));
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_ps(acc[i], mul, add);
  }
  __m512 s = acc[0];
  for (int i = 1; i < 16; ++i) s = _mm512_add_ps(s, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, s);
  return out[0];
}
constexpr double kFlopsPerIterAvx512 = 16.0 * 32.0;

__attribute__((target("avx2,fma"))) float PeakLoopAvx2(long iters) {
  __m256 acc[12];
  const __m256 mul = _mm256_set1_ps(0.999999f), add = _mm256_set1_ps(1e-7f);
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(static_cast<float>(i));
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], mul, add);
  }
  __m256 s = acc[0];
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, s);
  return out[0];
}
constexpr double kFlopsPerIterAvx2 = 12.0 * 16.0;

// vdpbf16ps chains: acc += a.even * b.even + a.odd * b.odd in each of 16 fp32 lanes.
__attribute__((target("avx512f,avx512bf16"))) float PeakLoopBf16(long iters) {
  __m512 acc[16];
  const __m512bh a = _mm512_cvtne2ps_pbh(_mm512_set1_ps(0.5f), _mm512_set1_ps(0.25f));
  const __m512bh b = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-7f), _mm512_set1_ps(2e-7f));
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(static_cast<float>(i));
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_dpbf16_ps(acc[i], a, b);
  }
  __m512 s = acc[0];
  for (int i = 1; i < 16; ++i) s = _mm512_add_ps(s, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, s);
  return out[0];
}
constexpr double kFlopsPerIterBf16 = 16.0 * 64.0;

float PeakLoopPortable(long iters) {
  float acc[8][16];
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 16; ++j) acc[i][j] = static_cast<float>(i + j);
  for (long it = 0; it < iters; ++it) {
    for (int i = 0; i < 8; ++i) {
#pragma omp simd
      for (int j = 0; j < 16; ++j) acc[i][j] = acc[i][j] * 0.999999f + 1e-7f;
    }
  }
  float s = 0;
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 16; ++j) s += acc[i][j];
  return s;
}
constexpr double kFlopsPerIterPortable = 8.0 * 16.0 * 2.0;

// The mean over `threads` threads of each one's GFLOP per CPU-second, for about `seconds`:
// of the FMA chains of `isa`, or with `bf16` of the vdpbf16ps chains.
double MeasurePeakGflopsPerCore(Isa isa, bool bf16, int threads, double seconds) {
  const double per_iter = bf16                ? kFlopsPerIterBf16
                          : isa == Isa::kAvx512 ? kFlopsPerIterAvx512
                          : isa == Isa::kAvx2   ? kFlopsPerIterAvx2
                                                : kFlopsPerIterPortable;
  auto run = [isa, bf16](long iters) {
    return bf16                ? PeakLoopBf16(iters)
           : isa == Isa::kAvx512 ? PeakLoopAvx512(iters)
           : isa == Isa::kAvx2   ? PeakLoopAvx2(iters)
                                 : PeakLoopPortable(iters);
  };
  // Calibrate on one thread: iterations for about `seconds` of CPU time.
  long iters = 1 << 16;
  double spent = 0;
  volatile float sink = 0;
  while (true) {
    const double c0 = wordspace::ThreadCpuSeconds();
    sink = sink + run(iters);
    spent = wordspace::ThreadCpuSeconds() - c0;
    if (spent > 0.05) break;
    iters *= 4;
  }
  iters = static_cast<long>(iters * seconds / spent) + 1;
  std::vector<double> gflops(threads, 0.0);
  std::vector<float> sums(threads, 0.0f);
  wordspace::ThreadPool::Global(threads).Run(threads, [&](int t) {
    const double c0 = wordspace::ThreadCpuSeconds();
    sums[t] = run(iters);
    gflops[t] = per_iter * static_cast<double>(iters) / (wordspace::ThreadCpuSeconds() - c0) / 1e9;
  });
  double sum = 0;
  for (int t = 0; t < threads; ++t) {
    sum += gflops[t];
    sink = sink + sums[t];
  }
  return sum / threads;
}

int Usage() {
  std::fprintf(stderr, "usage: fma_peak [--threads N] [--seconds S] [--json]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1;
  double seconds = 0.5;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if ((arg == "--threads" || arg == "--seconds") && i + 1 < argc) {
      char* end = nullptr;
      const double value = std::strtod(argv[++i], &end);
      if (*end != '\0' || !(value > 0)) return Usage();
      if (arg == "--threads") {
        threads = static_cast<int>(value);
        if (threads != value || threads > 1024) return Usage();
      } else {
        seconds = value;
      }
    } else if (arg == "-h" || arg == "--help") {
      Usage();
      return 0;
    } else {
      return Usage();
    }
  }
  const Isa isa = wordspace::transformer::ActiveGemmKernel();
  const double peak = MeasurePeakGflopsPerCore(isa, false, threads, seconds);
  const bool bf16 = isa == Isa::kAvx512 && wordspace::CpuHasAvx512Bf16();
  const double bf16_peak = bf16 ? MeasurePeakGflopsPerCore(isa, true, threads, seconds) : 0;
  const char* name = wordspace::transformer::GemmKernelName(isa);
  if (json) {
    wordspace::Json out = {{"peak_gflops_per_core", peak}, {"threads", threads}, {"isa", name}};
    if (bf16) out["bf16_peak_gflops_per_core"] = bf16_peak;
    std::printf("%s\n", wordspace::Dump(out).c_str());
  } else {
    std::printf("fma peak %s  threads %d  %.1f GFLOP per CPU-second per core\n", name, threads,
                peak);
    if (bf16) {
      std::printf("bf16 peak (vdpbf16ps)  threads %d  %.1f GFLOP per CPU-second per core\n",
                  threads, bf16_peak);
    }
  }
  return 0;
}
