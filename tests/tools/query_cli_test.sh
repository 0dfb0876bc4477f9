#!/usr/bin/env bash
# Usage: query_cli_test.sh path/to/wordspace path/to/tests/data/eval_tiny
# The query and eval commands through the binary: exit codes, OOV messages, stdin batches,
# JSON output, and the saved index (stale vectors rebuilt, a corrupt file refused).
set -u
bin=$1
fixture=$2
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
run() {  # run CODE description command...: stdout in $tmp/out, stderr in $tmp/err
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, wanted $want ($(head -c 300 "$tmp/err"))"
}
v="$fixture/vectors.bin"

for c in neighbors analogy eval-analogy eval-similarity; do
  run 2 "$c without arguments" "$bin" $c
done
run 1 "neighbors on a missing file" "$bin" neighbors "$tmp/none.bin" king
grep -q "error: .*none.bin" "$tmp/err" || fail "missing vectors error does not name the file"
run 1 "eval-analogy with a missing questions file" "$bin" eval-analogy "$v" "$tmp/none.txt"
grep -q "error: .*none.txt" "$tmp/err" || fail "missing questions error does not name the file"
run 2 "analogy with two words" "$bin" analogy "$v" king queen
run 2 "analogy with a bad method" "$bin" analogy "$v" man king woman --method sum

run 0 "neighbors" "$bin" neighbors "$v" king "king - man + woman" --k 3
[ "$(grep -c '^query: ' "$tmp/out")" -eq 2 ] || fail "neighbors printed $(grep -c '^query: ' "$tmp/out") queries, wanted 2"
run 1 "neighbors with an unknown word" "$bin" neighbors "$v" kingz
grep -q "'kingz' is not in the vocabulary; did you mean: .*king" "$tmp/err" || fail "no OOV message with suggestions on stderr: $(cat "$tmp/err")"
grep -q "not in the vocabulary" "$tmp/out" && fail "the OOV error went to stdout: $(cat "$tmp/out")"
# The case policy: the exact spelling, then the lowercase form with a note; --case-sensitive.
run 0 "neighbors King on a lowercase model" "$bin" neighbors "$v" King --k 2
grep -q "note: 'King' is not in the vocabulary; using 'king'" "$tmp/err" || fail "no case note: $(cat "$tmp/err")"
[ "$(grep -c '^query: King' "$tmp/out")" -eq 1 ] || fail "neighbors King: $(cat "$tmp/out")"
run 1 "neighbors King --case-sensitive" "$bin" neighbors "$v" King --case-sensitive
grep -q "'King' is not in the vocabulary" "$tmp/err" || fail "--case-sensitive: $(cat "$tmp/err")"
printf 'king\n\nqueen\n' | run 0 "neighbors from a pipe" "$bin" neighbors "$v" --k 2 --json
[ "$(grep -c '^{"query":' "$tmp/out")" -eq 2 ] || fail "neighbors --json from stdin: $(cat "$tmp/out")"
grep -q '"measure":"cosine","answers":\[{"word":' "$tmp/out" || fail "neighbors --json has no answer list"

run 0 "analogy" "$bin" analogy "$v" man king woman --include-inputs --json
grep -q '"answers":\[' "$tmp/out" && grep -q '"unfiltered":\[' "$tmp/out" || fail "analogy --json: $(cat "$tmp/out")"
printf 'man king woman\nman king\n' | run 1 "analogy from a pipe with a bad line" "$bin" analogy "$v" --method mul
grep -q "expected three words" "$tmp/err" || fail "a bad analogy line is not reported on stderr"
grep -q "expected three words" "$tmp/out" && fail "a bad analogy line's error went to stdout"
grep -q "man : king :: woman" "$tmp/out" || fail "the good analogy line was not answered"
# The case policy, as in neighbors.
run 0 "analogy Man King Woman on a lowercase model" "$bin" analogy "$v" Man King Woman --k 2
grep -q "note: 'Man' is not in the vocabulary; using 'man'" "$tmp/err" || fail "analogy case note: $(cat "$tmp/err")"
run 1 "analogy --case-sensitive" "$bin" analogy "$v" Man King Woman --case-sensitive
grep -q "'Man' is not in the vocabulary" "$tmp/err" || fail "analogy --case-sensitive: $(cat "$tmp/err")"

run 0 "eval-analogy" "$bin" eval-analogy "$v" "$fixture/questions.txt" --restrict 558 --json
grep -q '"accuracy":0\.[0-9]*,"correct":[0-9]*,"seen":[0-9]*,"total":251' "$tmp/out" || fail "eval-analogy --json: $(head -c 300 "$tmp/out")"
run 0 "eval-analogy table" "$bin" eval-analogy "$v" "$fixture/questions.txt" --method mul
grep -q "^semantic" "$tmp/out" && grep -q "^coverage: " "$tmp/out" || fail "eval-analogy table: $(cat "$tmp/out")"
run 0 "eval-similarity" "$bin" eval-similarity "$v" "$fixture/pairs.tsv" --json
grep -q '"spearman":0\.[0-9]*,"pearson":[-0-9.]*,"pairs_used":60,"pairs_total":60' "$tmp/out" || fail "eval-similarity --json: $(cat "$tmp/out")"
printf 'a b\n' >"$tmp/bad.tsv"
run 1 "eval-similarity on a malformed file" "$bin" eval-similarity "$v" "$tmp/bad.tsv"
grep -q "bad.tsv:1" "$tmp/err" || fail "malformed pairs error does not name the line"

# Columns line up by characters, not bytes: with the cosine column right-aligned, every line
# of the table has the same number of characters, the row of "béta" too.
printf '3 2\nalpha 1 0\nbéta 0.9 0.1\ngamma 0 1\n' >"$tmp/utf8.txt"
run 0 "neighbors with a non-ASCII word" "$bin" neighbors "$tmp/utf8.txt" gamma --k 2
widths=$(grep -v '^query' "$tmp/out" | grep . | while IFS= read -r line; do printf '%s' "$line" | LC_ALL=C.UTF-8 wc -m; done | sort -u | wc -l)
[ "$widths" -eq 1 ] || fail "table columns do not line up with a UTF-8 word: $(cat "$tmp/out")"

# A saved approximate index: built once, then loaded; stale when the vectors change; a
# damaged file is refused, never used.
cp "$v" "$tmp/v.bin"
run 0 "HNSW index, first run" "$bin" neighbors "$tmp/v.bin" king --index HNSW8
[ -s "$tmp/v.bin.HNSW8.faiss" ] || fail "no index file beside the vectors"
grep -q "built the index" "$tmp/err" || fail "no note about building: $(cat "$tmp/err")"
run 0 "HNSW index, second run" "$bin" neighbors "$tmp/v.bin" king --index HNSW8
grep -q "loaded the index" "$tmp/err" || fail "the saved index was not loaded: $(cat "$tmp/err")"
# Other vectors under the same name (one byte of a float changed): stale, rebuilt.
printf '\x3f' | dd of="$tmp/v.bin" bs=1 seek=300 conv=notrunc status=none
run 0 "HNSW index, changed vectors" "$bin" neighbors "$tmp/v.bin" king --index HNSW8
grep -q "stale" "$tmp/err" || fail "a stale index was not reported: $(cat "$tmp/err")"
# eval-analogy reads only the first --restrict rows: its index has a file of its own, so it
# and neighbors (all rows) do not take each other's file for stale.
run 0 "HNSW index, eval-analogy first run" "$bin" eval-analogy "$tmp/v.bin" "$fixture/questions.txt" --restrict 300 --index HNSW8
[ -s "$tmp/v.bin.HNSW8.first300.faiss" ] || fail "no prefix index file: $(ls "$tmp")"
run 0 "HNSW index, neighbors after eval-analogy" "$bin" neighbors "$tmp/v.bin" king --index HNSW8
grep -q "loaded the index" "$tmp/err" || fail "neighbors did not load its own index: $(cat "$tmp/err")"
run 0 "HNSW index, eval-analogy second run" "$bin" eval-analogy "$tmp/v.bin" "$fixture/questions.txt" --restrict 300 --index HNSW8
grep -q "loaded the index" "$tmp/err" || fail "eval-analogy did not load its own index: $(cat "$tmp/err")"
size=$(stat -c %s "$tmp/v.bin.HNSW8.faiss")
printf '\xff\xff' | dd of="$tmp/v.bin.HNSW8.faiss" bs=1 seek=$((size / 2)) conv=notrunc status=none
run 1 "HNSW index, corrupt file" "$bin" neighbors "$tmp/v.bin" king --index HNSW8
grep -q "checksum" "$tmp/err" || fail "a corrupt index was not refused: $(cat "$tmp/err")"

[ "$failures" -eq 0 ] && echo "all query CLI checks passed"
exit $((failures > 0))
