#!/usr/bin/env bash
# Installs the Debian packages wordspace needs that are missing (with python3-dev, pybind11-dev,
# numpy and pytest for the Python package and its tests, pip and venv for its `pip install .`
# test, cpp-httplib for `wordspace serve`), then builds it (Release) in
# build/. `--with-peers` also installs the peers the benchmarks compare against (fastText,
# gensim, PyTorch, GNU time); `--interop` only fastText and gensim, which the test suite's
# model-file checks (tests/tools/fasttext_interop_test.sh) run against. `--fuzz` also installs clang 14 with libFuzzer and its
# sanitizer runtimes, and clang's OpenMP, for scripts/fuzz.sh (`scripts/test.sh --sanitize`
# needs nothing more: it builds with g++). The build includes bench/'s programs, so they keep
# compiling; `--bench` also installs Google Benchmark, which only the micro-benchmarks
# (gemm_bench) need, so a plain build or test run does not pull it in. `--browser` installs
# headless Chromium, its driver and Selenium, which the web explorer's page test drives
# (tests/serve/browser_test.py; skipped without them). Runs as root, or through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config libboost-program-options-dev libabsl-dev libfaiss-dev
          libopenblas-dev catch2 zlib1g-dev nlohmann-json3-dev
          python3-dev pybind11-dev python3-numpy python3-pytest python3-pip python3-venv
          libcpp-httplib-dev)
for arg in "$@"; do
  case "$arg" in
    --with-peers)
      packages+=(fasttext python3-gensim python3-torch python3-numpy python3-scipy time) ;;
    --interop) packages+=(fasttext python3-gensim) ;;
    --fuzz) packages+=(clang-14 libfuzzer-14-dev libclang-rt-14-dev libomp-14-dev) ;;
    --bench) packages+=(libbenchmark-dev) ;;
    --browser) packages+=(chromium chromium-driver python3-selenium) ;;
    *) echo "usage: bash scripts/setup.sh [--with-peers] [--interop] [--fuzz] [--bench] [--browser]" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DWORDSPACE_BUILD_TESTS=ON -DWORDSPACE_BUILD_BENCH=ON \
  >/dev/null
cmake --build build -j"$(nproc)"
echo "built build/wordspace" >&2
