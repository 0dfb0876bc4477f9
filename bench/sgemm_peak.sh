#!/usr/bin/env bash
# OpenBLAS sgemm rate on this machine, with 1 and 2 threads: the FLOP/s ceiling the skip-gram
# kernels are compared against (bench/train_bench.sh prints the trainer's own rate). The program
# (bench/embeddings/sgemm_peak.cc) is built with CMake (-DWORDSPACE_BUILD_BENCH=ON) in
# build-bench/, or in --build DIR.
#
#   bench/sgemm_peak.sh [--build DIR] [N] [seconds]
#
# Debian's OpenBLAS 0.3.21 takes an AVX-512 EPYC for a Prescott and runs slow SSE kernels unless
# told the core type; OPENBLAS_CORETYPE is set for this measurement only.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build="$repo/build-bench"
if [[ "${1:-}" == --build ]]; then
  build="$2"
  shift 2
fi
n=${1:-2048}
seconds=${2:-3}
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWORDSPACE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target sgemm_peak -j "$(nproc)" >/dev/null
for threads in 1 2; do
  for core in SKYLAKEX HASWELL; do
    printf 'OPENBLAS_CORETYPE=%-8s ' "$core"
    OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=$threads "$build/bench/sgemm_peak" "$n" "$seconds"
  done
done
