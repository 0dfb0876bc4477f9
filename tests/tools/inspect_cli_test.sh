#!/usr/bin/env bash
# Usage: inspect_cli_test.sh path/to/wordspace
# `wordspace inspect ...` and `wordspace map` through the binary, on a tiny model trained here
# (lm-train, 30 steps) and tiny skip-gram vectors: every table prints, every --json parses with
# the keys scripts rely on, every --svg parses as XML; errors exit 1, usage errors 2.
# Prints one line per failed check and exits 1 if any.
set -u
bin=$1
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
run() {  # run CODE description command...: runs with stdout in $tmp/out, stderr in $tmp/err
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, wanted $want ($(head -c 400 "$tmp/err"))"
}
python=""
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
# json_check FILE PYTHON-EXPRESSION-ON-d: the file parses as JSON and the expression is true.
json_check() {
  if [ -n "$python" ]; then
    "$python" -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" || fail "$1: not JSON, or not: $2"
  else
    head -c 1 "$1" | grep -q '{' || fail "$1 does not start a JSON object"
  fi
}
svg_check() {
  [ -s "$1" ] || { fail "no SVG at $1"; return; }
  if [ -n "$python" ]; then
    "$python" -c 'import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
assert len(root.findall(".//{http://www.w3.org/2000/svg}text")) > 3' "$1" || fail "$1 is not a valid SVG"
  elif command -v xmllint >/dev/null; then
    xmllint --noout "$1" || fail "$1 does not parse as XML"
  fi
}

# A corpus with some structure, a tiny model and tiny vectors.
for i in $(seq 1 200); do
  echo "we walked along the river bank and the water was cold"
  echo "she took her money to the bank to deposit it into her account"
  echo "the capital of france is paris and the capital of italy is rome"
  echo "a cat and a dog play in the garden of the small house"
done > "$tmp/corpus.txt"
run 0 "lm-train" "$bin" lm-train --train "$tmp/corpus.txt" --out "$tmp/m.lm" --d-model 16 \
  --layers 2 --heads 2 --context 16 --batch 8 --steps 30 --seed 1 --quiet
run 0 "train" "$bin" train --input "$tmp/corpus.txt" --output "$tmp/v.txt" --min-count 1 --dim 8 \
  --epochs 1 --threads 1 --quiet
m=$tmp/m.lm

run 0 "inspect --help" "$bin" inspect --help
grep -q "usage: wordspace inspect" "$tmp/out" || fail "inspect --help prints no usage"
for s in attention heads lens contributions context senses; do
  run 0 "inspect $s --help" "$bin" inspect $s --help
  grep -q "usage: wordspace inspect $s" "$tmp/out" || fail "inspect $s --help prints no usage"
done
run 2 "inspect with no study" "$bin" inspect
run 2 "unknown study" "$bin" inspect nothing "$m"
run 2 "attention without --text" "$bin" inspect attention "$m"
run 1 "attention on a missing model" "$bin" inspect attention "$tmp/missing.lm" --text "the bank"
grep -q "error: .*missing.lm" "$tmp/err" || fail "missing model: no error naming it"
run 1 "lens with an unknown target" "$bin" inspect lens "$m" --text "the bank" --target zzz
grep -q "error: .*zzz" "$tmp/err" || fail "unknown target: no error naming it"
run 1 "context of a word not in the text" "$bin" inspect context "$m" --word bank --text "the cat"
run 1 "svg into a missing folder" "$bin" inspect lens "$m" --text "the bank" --svg "$tmp/no/x.svg"
[ ! -e "$tmp/no" ] || fail "a failed --svg created a folder"

# attention
run 0 "attention" "$bin" inspect attention "$m" --text "the river bank was cold" --svg "$tmp/att.svg"
grep -q "^layer 1" "$tmp/out" || fail "attention table has no layer 1"
grep -q "head 1" "$tmp/out" || fail "attention table has no head 1"
svg_check "$tmp/att.svg"
run 0 "attention --json" "$bin" inspect attention "$m" --text "the river bank" --json
cp "$tmp/out" "$tmp/att.json"
json_check "$tmp/att.json" 'd["tokens"] == ["</s>", "the", "river", "bank"] and len(d["weights"]) == 2 and len(d["weights"][0]) == 2 and all(abs(sum(r) - 1) < 1e-4 for L in d["weights"] for H in L for r in H) and all(d["weights"][1][0][q][k] == 0 for q in range(4) for k in range(q + 1, 4))'

# heads
run 0 "heads" "$bin" inspect heads "$m" --heldout "$tmp/corpus.txt" --windows 8 --svg "$tmp/heads.svg"
grep -q "induction" "$tmp/out" || fail "heads table has no induction column"
[ "$(grep -cE '^ +[01] +[01] ' "$tmp/out")" -eq 4 ] || fail "heads table does not list 4 heads"
svg_check "$tmp/heads.svg"
run 0 "heads --json" "$bin" inspect heads "$m" --json --induction-windows 4
cp "$tmp/out" "$tmp/heads.json"
json_check "$tmp/heads.json" 'd["input"] is None and len(d["heads"]) == 4 and all(set(["layer", "head", "mean_distance", "previous_token", "first_token", "same_word", "induction", "role"]) <= set(h) for h in d["heads"])'

# lens
run 0 "lens" "$bin" inspect lens "$m" --text "the capital of france is" --target paris --svg "$tmp/lens.svg"
grep -q "rank(paris)" "$tmp/out" || fail "lens table does not follow the target"
grep -q "(out)" "$tmp/out" || fail "lens table has no output layer"
svg_check "$tmp/lens.svg"
run 0 "lens --json" "$bin" inspect lens "$m" --text "the capital of" --k 3 --json
cp "$tmp/out" "$tmp/lens.json"
json_check "$tmp/lens.json" 'd["tokens"] == ["</s>", "the", "capital", "of"] and len(d["layers"]) == 3 and [l["layer"] for l in d["layers"]] == [0, 1, 2] and d["measure"] == "probability" and all(len(p) == 3 and set(p[0]) == {"word", "score"} for l in d["layers"] for p in l["positions"]) and d["layers"][2]["positions"][3][0]["word"] == d["final_words"][3]'

# contributions
run 0 "contributions" "$bin" inspect contributions "$m" --text "the capital of italy is" --target rome --neurons 3 --svg "$tmp/contrib.svg"
grep -q "^  ff 1 " "$tmp/out" || fail "contributions table has no ff 1 row"
grep -q "its value vector promotes" "$tmp/out" || fail "contributions lists no neurons"
svg_check "$tmp/contrib.svg"
run 0 "contributions --json" "$bin" inspect contributions "$m" --text "the capital of" --json
cp "$tmp/out" "$tmp/contrib.json"
json_check "$tmp/contrib.json" '[c["name"] for c in d["components"]] == ["embeddings", "attn 0", "ff 0", "attn 1", "ff 1"] and d["measure"] == "probability" and d["target"] == d["answers"][0]["word"] and all(c["measure"] == "logit" and set(c["promotes"][0]) == {"word", "score"} for c in d["components"]) and len(d["neurons"]) == 10'

# context
run 0 "context" "$bin" inspect context "$m" --word bank --text "the river bank" --text "to the bank to deposit" --svg "$tmp/ctx.svg"
grep -q "static vector" "$tmp/out" || fail "context table has no static vector"
svg_check "$tmp/ctx.svg"
run 0 "context --json" "$bin" inspect context "$m" --word bank --text "the river bank" --text "to the bank" --json
cp "$tmp/out" "$tmp/ctx.json"
json_check "$tmp/ctx.json" 'd["word"] == "bank" and len(d["layers"]) == 4 and abs(d["layers"][0]["cosines"][0][1] - 1) < 1e-6 and d["measure"] == "cosine" and d["layers"][0]["nearest"][0][0]["word"] == "bank"'

# senses, with the skip-gram baseline and hidden cues
run 0 "senses" "$bin" inspect senses "$m" --word bank --sense river=river,water --sense money=deposit,money,nonword \
  --corpus "$tmp/corpus.txt" --max 20 --vectors "$tmp/v.txt" --svg "$tmp/senses.svg"
grep -q "bag of words ($tmp/v.txt)" "$tmp/out" || fail "senses table has no bag-of-words baseline"
grep -q "nonword" "$tmp/out" || fail "senses table does not name the missing cue"
svg_check "$tmp/senses.svg"
run 0 "senses --json --hide-cues" "$bin" inspect senses "$m" --word bank --sense river=river,water \
  --sense money=deposit,money --corpus "$tmp/corpus.txt" --max 20 --hide-cues --json
cp "$tmp/out" "$tmp/senses.json"
json_check "$tmp/senses.json" 'd["input"].endswith("/corpus.txt") and "corpus" not in d and d["word"] == "bank" and [s["name"] for s in d["senses"]] == ["river", "money"] and d["senses"][0]["cues"] == ["river", "water"] and d["senses"][0]["sentences"] == 20 and len(d["layers"]) == 3 and set(d["layers"][0]) >= {"layer", "accuracy", "silhouette"} and d["static_accuracy"] == 0.5 and 0 <= d["bag_of_words_accuracy"] <= 1 and d["hide_cues"] and d["hidden_cue_tokens"] > 0'
run 2 "senses with one sense" "$bin" inspect senses "$m" --word bank --sense river=river --corpus "$tmp/corpus.txt"
run 1 "senses with no example" "$bin" inspect senses "$m" --word bank --sense river=river --sense cat=cat --corpus "$tmp/corpus.txt"

# map
run 0 "map" "$bin" map "$tmp/v.txt" cat bank zzz --neighbors 3 --svg "$tmp/map.svg"
grep -q "cat \*" "$tmp/out" || fail "map table does not mark the asked word"
grep -q "not in the vectors: zzz" "$tmp/out" || fail "map does not name the missing word"
svg_check "$tmp/map.svg"
grep -q ">cat</text>" "$tmp/map.svg" || fail "map picture does not label cat"
run 0 "map --json" "$bin" map "$tmp/v.txt" cat --neighbors 2 --json
cp "$tmp/out" "$tmp/map.json"
json_check "$tmp/map.json" 'len(d["points"]) == 3 and d["points"][0]["word"] == "cat" and d["points"][0]["asked"] and not d["points"][1]["asked"] and len(d["variance_shares"]) == 2'
run 1 "map of unknown words" "$bin" map "$tmp/v.txt" zzz
run 2 "map without words" "$bin" map "$tmp/v.txt"

# The case policy: words the lowercase model lacks as spelled are read in lowercase, one note a
# run; --case-sensitive reads them as spelled.
note="^note: '\(Paris\|The\)' is not in the vocabulary; using '\(paris\|the\)' (--case-sensitive: exact spelling only)$"
run 0 "lens on capitals" "$bin" inspect lens "$m" --text "The capital of France is" --target Paris --json
json_check "$tmp/out" 'd["target"] == "paris" and d["tokens"][1:] == ["the", "capital", "of", "france", "is"]'
[ "$(grep -c "^note:" "$tmp/err")" = 1 ] && grep -q "$note" "$tmp/err" ||
  fail "lens on capitals: not one note for the lowercase reading: $(cat "$tmp/err")"
run 1 "lens --case-sensitive on a capital target" "$bin" inspect lens "$m" --text "the capital of" --target Paris --case-sensitive
grep -q "Paris" "$tmp/err" || fail "lens --case-sensitive: the target is not named: $(cat "$tmp/err")"
run 0 "context on capitals" "$bin" inspect context "$m" --word Bank --text "The river bank was cold" --text "the Bank took her money" --json
json_check "$tmp/out" 'd["word"] == "bank"'
run 0 "senses on capitals" "$bin" inspect senses "$m" --word Bank --sense river=River,water \
  --sense money=Deposit,money --corpus "$tmp/corpus.txt" --max 20 --json
json_check "$tmp/out" 'd["word"] == "bank" and d["senses"][0]["cues"] == ["river", "water"] and d["senses"][1]["cues"] == ["deposit", "money"] and d["senses"][0]["sentences"] == 20'
run 0 "attention --quiet on capitals" "$bin" inspect attention "$m" --text "The bank" --quiet
[ -s "$tmp/err" ] && fail "inspect --quiet still notes: $(cat "$tmp/err")"

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all inspect and map checks passed"
