#!/usr/bin/env bash
# FLOP rate of the batched skip-gram kernels per instruction set, on cache-resident and on
# vocabulary-wide random rows (see bench/embeddings/sgns_kernel_peak.cc); compare with
# bench/sgemm_peak.sh. The program links the embeddings library as the Release build compiles
# it: the script configures and builds it with CMake (-DWORDSPACE_BUILD_BENCH=ON) in
# build-bench/, or in --build DIR.
#
#   bench/sgns_kernel_peak.sh [--build DIR] [B] [T] [dim] [rows] [seconds]
#                                                              (defaults 6 6 112 75912 2)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build="$repo/build-bench"
if [[ "${1:-}" == --build ]]; then
  build="$2"
  shift 2
fi
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWORDSPACE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target sgns_kernel_peak -j "$(nproc)" >/dev/null
"$build/bench/sgns_kernel_peak" "$@"
