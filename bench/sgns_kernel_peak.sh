#!/usr/bin/env bash
# FLOP rate of the batched skip-gram kernels per instruction set, on cache-resident and on
# vocabulary-wide random rows (see bench/embeddings/sgns_kernel_peak_bench.cc); compare with
# bench/sgemm_peak.sh.
#
#   bench/sgns_kernel_peak.sh [B] [T] [dim] [rows] [seconds]     (defaults 6 6 112 75912 2)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sgns_kernel_peak.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Built by CMake (bench/CMakeLists.txt) as the Release build builds the library; BUILD=DIR
# reuses a configured build folder, otherwise one is made in a temporary folder.
build=${BUILD:-$work/build}
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWORDSPACE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target sgns_kernel_peak_bench -j"$(nproc)" >/dev/null
"$build/bench/sgns_kernel_peak_bench" "$@"
