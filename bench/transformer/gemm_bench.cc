// Sgemm (transformer/gemm.h) per instruction-set level, on one thread: a square product and
// the output layer's skinny shape (rows of a chunk × vocabulary × d_model). Reports FLOP/s.
//
//   build/bench/gemm_bench --benchmark_filter=avx512
#include <benchmark/benchmark.h>

#include <vector>

#include "base/cpu_features.h"
#include "transformer/gemm.h"

namespace wordspace::transformer {
namespace {

void BM_Sgemm(benchmark::State& state, Isa isa) {
  if (!CpuSupports(isa)) {
    state.SkipWithError("this CPU cannot run this level");
    return;
  }
  if (!SetIsaLimit(isa).ok()) return;
  const int M = state.range(0), N = state.range(1), K = state.range(2);
  std::vector<float> A(static_cast<size_t>(M) * K, 0.5f), B(static_cast<size_t>(K) * N, 0.25f),
      C(static_cast<size_t>(M) * N);
  for (auto _ : state) {
    Sgemm(false, true, M, N, K, A.data(), K, B.data(), K, C.data(), N, false, 1);
    benchmark::DoNotOptimize(C.data());
  }
  state.counters["FLOP/s"] =
      benchmark::Counter(2.0 * M * N * K * state.iterations(), benchmark::Counter::kIsRate);
  state.SetLabel(GemmKernelName(ActiveGemmKernel()));
  ClearIsaLimit();
}

void Shapes(benchmark::internal::Benchmark* b) { b->Args({256, 256, 256})->Args({256, 8192, 128}); }

BENCHMARK_CAPTURE(BM_Sgemm, avx512, Isa::kAvx512)->Apply(Shapes);
BENCHMARK_CAPTURE(BM_Sgemm, avx2, Isa::kAvx2)->Apply(Shapes);
BENCHMARK_CAPTURE(BM_Sgemm, portable, Isa::kPortable)->Apply(Shapes);

}  // namespace
}  // namespace wordspace::transformer
