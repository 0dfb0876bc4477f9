#!/usr/bin/env bash
# FLOP rate of the batched skip-gram kernels per instruction set, on cache-resident and on
# vocabulary-wide random rows (see bench/sgns_kernel_peak.cc); compare with bench/sgemm_peak.sh.
# Compiled as the Release build compiles the library (-O3).
#
#   bench/sgns_kernel_peak.sh [B] [T] [dim] [rows] [seconds]     (defaults 6 6 112 75912 2)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sgns_kernel_peak.XXXXXX")
trap 'rm -rf "$work"' EXIT
c++ -O3 -DNDEBUG -std=c++20 -I"$repo" "$repo/bench/sgns_kernel_peak.cc" "$repo/embeddings/sgns_kernels.cc" \
  "$repo/embeddings/sgns_kernels_avx2.cc" "$repo/embeddings/sgns_kernels_avx512.cc" \
  -o "$work/sgns_kernel_peak"
"$work/sgns_kernel_peak" "$@"
