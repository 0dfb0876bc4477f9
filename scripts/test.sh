#!/usr/bin/env bash
# Runs the whole test suite (Catch2 cases and CLI smoke tests, through CTest) on the build made
# by scripts/setup.sh. Needs no network and no ../shared.
set -euo pipefail
cd "$(dirname "$0")/../build"
ctest --output-on-failure -j"$(nproc)" --timeout 600
