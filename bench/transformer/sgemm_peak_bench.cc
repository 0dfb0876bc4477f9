// Measures OpenBLAS's single-precision GEMM rate on this machine: the practical FLOP/s ceiling
// that the skip-gram kernels are compared against. Built by CMake with -DWORDSPACE_BUILD_BENCH=ON
// and run by bench/sgemm_peak.sh.
//
//   sgemm_peak [N] [seconds]   → one line: threads, N, GFLOP/s per wall second and per CPU second
#include <cblas.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "base/cpu_time.h"

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2048;
  const double budget = argc > 2 ? std::atof(argv[2]) : 3.0;
  std::vector<float> a(static_cast<size_t>(n) * n), b(a.size()), c(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<float>(i % 7) * 0.25f;
    b[i] = static_cast<float>(i % 5) * 0.5f;
  }
  auto gemm = [&] {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(), n,
                0.0f, c.data(), n);
  };
  gemm();  // warm-up: thread pool, page faults
  const double cpu0 = wordspace::ProcessCpuSeconds();
  const auto wall0 = std::chrono::steady_clock::now();
  int calls = 0;
  double wall = 0;
  do {
    gemm();
    ++calls;
    wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  } while (wall < budget);
  const double cpu = wordspace::ProcessCpuSeconds() - cpu0;
  const double flops = 2.0 * n * n * static_cast<double>(n) * calls;
  std::printf(
      "sgemm threads %d  n %d  calls %d  %.1f GFLOP/s per wall second  %.1f GFLOP per CPU second  "
      "(c[0] %g)\n",
      openblas_get_num_threads(), n, calls, flops / wall * 1e-9, flops / cpu * 1e-9,
      static_cast<double>(c[0]));
  return 0;
}
