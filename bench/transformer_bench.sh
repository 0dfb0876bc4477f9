#!/usr/bin/env bash
# Training throughput of `wordspace lm-train` against the PyTorch reference of the same model
# (../shared/bench/torch_tiny_lm.py), in one run: same corpus, vocabulary size, architecture,
# batch 32, context 64, threads 2, same number of steps. Prints tokens/sec of each and their
# ratio (wall clock, and per CPU-second, which is the fairer figure on a shared machine), and
# the GFLOP/s wordspace reaches against this CPU's FMA peak, measured first by
# bench/transformer/fma_peak.cc (built here with -DWORDSPACE_BUILD_BENCH=ON in the --build dir).
# On a CPU with AVX512_BF16 it also runs lm-train --precision bf16 in the same run, and states
# its GFLOP/s against the measured bf16 (vdpbf16ps) peak. The comparison with PyTorch uses the
# classic block (PyTorch's architecture); a last run with lm-train's own defaults (the modern
# block, --precision auto) gives the configuration users get, against both.
#
#   bench/transformer_bench.sh [--steps 30] [--threads 2] [--data DIR] [--build DIR]
#                              [--max-train-tokens 2000000] [--torch-coretype auto|none|NAME]
#                              [--baseline OLD_BINARY]
#
# --baseline runs the same lm-train with another wordspace binary (a build from before a change)
# right before this one, and prints the ratio of their tokens per CPU-second.
#
# The PyTorch run gets the best OpenBLAS setting: OPENBLAS_CORETYPE=SKYLAKEX on AVX-512 CPUs,
# HASWELL on AVX2 ones (--torch-coretype none leaves OpenBLAS's own detection).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
data="$repo/../shared/data"
reference="$repo/../shared/bench/torch_tiny_lm.py"
build="$repo/build"
steps=30
threads=2
max_tokens=2000000
coretype=auto
baseline=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --reference) reference="$2"; shift 2 ;;
    --max-train-tokens) max_tokens="$2"; shift 2 ;;
    --torch-coretype) coretype="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
corpus="$data/corpus-large.txt.gz"
[[ -f "$corpus" ]] || { echo "error: $corpus not found (use --data DIR)" >&2; exit 1; }
[[ -f "$reference" ]] || { echo "error: $reference not found (use --reference FILE)" >&2; exit 1; }
[[ -z "$baseline" || -x "$baseline" ]] || { echo "error: --baseline $baseline is not an executable" >&2; exit 1; }

if [[ ! -x "$build/wordspace" ]]; then
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target wordspace -j "$threads" >/dev/null
fi
cmake -S "$repo" -B "$build" -DWORDSPACE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target fma_peak -j "$threads" >/dev/null
if [[ "$coretype" == auto ]]; then
  if grep -q avx512f /proc/cpuinfo; then coretype=SKYLAKEX
  elif grep -q avx2 /proc/cpuinfo; then coretype=HASWELL
  else coretype=none; fi
fi
torch_env=()
[[ "$coretype" != none ]] && torch_env=(env "OPENBLAS_CORETYPE=$coretype")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
config=(--vocab 20000 --d-model 128 --layers 4 --heads 4 --batch 32 --threads "$threads"
        --steps "$steps" --max-train-tokens "$max_tokens")

echo "# $steps steps, batch 32 x context 64, V=20000+2, d=128, 4 layers, 4 heads, $threads threads," \
     "first $max_tokens tokens of $(basename "$corpus"); load average before: $(cut -d' ' -f1 /proc/loadavg)" >&2
if [[ -n "$baseline" ]]; then
  "$baseline" lm-train --train "$corpus" --out "$work/baseline.lm" --context 64 "${config[@]}" \
    --warmup 10 --json --quiet > "$work/baseline.json"
fi
"$build/bench/fma_peak" --threads "$threads" --json > "$work/peak.json"
"$build/wordspace" lm-train --train "$corpus" --out "$work/model.lm" --context 64 --block classic "${config[@]}" \
  --warmup 10 --json --quiet --precision fp32 > "$work/wordspace.json"
if grep -q bf16_peak "$work/peak.json"; then
  "$build/wordspace" lm-train --train "$corpus" --out "$work/bf16.lm" --context 64 --block classic "${config[@]}" \
    --warmup 10 --json --quiet --precision bf16 > "$work/bf16.json"
fi
# lm-train's own defaults (the modern block, --precision auto): the configuration users get.
"$build/wordspace" lm-train --train "$corpus" --out "$work/default.lm" --context 64 "${config[@]}" \
  --warmup 10 --json --quiet > "$work/default.json"
"${torch_env[@]}" /usr/bin/python3 "$reference" --train "$corpus" --valid "$data/heldout-valid.txt.gz" \
  --max-eval-tokens 1000 --ctx 64 "${config[@]}" --warmup 10 --no-baselines --no-eval \
  --eval-every 0 --json > "$work/torch.log" 2>&1 || { cat "$work/torch.log" >&2; exit 1; }
grep '^{' "$work/torch.log" | tail -1 > "$work/torch.json"

/usr/bin/python3 - "$work/wordspace.json" "$work/torch.json" "$threads" "$coretype" \
  "$work/peak.json" "${baseline:+$work/baseline.json}" "$work/bf16.json" "$work/default.json" <<'EOF'
import json, math, os, sys
ws = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
pt = json.loads(open(sys.argv[2]).read())
threads, coretype = int(sys.argv[3]), sys.argv[4]
peaks = json.loads(open(sys.argv[5]).read())
peak = peaks["peak_gflops_per_core"]
if len(sys.argv) > 6 and sys.argv[6]:
    bl = json.loads(open(sys.argv[6]).read().strip().splitlines()[-1])
    print(f"baseline  tokens/sec: {bl['tokens_per_sec']:.0f} wall, {bl['tokens_per_cpu_sec']:.0f} per CPU-second "
          f"(kernel {bl['kernel']}, final loss {bl['final_loss']:.3f})")
    print(f"ratio wordspace/baseline: {ws['tokens_per_sec'] / bl['tokens_per_sec']:.3f}x wall, "
          f"{ws['tokens_per_cpu_sec'] / bl['tokens_per_cpu_sec']:.3f}x per CPU-second, "
          # Older binaries printed JSON numbers to 10 significant digits, today's to the shortest
          # exact form: equal to 1e-9 relative is the same loss.
          f"final loss {'identical' if math.isclose(ws['final_loss'], bl['final_loss'], rel_tol=1e-9) else 'DIFFERS'}")
flops = ws["flops_per_token"]
print(f"wordspace tokens/sec: {ws['tokens_per_sec']:.0f} wall, {ws['tokens_per_cpu_sec']:.0f} per CPU-second "
      f"(kernel {ws['kernel']}, final loss {ws['final_loss']:.3f})")
print(f"pytorch   tokens/sec: {pt['tokens_per_sec']:.0f} wall, {pt['tokens_per_cpu_sec']:.0f} per CPU-second "
      f"(OPENBLAS_CORETYPE={coretype}, final loss {pt['final_loss']:.3f})")
print(f"ratio wordspace/pytorch: {ws['tokens_per_sec'] / pt['tokens_per_sec']:.2f}x wall, "
      f"{ws['tokens_per_cpu_sec'] / pt['tokens_per_cpu_sec']:.2f}x per CPU-second")
print(f"wordspace GFLOP/s: {ws['gflops']:.1f} wall = {100 * ws['gflops'] / (peak * threads):.0f}% of the "
      f"{threads}-core peak {peak * threads:.0f}; {ws['gflops_per_cpu_sec']:.1f} per CPU-second = "
      f"{100 * ws['gflops_per_cpu_sec'] / peak:.0f}% of the measured per-core FMA peak {peak:.1f} "
      f"({flops / 1e6:.1f} MFLOP/token)")
if os.path.exists(sys.argv[7]):
    bf = json.loads(open(sys.argv[7]).read().strip().splitlines()[-1])
    bpeak = peaks["bf16_peak_gflops_per_core"]
    print(f"wordspace bf16 tokens/sec: {bf['tokens_per_sec']:.0f} wall, {bf['tokens_per_cpu_sec']:.0f} per "
          f"CPU-second (kernel {bf['kernel']}, final loss {bf['final_loss']:.3f})")
    print(f"ratio wordspace bf16/pytorch: {bf['tokens_per_sec'] / pt['tokens_per_sec']:.2f}x wall, "
          f"{bf['tokens_per_cpu_sec'] / pt['tokens_per_cpu_sec']:.2f}x per CPU-second")
    print(f"ratio wordspace bf16/fp32: {bf['tokens_per_sec'] / ws['tokens_per_sec']:.2f}x wall, "
          f"{bf['tokens_per_cpu_sec'] / ws['tokens_per_cpu_sec']:.2f}x per CPU-second")
    print(f"wordspace bf16 GFLOP/s: {bf['gflops_per_cpu_sec']:.1f} per CPU-second = "
          f"{100 * bf['gflops_per_cpu_sec'] / bpeak:.0f}% of the measured per-core bf16 peak {bpeak:.1f} "
          f"({100 * bf['gflops_per_cpu_sec'] / peak:.0f}% of the fp32 FMA peak)")
df = json.loads(open(sys.argv[8]).read().strip().splitlines()[-1])
print(f"wordspace default ({df['norm']}, {df['positions']}, {df['ffn']} {df['ff_hidden']}, "
      f"{'biases' if df['biases'] else 'no biases'}; {df['precision']}) tokens/sec: "
      f"{df['tokens_per_sec']:.0f} wall, {df['tokens_per_cpu_sec']:.0f} per CPU-second "
      f"(final loss {df['final_loss']:.3f})")
print(f"ratio wordspace default/classic fp32: {df['tokens_per_cpu_sec'] / ws['tokens_per_cpu_sec']:.2f}x "
      f"per CPU-second; default/pytorch: {df['tokens_per_cpu_sec'] / pt['tokens_per_cpu_sec']:.2f}x")
if len(sys.argv) > 6 and sys.argv[6]:
    print(f"ratio wordspace default/baseline: {df['tokens_per_cpu_sec'] / bl['tokens_per_cpu_sec']:.2f}x "
          "per CPU-second")
EOF
