#!/usr/bin/env bash
# Usage: json_keys_test.sh path/to/wordspace path/to/tests/data/eval_tiny
# Issue 13's one JSON key scheme (README, "JSON keys"), through the binary on the eval_tiny
# fixture and a tiny model the script trains: every --json line of neighbors, analogy,
# similarity, lm-generate, lm-score, eval-similarity, the bias probes, ngram-train and lm-bench
# parses with Python's json module; a ranked list is `answers` (or a named secondary list) of
# {"word", "score"} items beside a `measure`; a failed query is exactly {"query", "error"}; no
# output uses a retired key (`neighbors`, `cosine` in an answer, `oov`, `out`, `file`, `corpus`,
# ...); and a word that is not valid UTF-8 still gives valid JSON. Prints one line per failed
# check and exits 1 if any.
set -u
bin=$1
fixture=$2
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
python=/usr/bin/python3
[ -x "$python" ] || { echo "skipped: no /usr/bin/python3"; exit 0; }
# run CODE NAME command...: stdout in $tmp/NAME.json, stderr in $tmp/NAME.err.
run() {
  local want=$1 name=$2; shift 2
  "$@" >"$tmp/$name.json" 2>"$tmp/$name.err" </dev/null
  local got=$?
  [ "$got" -eq "$want" ] || fail "$name: exit $got, wanted $want ($(head -c 300 "$tmp/$name.err"))"
}
# check NAME PYTHON-EXPRESSION: every line of $tmp/NAME.json is one JSON value (strict UTF-8),
# no value uses a retired key or an answer item outside the scheme, and the expression is true
# (`ds`: the values, `d`: the first).
check() {
  "$python" - "$tmp/$1.json" "$2" <<'PY' || fail "$1: $2 ($(head -c 400 "$tmp/$1.json"))"
import json, sys
lines = open(sys.argv[1], "rb").read().decode("utf-8").splitlines()  # strict: valid UTF-8
ds = [json.loads(line) for line in lines]
if not ds:
    sys.exit("no JSON line")
d = ds[0]
RETIRED = {"neighbors", "oov", "out", "file", "corpus", "prompt", "next", "predicted",
           "heldout", "weat_seconds", "weat_cpu_seconds", "equalize_not_found", "vocabulary"}
RANKED = {"answers", "unfiltered", "excluded", "included"}

def walk(value, key=None):
    if isinstance(value, dict):
        retired = RETIRED & set(value)
        if retired:
            sys.exit(f"retired key {sorted(retired)}")
        if "error" in value and set(value) != {"query", "error"}:
            sys.exit(f"a failed query is not {{query, error}}: {value}")
        if RANKED & set(value) and "measure" not in value and key not in ("forward", "reverse"):
            sys.exit(f"a ranked list without a measure: {sorted(value)}")
        for k, v in value.items():
            walk(v, k)
    elif isinstance(value, list):
        for item in value:
            if key in RANKED:
                if not (isinstance(item, dict) and {"word", "score"} <= set(item) <= {"word", "score", "input"}):
                    sys.exit(f"{key} item {item} is not {{word, score}}")
                if not isinstance(item["score"], (int, float)) or isinstance(item["score"], bool):
                    sys.exit(f"{key} item {item} has no numeric score")
            walk(item, key)

for value in ds:
    walk(value)
answers = lambda x: x["answers"]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}
v="$fixture/vectors.bin"

# ---- neighbors: one line per query, the failed one in its place
run 1 neighbors "$bin" neighbors "$v" king kingz "king - man + woman" --k 3 --json
check neighbors 'len(ds) == 3 and d["query"] == "king" and d["measure"] == "cosine" and len(d["answers"]) == 3 and ds[1]["query"] == "kingz" and "not in the vocabulary" in ds[1]["error"] and ds[2]["query"] == "king - man + woman" and len(ds[2]["answers"]) == 3'
[ ! -s "$tmp/neighbors.err" ] || fail "neighbors --json wrote the query error to stderr too: $(cat "$tmp/neighbors.err")"

# ---- analogy: the measure follows --method; unfiltered has the answers' item shape
run 0 analogy "$bin" analogy "$v" man king woman --k 2 --include-inputs --json
check analogy 'd["query"] == "man king woman" and (d["a"], d["b"], d["c"]) == ("man", "king", "woman") and d["method"] == "add" and d["measure"] == "3cosadd" and len(d["answers"]) == 2 and len(d["unfiltered"]) == 2'
run 0 analogy_mul "$bin" analogy "$v" man king woman --method mul --k 2 --json
check analogy_mul 'd["method"] == "mul" and d["measure"] == "3cosmul" and "unfiltered" not in d'
printf 'man king woman\nman king zzzz\nman king\n' >"$tmp/questions.txt"
"$bin" analogy "$v" --k 2 --json <"$tmp/questions.txt" >"$tmp/analogy_stdin.json" 2>"$tmp/analogy_stdin.err"
[ $? -eq 1 ] || fail "analogy with bad stdin lines does not exit 1"
check analogy_stdin 'len(ds) == 3 and ds[0]["measure"] == "3cosadd" and ds[1] == {"query": "man king zzzz", "error": ds[1]["error"]} and "zzzz" in ds[1]["error"] and "three words" in ds[2]["error"]'

# ---- similarity: the pair as the query; a failed pair as {query, error}
printf 'king queen\nking zzzz\n' >"$tmp/pairs.txt"
"$bin" similarity "$v" --json <"$tmp/pairs.txt" >"$tmp/similarity.json" 2>"$tmp/similarity.err"
[ $? -eq 1 ] || fail "similarity with an unknown word does not exit 1"
check similarity 'len(ds) == 2 and d["query"] == "king queen" and d["words"] == ["king", "queen"] and -1 <= d["cosine"] <= 1 and ds[1]["query"] == "king zzzz" and "zzzz" in ds[1]["error"]'

# ---- eval-similarity: pairs skipped for a missing word are `missing`
{ head -3 "$fixture/pairs.tsv"; printf 'king\tzzzz\t5\n'; } >"$tmp/pairs.tsv"
run 0 eval_similarity "$bin" eval-similarity "$v" "$tmp/pairs.tsv" --json
check eval_similarity 'd["missing"] == [["king", "zzzz"]] and d["pairs_total"] == d["pairs_used"] + 1'

# ---- bias analogy and debias
run 0 bias_analogy "$bin" bias analogy "$v" --pair man:woman king --k 2 --restrict 0 --json
check bias_analogy 'd["measure"] == "3cosadd" and d["method"] == "add" and len(d["probes"]) == 1 and all(len(d["probes"][0][s][f]) == 2 and all("input" in a for a in d["probes"][0][s][f]) for s in ("forward", "reverse") for f in ("excluded", "included"))'
printf 'king\tqueen\nzzzz\tyyyy\n' >"$tmp/equalize.tsv"
printf 'man\nwoman\n' >"$tmp/specific.txt"
run 0 debias "$bin" bias debias "$v" --pair man:woman --equalize "$tmp/equalize.tsv" \
  --specific "$tmp/specific.txt" --word king --word zzzz --output "$tmp/debiased.txt" --json
check debias 'd["output"].endswith("/debiased.txt") and d["vectors"].endswith("vectors.bin") and d["equalize_missing"] == [["zzzz", "yyyy"]] and d["missing"] == ["zzzz"]'

# ---- a tiny model: lm-generate, lm-score, ngram-train, lm-bench
for i in $(seq 1 60); do
  echo "the capital of france is paris and the capital of italy is rome"
  echo "a cat and a dog play in the garden of the small house"
done >"$tmp/corpus.txt"
"$bin" lm-train --input "$tmp/corpus.txt" --output "$tmp/m.lm" --d-model 16 --layers 1 --heads 2 \
  --context 8 --batch 8 --steps 20 --seed 1 --quiet --json >"$tmp/lm_train.json" 2>"$tmp/lm_train.err" ||
  fail "lm-train: $(head -c 300 "$tmp/lm_train.err")"
check lm_train 'd["output"].endswith("/m.lm") and d["steps"] == 20 and d["seconds"] >= 0 and d["cpu_seconds"] >= 0'
run 0 lm_generate "$bin" lm-generate --model "$tmp/m.lm" --prompt "the capital of" --k 3 --length 2 --json
check lm_generate 'd["query"] == "the capital of" and d["measure"] == "probability" and len(d["answers"]) == 3 and all(0 <= a["score"] <= 1 for a in d["answers"]) and d["missing"] == [] and d["sample"].startswith("the capital of ")'
printf 'Zebra capital of\na cat\n' >"$tmp/prompts.txt"
"$bin" lm-generate --model "$tmp/m.lm" --k 2 --length 0 --json --quiet <"$tmp/prompts.txt" \
  >"$tmp/lm_generate_stdin.json" 2>/dev/null || fail "lm-generate from stdin failed"
check lm_generate_stdin 'len(ds) == 2 and d["query"] == "Zebra capital of" and d["missing"] == ["Zebra"] and ds[1]["missing"] == []'
run 0 lm_score "$bin" lm-score "$tmp/m.lm" --text "Zebra cat" --json --quiet
check lm_score 'd["query"] == "Zebra cat" and d["missing"] == ["Zebra"] and d["tokens"][0]["unknown"]'
run 0 ngram_train "$bin" ngram-train --input "$tmp/corpus.txt" --order 2 --output "$tmp/kn2.bin" --json --quiet
check ngram_train 'd["output"].endswith("/kn2.bin") and d["order"] == 2 and "vocab_size" in d and d["seconds"] >= 0'
run 0 lm_bench "$bin" lm-bench --model "$tmp/kn2.bin" --model "$tmp/m.lm" --input "$tmp/corpus.txt" --json --quiet
check lm_bench 'len(d) == 2 and all(r["input"].endswith("/corpus.txt") and r["model"] and r["seconds"] >= 0 for r in d)'
run 0 vocab "$bin" vocab --input "$tmp/corpus.txt" --output "$tmp/vocab.txt" --json --quiet
check vocab 'd["output"].endswith("/vocab.txt") and d["vocab_size"] > 10'

# ---- a word that is not valid UTF-8: valid JSON, the byte replaced by U+FFFD
printf '3 2\nking 1 0\nqu\377een 0.9 0.1\ncat 0 1\n' >"$tmp/bad_utf8.txt"
run 0 bad_utf8 "$bin" neighbors "$tmp/bad_utf8.txt" king --k 1 --json
check bad_utf8 'answers(d)[0]["word"] == "qu\ufffdeen"'
printf 'king qu\377een\n' | "$bin" similarity "$tmp/bad_utf8.txt" --json >"$tmp/bad_utf8_similarity.json" 2>/dev/null ||
  fail "similarity of a word with invalid UTF-8 failed"
check bad_utf8_similarity 'd["query"] == "king qu\ufffdeen" and d["found"][1] == "qu\ufffdeen"'

[ "$failures" -eq 0 ] && echo "all JSON key checks passed"
exit $((failures > 0))
