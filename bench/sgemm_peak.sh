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
c++ -O2 -std=c++17 -I"$repo" "$repo/bench/sgemm_peak.cc" -o "$work/sgemm_peak" -lopenblas
for threads in 1 2; do
  for core in SKYLAKEX HASWELL; do
    printf 'OPENBLAS_CORETYPE=%-8s ' "$core"
    OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=$threads "$work/sgemm_peak" "$n" "$seconds"
  done
done
