# Sourced by the CLI test scripts (tests/*/*_test.sh) for what every one of them needs: a
# temporary folder of its own, removed however the script ends (a test never leaves files
# behind), and fail(), which prints one line per failed check and counts it in $failures.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
#   [ -s "$tmp/out" ] || fail "no output"
#   [ "$failures" -eq 0 ]
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
