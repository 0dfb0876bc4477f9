// Google Benchmark of the blocked sgemm (transformer/gemm.h) at the shapes of one lm-train step
// of bench/transformer_bench.sh (batch 32 x context 64 = 2048 rows, d_model 128), for every
// kernel this CPU runs, on one thread. Reports GFLOP/s as the "FLOPS" counter.
//
//   build-bench/bench/gemm_bench [--benchmark_filter=avx512]
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "transformer/gemm.h"

namespace {

using wordspace::transformer::GemmKernel;

// C (M×N) = A (M×K) · B^T, B stored N×K: the layout of MatmulForward (weights are out×in).
void BM_SgemmForward(benchmark::State& state, GemmKernel kernel) {
  const int M = static_cast<int>(state.range(0)), K = static_cast<int>(state.range(1)),
            N = static_cast<int>(state.range(2));
  std::vector<float> A(static_cast<size_t>(M) * K), B(static_cast<size_t>(N) * K),
      C(static_cast<size_t>(M) * N);
  for (size_t i = 0; i < A.size(); ++i) A[i] = static_cast<float>(i % 7) * 0.25f;
  for (size_t i = 0; i < B.size(); ++i) B[i] = static_cast<float>(i % 5) * 0.5f;
  wordspace::transformer::SetGemmKernel(kernel);
  for (auto _ : state) {
    wordspace::transformer::Sgemm(false, true, M, N, K, A.data(), K, B.data(), K, C.data(), N,
                                  false, 1);
    benchmark::DoNotOptimize(C.data());
    benchmark::ClobberMemory();
  }
  wordspace::transformer::SetGemmKernel(GemmKernel::kAuto);
  state.counters["FLOPS"] =
      benchmark::Counter(2.0 * M * N * K, benchmark::Counter::kIsIterationInvariantRate);
}

// The products of one transformer layer (qkv, attention projection, MLP in and out) and the
// output layer with V = 20002.
void Shapes(benchmark::internal::Benchmark* b) {
  b->Args({2048, 128, 384})->Args({2048, 128, 128})->Args({2048, 128, 512})->Args({2048, 512, 128});
  b->Args({2048, 128, 20002});
  b->ArgNames({"M", "K", "N"})->Unit(benchmark::kMillisecond);
}

const bool kRegistered = [] {
  for (GemmKernel k : {GemmKernel::kAvx512, GemmKernel::kAvx2, GemmKernel::kPortable}) {
    if (!wordspace::transformer::GemmKernelSupported(k)) continue;
    const std::string name = std::string("Sgemm/") + wordspace::transformer::GemmKernelName(k);
    benchmark::RegisterBenchmark(name.c_str(), BM_SgemmForward, k)->Apply(Shapes);
  }
  return true;
}();

}  // namespace
