#!/usr/bin/env bash
# Usage: bash bench/serve_load.sh VECTORS [MODEL]
# The web explorer under load: `wordspace serve` on 127.0.0.1 (a free port) with VECTORS (and
# MODEL, whose next-word and attention views then join the mix), and 32 clients sending mixed
# queries for 20 seconds after a 2-second warm-up, each request on a fresh connection
# (tests/serve/serve_load.cc). Prints requests per second, p50/p99/max latency and the server's
# resident memory after the warm-up and after the run; fails on any failed request or a growth
# of more than 8 MB. Run it once on a quiet machine: the clients share its cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bash bench/serve_load.sh VECTORS [MODEL]" >&2; exit 2; }
bin=build/wordspace
load=build/tests/serve/serve_load
[ -x "$bin" ] && [ -x "$load" ] || { echo "error: build first (bash scripts/setup.sh)" >&2; exit 1; }
out=$(mktemp)
args=(serve --vectors "$1" --port 0 --json --quiet)
[ $# -ge 2 ] && args+=(--model "$2")
"$bin" "${args[@]}" >"$out" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$out"' EXIT
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$out")
  [ -n "$port" ] && break
  kill -0 "$pid" || exit 1
  sleep 0.1
done
[ -n "$port" ] || { echo "error: the server did not start" >&2; exit 1; }
echo "wordspace serve --vectors $1${2:+ --model $2}: 32 clients, 20 s of mixed queries"
"$load" --port "$port" --pid "$pid" --clients 32 --seconds 20 --warmup 2 --max-rss-growth-mb 8
