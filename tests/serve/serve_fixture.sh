# Sourced by the serve tests: trains tiny vectors and a tiny language model in $tmp (from
# tests/testing/cli_test.sh) on a generated corpus, and starts `wordspace serve` on 127.0.0.1
# with a port the kernel picks; $port and $server_pid are set, and the server is stopped however
# the script ends. Needs $bin (the wordspace binary).
#
#   source "$(dirname "${BASH_SOURCE[0]}")/serve_fixture.sh"
#   start_server --model "$tmp/m.lm"
for i in $(seq 1 200); do
  echo "we walked along the river bank and the water was cold"
  echo "she took her money to the bank to deposit it into her account"
  echo "the capital of france is paris and the capital of italy is rome"
  echo "a cat and a dog play in the garden of the small house"
  echo "he is a doctor and she is a nurse in the town hospital"
done > "$tmp/corpus.txt"
"$bin" train --input "$tmp/corpus.txt" --output "$tmp/v.vec" --min-count 1 --dim 16 --epochs 2 \
  --threads 1 --quiet || { echo "FAIL: train"; exit 1; }
"$bin" lm-train --input "$tmp/corpus.txt" --output "$tmp/m.lm" --d-model 16 --layers 2 --heads 2 \
  --context 16 --batch 8 --steps 30 --seed 1 --quiet || { echo "FAIL: lm-train"; exit 1; }

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -INT "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT
# start_server [ARGS...]: serve $tmp/v.vec with ARGS; waits for its address line.
start_server() {
  "$bin" serve --vectors "$tmp/v.vec" --port 0 --json "$@" >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server_pid=$!
  port=""
  for _ in $(seq 1 200); do
    port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$tmp/serve.out")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "FAIL: the server did not start: $(cat "$tmp/serve.err")"
  exit 1
}
