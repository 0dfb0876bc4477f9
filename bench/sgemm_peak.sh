#!/usr/bin/env bash
# OpenBLAS sgemm rate on this machine, with 1 and 2 threads: the FLOP/s ceiling the skip-gram
# kernels are compared against (bench/train_bench.sh prints the trainer's own rate).
#
#   bench/sgemm_peak.sh [N] [seconds]
#
# Debian's OpenBLAS 0.3.21 takes an AVX-512 EPYC for a Prescott and runs slow SSE kernels unless
# told the core type; OPENBLAS_CORETYPE is set for this measurement only.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-2048}
seconds=${2:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/sgemm_peak.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Built by CMake (bench/CMakeLists.txt) as the Release build builds the library; BUILD=DIR
# reuses a configured build folder, otherwise one is made in a temporary folder.
build=${BUILD:-$work/build}
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWORDSPACE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target sgemm_peak_bench -j"$(nproc)" >/dev/null
for threads in 1 2; do
  for core in SKYLAKEX HASWELL; do
    printf 'OPENBLAS_CORETYPE=%-8s ' "$core"
    OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=$threads "$build/bench/sgemm_peak_bench" "$n" "$seconds"
  done
done
