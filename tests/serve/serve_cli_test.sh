#!/usr/bin/env bash
# Usage: serve_cli_test.sh path/to/wordspace path/to/serve_load [--no-memory-check]
# `wordspace serve` as a user starts it: usage errors exit 2, a missing file 1, a port in use 1;
# on 127.0.0.1 with a free port it answers the page and every endpoint on a tiny model trained
# here, each in the bytes of the matching command's --json; --host 0.0.0.0 warns; Ctrl-C (SIGINT) stops it with exit 0. Then a short bounded load
# test (serve_load: 32 clients for 3 seconds of mixed queries): no failed request, and no growth
# of the server's memory beyond 8 MB after the warm-up (skipped under the sanitizers, whose
# quarantine holds freed memory on purpose). bench/serve_load.sh runs the 20-second one.
set -u
bin=$1
load=$2
memory_check=1
[ "${3:-}" = "--no-memory-check" ] && memory_check=0
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
source "$(dirname "${BASH_SOURCE[0]}")/serve_fixture.sh"
expect_exit 0 "serve --help" "$bin" serve --help
grep -q "usage: wordspace serve" "$tmp/out" || fail "serve --help prints no usage"
expect_exit 2 "serve without --vectors" "$bin" serve
expect_exit 2 "serve --port 70000" "$bin" serve --vectors "$tmp/v.vec" --port 70000
expect_exit 2 "serve --workers 0" "$bin" serve --vectors "$tmp/v.vec" --workers 0
expect_exit 1 "serve on a missing file" "$bin" serve --vectors "$tmp/missing.vec" --port 0
grep -q "error: .*missing.vec" "$tmp/err" || fail "missing vectors: no error naming the file"
expect_exit 1 "serve a corpus as a model" "$bin" serve --vectors "$tmp/v.vec" --model "$tmp/corpus.txt" --port 0

start_server --model "$tmp/m.lm" --quiet
get() { curl -s -o "$tmp/body" -w '%{http_code}' "http://127.0.0.1:$port$1"; }
if command -v curl >/dev/null; then
  [ "$(get /)" = 200 ] && grep -q "wordspace explorer" "$tmp/body" || fail "GET / did not serve the page"
  for p in "/api/info" "/api/neighbors?q=bank" "/api/analogy?a=paris&b=france&c=rome" \
           "/api/map?words=bank" "/api/bias?pair=he:she&words=doctor%20nurse" \
           "/api/complete?prefix=ba" "/api/lm/next?text=the%20capital%20of" \
           "/api/lm/attention?text=the%20river%20bank" "/api/lm/lens?text=the%20capital%20of" \
           "/api/lm/context?word=bank&text=the%20river%20bank&text=to%20the%20bank"; do
    [ "$(get "$p")" = 200 ] || fail "GET $p: $(head -c 300 "$tmp/body")"
  done
  # The API answers in the command's --json, byte for byte.
  same() {  # same PATH command...: GET PATH gives what the command prints
    get "$1" >/dev/null
    local path=$1; shift
    "$@" >"$tmp/cli.json" 2>/dev/null || fail "$*: exit $?"
    printf '%s\n' "$(cat "$tmp/body")" | cmp -s - "$tmp/cli.json" ||
      fail "GET $path differs from $*: $(head -c 200 "$tmp/body") vs $(head -c 200 "$tmp/cli.json")"
  }
  same "/api/neighbors?q=bank&k=5" "$bin" neighbors "$tmp/v.vec" bank --k 5 --json
  same "/api/analogy?a=paris&b=france&c=rome&k=3&method=mul&include_inputs=1" \
    "$bin" analogy "$tmp/v.vec" paris france rome --k 3 --method mul --include-inputs --json
  same "/api/map?words=bank%20cat&k=4" "$bin" map "$tmp/v.vec" bank cat --k 4 --json
  same "/api/bias?pair=he:she&words=doctor%20nurse&k=3" \
    "$bin" bias direction "$tmp/v.vec" --pair he:she --word doctor --word nurse --k 3 --restrict 0 --json
  same "/api/lm/next?text=the%20capital%20of&k=5" \
    "$bin" lm-generate "$tmp/m.lm" --prompt "the capital of" --k 5 --length 0 --json
  same "/api/lm/next?text=the%20capital%20of&k=3&length=4&seed=7" \
    "$bin" lm-generate "$tmp/m.lm" --prompt "the capital of" --k 3 --length 4 --seed 7 --json
  same "/api/lm/attention?text=the%20river%20bank" \
    "$bin" inspect attention "$tmp/m.lm" --text "the river bank" --json
  same "/api/lm/lens?text=the%20capital%20of&k=2&target=paris" \
    "$bin" inspect lens "$tmp/m.lm" --text "the capital of" --k 2 --target paris --json
  same "/api/lm/context?word=bank&text=the%20river%20bank&text=to%20the%20bank&k=2" \
    "$bin" inspect context "$tmp/m.lm" --word bank --text "the river bank" --text "to the bank" --k 2 --json
  [ "$(get "/api/neighbors?q=bank&k=0")" = 400 ] || fail "k=0 was not a 400"
  [ "$(get "/api/neighbors?q=zebra")" = 404 ] || fail "an unknown word was not a 404"
fi
# A second server on the same port fails, naming it.
expect_exit 1 "serve on a port in use" "$bin" serve --vectors "$tmp/v.vec" --port "$port"
grep -q "cannot listen on 127.0.0.1:$port" "$tmp/err" || fail "port in use: $(cat "$tmp/err")"

# The bounded load test.
args=(--port "$port" --pid "$server_pid" --clients 32 --seconds 3 --warmup 1)
[ "$memory_check" -eq 1 ] && args+=(--max-rss-growth-mb 8)
"$load" "${args[@]}" >"$tmp/load.out" 2>"$tmp/load.err" || fail "load test: $(cat "$tmp/load.err")"
cat "$tmp/load.out"
kill -INT "$server_pid"
wait "$server_pid"
rc=$?
server_pid=""
[ "$rc" -eq 0 ] || fail "serve exited $rc after SIGINT"
grep -q "stopped" "$tmp/serve.err" && fail "--quiet still printed 'stopped'"

# Any other host than loopback warns.
"$bin" serve --vectors "$tmp/v.vec" --host 0.0.0.0 --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q "serving" "$tmp/serve.out" && break; sleep 0.05; done
grep -q "^warning: --host 0.0.0.0: the explorer is open to other machines" "$tmp/serve.err" ||
  fail "no warning for --host 0.0.0.0: $(cat "$tmp/serve.err")"
stop_server
[ "$failures" -eq 0 ]
