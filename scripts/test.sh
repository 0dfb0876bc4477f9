#!/usr/bin/env bash
# Runs the whole test suite (Catch2 cases, CLI smoke tests and the fuzz replays, through CTest)
# on the build made by scripts/setup.sh. Needs no network and no ../shared.
#
# `--sanitize` instead configures and builds build-asan/ with AddressSanitizer and UBSan
# (-DWORDSPACE_SANITIZE=ON; undefined behaviour aborts) and runs the same suite there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--sanitize" ]; then
  # FAISS leaks on some damaged index files; tests/fuzz/lsan.supp says which and why.
  export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWORDSPACE_BUILD_TESTS=ON \
    -DWORDSPACE_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$(nproc)"
  cd build-asan
else
  cd build
fi
ctest --output-on-failure -j"$(nproc)" --timeout 600
