# Sourced by the CLI test scripts (tests/*/*_test.sh) for what every one of them needs: a
# temporary folder of its own, removed however the script ends (a test never leaves files
# behind), fail(), which prints one line per failed check and counts it in $failures, and
# expect_exit, which runs a command with its output in $tmp/out and $tmp/err and fails unless it
# exits with the code wanted.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
#   [ -s "$tmp/out" ] || fail "no output"
#   [ "$failures" -eq 0 ]
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_exit() {  # expect_exit CODE description command...
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, wanted $want ($(head -c 300 "$tmp/err"))"
}
