#!/usr/bin/env bash
# Runs one test file of the Python package: run_pytest.sh PYTHON TEST_FILE BASETEMP.
set -euo pipefail
python=$1 file=$2 basetemp=$3
if ! "$python" -c "import pytest" 2>/dev/null; then
  echo "SKIP: pytest is not installed for $python (bash scripts/setup.sh installs python3-pytest)"
  exit 77
fi
mkdir -p "$(dirname "$basetemp")"
exec "$python" -m pytest -q -p no:cacheprovider --basetemp="$basetemp" "$file"
