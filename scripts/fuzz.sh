#!/usr/bin/env bash
# Fuzzes every reader of a user's file: builds the libFuzzer targets of tests/fuzz with
# clang++-14, ASan and UBSan in build-fuzz/, then runs each for SECONDS (default 60), FUZZ_JOBS
# at a time (default: the number of cores), except the targets FUZZ_SKIP names (separated by
# spaces). Each starts from its working corpus in build-fuzz/corpus/<target>/, seeded from the
# committed fixtures, tests/data/fuzz_seeds/<target>/ and the crash inputs of
# tests/data/fuzz/<target>/. An allocation over 2 GB (a size read from
# a header, say) counts as a finding, as do leaks and inputs taking over 10 s.
#
#   bash scripts/fuzz.sh        # 60 s per target
#   FUZZ_RUNS=20000 bash scripts/fuzz.sh 120   # the pass .ci/run makes
#
# FUZZ_RUNS=N makes the pass reproducible: each target runs N inputs from a fixed seed
# (FUZZ_SEED, default 1), SECONDS being only a cap. A timed pass explores more but finds
# different things on each run, so CI, which must give the same verdict for the same commit,
# uses the counted one.
#
# Prints one line per target (executions, crashes). A crash input is copied to
# tests/data/fuzz/<target>/: fix the bug, commit the input, and the normal suite replays it
# (ctest -R fuzz_replay). Exits 1 when any target found a crash. Needs clang-14,
# libfuzzer-14-dev, libclang-rt-14-dev and libomp-14-dev: `bash scripts/setup.sh --fuzz`
# installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${FUZZ_JOBS:-$(nproc)}
if ! command -v clang++-14 >/dev/null; then
  echo "error: clang++-14 not found; install it with: bash scripts/setup.sh --fuzz" >&2
  exit 1
fi

# FAISS leaks on some damaged index files; tests/fuzz/lsan.supp says which and why.
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

cmake -S . -B build-fuzz -DWORDSPACE_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null

# Runs one target; its summary line goes to build-fuzz/results/<target>.
run_target() {
  local name=$1
  shift
  local corpus=build-fuzz/corpus/$name artifacts=build-fuzz/artifacts/$name
  local log=build-fuzz/logs/$name.log
  mkdir -p "$corpus" "$artifacts" build-fuzz/logs build-fuzz/results
  rm -f "$artifacts"/*
  local seed
  for seed in "$@" tests/data/fuzz_seeds/"$name"/* tests/data/fuzz/"$name"/*; do
    [ -f "$seed" ] && cp "$seed" "$corpus/seed-$(basename "$seed")"
  done
  local rc=0 counted=()
  [ -n "${FUZZ_RUNS:-}" ] && counted=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
  build-fuzz/tests/fuzz/"${name}"_fuzz "$corpus" "${counted[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1 || rc=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  local found=0 artifact
  for artifact in "$artifacts"/*; do
    [ -f "$artifact" ] || continue
    found=$((found + 1))
    mkdir -p tests/data/fuzz/"$name"
    cp "$artifact" tests/data/fuzz/"$name"/
    echo "$name: new finding tests/data/fuzz/$name/$(basename "$artifact") (log: $log)" >&2
  done
  if [ "$rc" -ne 0 ] && [ "$found" -eq 0 ]; then
    echo "$name: the fuzzer failed (exit $rc) without a finding; see $log" >&2
    found=1
  fi
  printf '%-18s %12s %8s\n' "$name" "${execs:-?}" "$found" >"build-fuzz/results/$name"
}

names=()
running=0
while read -r name seeds; do
  case " ${FUZZ_SKIP:-} " in *" $name "*) echo "$name: skipped (FUZZ_SKIP)" >&2; continue ;; esac
  names+=("$name")
  # shellcheck disable=SC2086  # the seed list is space-separated paths without spaces
  run_target "$name" $seeds &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done <build-fuzz/fuzz_targets.txt
wait

printf '%-18s %12s %8s\n' target executions crashes
crashes=0
for name in "${names[@]}"; do
  cat "build-fuzz/results/$name"
  crashes=$((crashes + $(awk '{print $3}' "build-fuzz/results/$name")))
done
echo "fuzzed ${#names[@]} targets for ${seconds} s each; crashes: $crashes" >&2
[ "$crashes" -eq 0 ]
