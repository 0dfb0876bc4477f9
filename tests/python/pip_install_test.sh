#!/usr/bin/env bash
# Usage: pip_install_test.sh REPO BUILD_DIR PYTHON
# `pip install --no-build-isolation .` (setup.py, pyproject.toml) as the README gives it: into a
# virtual environment with Debian's site packages, reusing the configured BUILD_DIR
# (WORDSPACE_CMAKE_BUILD_DIR) so it takes seconds. The package files are copied to a temporary
# source folder first, so setuptools' work folders and egg-info land there, not in the clone;
# pip's cache and temporary files go there too. The installed package must import from outside
# the clone, from the environment's own site-packages, and answer a query.
# Skipped (exit 77) without the venv module or pip (python3-venv, python3-pip).
set -u
repo=$1 build=$(realpath "$2") python=$3
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
if ! "$python" -c "import venv" 2>/dev/null || ! "$python" -m pip --version >/dev/null 2>&1; then
  echo "skipped: $python has no venv/pip (install python3-venv python3-pip)"
  exit 77
fi
mkdir -p "$tmp/src/python" "$tmp/pip-tmp"
cp "$repo/setup.py" "$repo/setup.cfg" "$repo/pyproject.toml" "$repo/README.md" "$tmp/src/"
cp -r "$repo/python/wordspace" "$tmp/src/python/"
if ! "$python" -m venv --system-site-packages --without-pip "$tmp/venv" >"$tmp/venv.out" 2>&1; then
  echo "skipped: $python -m venv failed: $(tail -2 "$tmp/venv.out")"
  exit 77
fi
# Debian's pip, run by the environment's interpreter, installs into the environment.
export PIP_CACHE_DIR="$tmp/pip-cache" TMPDIR="$tmp/pip-tmp" PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONDONTWRITEBYTECODE=1
unset PYTHONPATH
if ! WORDSPACE_CMAKE_BUILD_DIR="$build" "$tmp/venv/bin/python" -m pip install \
    --no-build-isolation --no-deps --no-index "$tmp/src" >"$tmp/pip.out" 2>&1; then
  fail "pip install failed: $(tail -15 "$tmp/pip.out")"
  exit 1
fi
grep -q "Successfully installed wordspace" "$tmp/pip.out" || fail "pip did not say it installed wordspace"
cd "$tmp" || exit 1
"$tmp/venv/bin/python" - "$repo/tests/data/eval_tiny/vectors.bin" "$tmp/venv" >"$tmp/run.out" 2>&1 <<'PY'
import pathlib, sys
import wordspace
where = pathlib.Path(wordspace.__file__).resolve()
assert str(where).startswith(str(pathlib.Path(sys.argv[2]).resolve())), f"imported from {where}"
kv = wordspace.KeyedVectors.load(sys.argv[1])
word = kv.index_to_key[0]
print(len(kv), kv.most_similar(word, topn=2))
PY
status=$?
[ "$status" -eq 0 ] || fail "the installed package: $(tail -8 "$tmp/run.out")"
[ "$failures" -eq 0 ] && echo "pip install . works: $(tail -1 "$tmp/run.out")"
[ "$failures" -eq 0 ]
