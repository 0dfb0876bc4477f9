// FLOP rate of the batched skip-gram kernels (embeddings/sgns_kernels.h) in isolation, per
// instruction-set version: once on random rows among the first 256 of each matrix, which stay
// in cache (the arithmetic ceiling), and once on random rows of two vocabulary-sized matrices
// without prefetching (the memory-bound floor; the trainer prefetches). Built and run by
// bench/sgns_kernel_peak.sh; compare with bench/sgemm_peak.sh.
//
//   sgns_kernel_peak [B] [T] [dim] [rows] [seconds]

#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "base/cpu_time.h"
#include "embeddings/sgns_kernels.h"

namespace {

using wordspace::embeddings::SgnsKernels;
using wordspace::embeddings::SgnsUpdateScratch;

float* Aligned(size_t n) {
  return static_cast<float*>(std::aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64));
}

}  // namespace

int main(int argc, char** argv) {
  const int B = argc > 1 ? std::atoi(argv[1]) : 6;
  const int T = argc > 2 ? std::atoi(argv[2]) : 6;
  const int dim = argc > 3 ? std::atoi(argv[3]) : 112;
  const size_t rows = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 75912;
  const double budget = argc > 5 ? std::atof(argv[5]) : 2.0;
  float* in = Aligned(rows * dim);
  float* out = Aligned(rows * dim);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-0.05f, 0.05f);
  for (size_t i = 0; i < rows * dim; ++i) {
    in[i] = u(rng);
    out[i] = u(rng);
  }
  // Pre-drawn row indices, so the timed loop does only kernel work.
  const int kWindows = 1 << 16;
  std::vector<uint32_t> picks(static_cast<size_t>(kWindows) * (B + T));
  for (uint32_t& p : picks) p = static_cast<uint32_t>(rng() % rows);
  // Gradients of zero keep the rows bounded however long the loop runs; the arithmetic is the same.
  std::vector<float> g(B * T, 0.0f), scores(B * T);
  float* scratch = Aligned(SgnsUpdateScratch(B, T));
  std::vector<float*> in_rows(B), out_rows(T);

  const SgnsKernels* kernels[4];
  const int n = SgnsKernels::Available(kernels, 4);
  constexpr uint32_t kCachedRows = 256;
  for (int k = 0; k < n; ++k) {
    for (int all_rows = 0; all_rows <= 1; ++all_rows) {
      long windows = 0;
      const double start = wordspace::ProcessCpuSeconds();
      double cpu = 0;
      do {
        for (int w = 0; w < 4096; ++w, ++windows) {
          const uint32_t* p = picks.data() + (windows % kWindows) * (B + T);
          for (int i = 0; i < B; ++i) {
            in_rows[i] = in + size_t(all_rows ? p[i] : p[i] % kCachedRows) * dim;
          }
          for (int j = 0; j < T; ++j) {
            out_rows[j] = out + size_t(all_rows ? p[B + j] : p[B + j] % kCachedRows) * dim;
          }
          kernels[k]->scores(in_rows.data(), B, out_rows.data(), T, dim, scores.data());
          kernels[k]->update(in_rows.data(), B, out_rows.data(), T, dim, g.data(), scratch);
        }
        cpu = wordspace::ProcessCpuSeconds() - start;
      } while (cpu < budget);
      // scores: B·T·dim FMAs; update: 2·B·T·dim FMAs; 2 FLOPs each.
      const double flops = 6.0 * B * T * dim * static_cast<double>(windows);
      std::printf(
          "sgns kernel %-8s B %d T %d dim %d  rows from %6zu  %6.1f GFLOP per CPU second  %5.0f "
          "ns/window\n",
          kernels[k]->name, B, T, dim, all_rows ? rows : size_t{kCachedRows}, flops / cpu * 1e-9,
          cpu / windows * 1e9);
    }
  }
  std::free(in);
  std::free(out);
  std::free(scratch);
  return 0;
}
