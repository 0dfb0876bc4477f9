#!/usr/bin/env bash
# Usage: small_commands_test.sh path/to/wordspace path/to/tests/data/eval_tiny
# Issue 13's small things, through the binary: `similarity`, eval-similarity on one pair,
# `eval-analogy --errors`, WEAT's notes and warnings, lm-generate's unknown-word note, stdin
# prompts and --no-unk, and `lm-score`. Where two commands compute the same number they are
# checked against each other. Prints one line per failed check and exits 1 if any.
set -u
bin=$1
fixture=$2
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
run() {  # run CODE description command...: stdout in $tmp/out, stderr in $tmp/err
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, wanted $want ($(head -c 300 "$tmp/err"))"
}
python=""
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
# json_check FILE PYTHON-EXPRESSION: FILE is one JSON value, or JSON Lines (`d` is the first
# value, `ds` all of them), and the expression is true.
json_check() {
  [ -n "$python" ] || return 0
  "$python" -c 'import json, math, sys
text = open(sys.argv[1]).read()
try:
    ds = [json.loads(text)]
except ValueError:
    ds = [json.loads(l) for l in text.splitlines() if l.strip()]
d = ds[0]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" || fail "$1: not JSON, or not: $2 ($(head -c 300 "$1"))"
}
v="$fixture/vectors.bin"

# ---- similarity
run 2 "similarity without words or vectors" "$bin" similarity
run 2 "similarity with one word" "$bin" similarity "$v" king
run 0 "similarity --help" "$bin" similarity --help
grep -q "gensim" "$tmp/out" || fail "similarity --help does not say what it computes"
run 0 "similarity" "$bin" similarity "$v" king queen
grep -Eq '^king queen -?[01]\.[0-9]{6}$' "$tmp/out" || fail "similarity output: $(cat "$tmp/out")"
# The same cosine as neighbors reports for king's nearest word (to float32 rounding: neighbors
# works on normalised float rows, similarity sums in double).
run 0 "neighbors king" "$bin" neighbors "$v" king --k 1 --json
if [ -n "$python" ]; then
  read -r near cos < <("$python" -c 'import json,sys; n=json.load(open(sys.argv[1]))["answers"][0]; print(n["word"], n["score"])' "$tmp/out")
  run 0 "similarity king $near" "$bin" similarity "$v" king "$near"
  got=$(cut -d' ' -f3 "$tmp/out")
  "$python" -c 'import sys; sys.exit(0 if abs(float(sys.argv[1]) - float(sys.argv[2])) < 1e-5 else 1)' \
    "$got" "$cos" || fail "similarity king $near = $got, neighbors says $cos"
fi
run 0 "similarity with a capitalised word" "$bin" similarity "$v" King queen
grep -q "note: 'King' is not in the vocabulary; using 'king'" "$tmp/err" ||
  fail "no lowercase note: $(cat "$tmp/err")"
run 1 "similarity --case-sensitive" "$bin" similarity "$v" King queen --case-sensitive
grep -q "error: 'King' is not in the vocabulary" "$tmp/err" || fail "case-sensitive: $(cat "$tmp/err")"
run 1 "similarity with an unknown word" "$bin" similarity "$v" kingz queen
grep -q "error: 'kingz' is not in the vocabulary; did you mean: .*king" "$tmp/err" ||
  fail "unknown word: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "an unknown word printed on stdout: $(cat "$tmp/out")"
printf 'king queen\nman woman\n' >"$tmp/pairs.txt"
"$bin" similarity "$v" --json <"$tmp/pairs.txt" >"$tmp/out" 2>"$tmp/err" || fail "similarity from stdin failed"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "similarity from stdin: $(cat "$tmp/out")"
json_check "$tmp/out" 'ds[0]["query"] == "king queen" and ds[0]["words"] == ["king", "queen"] and ds[1]["found"] == ["man", "woman"] and all(-1 <= x["cosine"] <= 1 for x in ds)'
printf 'king queen\nking\nman woman\n' | "$bin" similarity "$v" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "a bad stdin line does not exit 1"
grep -q "expected two words" "$tmp/err" || fail "a bad stdin line is not reported: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "the good stdin lines were not answered: $(cat "$tmp/out")"

# ---- eval-similarity on one pair: the cosine, not nan, and the same as `similarity`
printf '# one pair\nking\tqueen\t8.5\n' >"$tmp/one.tsv"
run 0 "eval-similarity on one pair" "$bin" eval-similarity "$v" "$tmp/one.tsv"
grep -q "^spearman  undefined (one pair" "$tmp/out" || fail "one pair: $(cat "$tmp/out")"
grep -qi "nan" "$tmp/out" && fail "one pair still prints nan: $(cat "$tmp/out")"
one=$(awk '$1 == "cosine" {print $2}' "$tmp/out")
run 0 "similarity king queen" "$bin" similarity "$v" king queen
[ "$one" = "$(awk '{printf "%.4f", $3}' "$tmp/out")" ] ||
  fail "eval-similarity's cosine $one differs from similarity's $(cat "$tmp/out")"
run 0 "eval-similarity on one pair --json" "$bin" eval-similarity "$v" "$tmp/one.tsv" --json
json_check "$tmp/out" 'd["spearman"] is None and abs(d["cosine"] - float("'"$one"'")) < 1e-4 and d["pairs_used"] == 1'
run 0 "eval-similarity on many pairs --json" "$bin" eval-similarity "$v" "$fixture/pairs.tsv" --json
json_check "$tmp/out" '"cosine" not in d and d["spearman"] is not None'

# ---- eval-analogy --errors
q="$fixture/questions.txt"
run 0 "eval-analogy --errors" "$bin" eval-analogy "$v" "$q" --restrict 558 --json --errors "$tmp/errors.tsv"
cp "$tmp/out" "$tmp/analogy.json"
[ -s "$tmp/errors.tsv" ] || fail "no errors file"
head -1 "$tmp/errors.tsv" | grep -q "^section	a	b	c	expected	answer	score$" ||
  fail "errors header: $(head -1 "$tmp/errors.tsv")"
wrong=$(($(wc -l <"$tmp/errors.tsv") - 1))
json_check "$tmp/analogy.json" 'd["seen"] - d["correct"] == '"$wrong"
awk -F'\t' 'NR > 1 && (NF != 7 || $5 == $6 || $6 == "") {bad++} END {exit bad > 0}' "$tmp/errors.tsv" ||
  fail "an errors line is malformed or answered right: $(sed -n 2,4p "$tmp/errors.tsv")"
grep -q "note: wrote the $wrong questions answered wrongly" "$tmp/err" || fail "no note: $(cat "$tmp/err")"
run 2 "eval-analogy --errors -" "$bin" eval-analogy "$v" "$q" --errors -
run 1 "eval-analogy --errors into a missing folder" "$bin" eval-analogy "$v" "$q" --errors "$tmp/no/e.tsv"
grep -q "error: .*no/e.tsv" "$tmp/err" || fail "errors into a missing folder: $(cat "$tmp/err")"
[ ! -e "$tmp/no" ] || fail "a failed --errors created a folder"
run 0 "eval-analogy --help" "$bin" eval-analogy --help
grep -q -- "--errors" "$tmp/out" || fail "eval-analogy --help does not list --errors"

# ---- WEAT: a note for opposite signs, warnings for degenerate tests
# 2-d vectors with chosen associations s(w) = w_x - w_y against A = (1,0) and B = (0,1): eight X
# words at s = 0.1 and four Y words at s = 0.15 give a positive statistic and a negative d.
awk 'BEGIN {
  print 20, 2
  for (i = 0; i < 4; i++) { print "a" i, 1, 0; print "b" i, 0, 1 }
  pi = atan2(0, -1)
  for (i = 0; i < 12; i++) {
    s = i < 8 ? 0.1 : 0.15
    x = s / sqrt(2); t = atan2(sqrt(1 - x * x), x) - pi / 4
    printf "%s %.7f %.7f\n", (i < 8 ? "x" i : "y" (i - 8)), cos(t), sin(t)
  }
}' >"$tmp/weat.txt"
{
  for i in 0 1 2 3 4 5 6 7; do printf 'signs\tX\tlow\tx%s\n' $i; done
  for i in 0 1 2 3; do printf 'signs\tY\thigh\ty%s\n' $i; done
  for i in 0 1 2 3; do printf 'signs\tA\tpos\ta%s\nsigns\tB\tneg\tb%s\n' $i $i; done
  printf 'tiny\tX\tlow\tx0\ntiny\tX\tlow\tx1\ntiny\tY\thigh\ty0\ntiny\tY\thigh\ty1\n'
  printf 'tiny\tA\tpos\ta0\ntiny\tB\tneg\tb0\ntiny\tB\tneg\tzzz\n'
} >"$tmp/weat.tsv"
run 0 "bias weat" "$bin" bias weat "$tmp/weat.txt" --tests "$tmp/weat.tsv"
grep -q "^note: signs: the statistic (0.2) and d (-.*) have opposite signs because |X| = 8 and |Y| = 4 differ" "$tmp/out" ||
  fail "no opposite-sign note: $(cat "$tmp/out")"
grep -q "^warning: signs" "$tmp/out" && fail "a sound test got a warning: $(grep warning "$tmp/out")"
grep -q "^warning: tiny: set X (low) has 2 words, fewer than 4" "$tmp/out" || fail "no small-set warning: $(cat "$tmp/out")"
grep -q "^warning: tiny: set B (neg) has 1 word, after 1 missing from the vectors" "$tmp/out" ||
  fail "no missing-word warning: $(cat "$tmp/out")"
grep -q "^warning: tiny: only 6 partitions .* p < 0.05 cannot happen" "$tmp/out" || fail "no partitions warning: $(cat "$tmp/out")"
run 0 "bias weat --json" "$bin" bias weat "$tmp/weat.txt" --tests "$tmp/weat.tsv" --json
json_check "$tmp/out" 'len(d["tests"][0]["notes"]) == 1 and d["tests"][0]["warnings"] == [] and len(d["tests"][1]["warnings"]) == 5 and d["tests"][0]["statistic"] > 0 > d["tests"][0]["effect_size"]'

# ---- lm-generate and lm-score on a tiny model of a lowercase corpus (no --lowercase)
for i in $(seq 1 100); do
  echo "the capital of france is paris and the capital of italy is rome"
  echo "a cat and a dog play in the garden of the small house"
done >"$tmp/corpus.txt"
run 0 "lm-train" "$bin" lm-train --train "$tmp/corpus.txt" --out "$tmp/m.lm" --d-model 16 \
  --layers 1 --heads 2 --context 8 --batch 8 --steps 30 --seed 1 --quiet
m=$tmp/m.lm
# The case policy: a word the model lacks as spelled is read in lowercase, with one note a run.
run 0 "lm-generate with capitals" "$bin" lm-generate --model "$m" --prompt "The capital of France is" --length 0
[ "$(grep -c "^note: 'The' is not in the vocabulary; using 'the' (--case-sensitive: exact spelling only)$" "$tmp/err")" = 1 ] &&
  ! grep -q "not in the vocabulary (read as <unk>)" "$tmp/err" ||
  fail "lm-generate does not read capitals in lowercase, once noted: $(cat "$tmp/err")"
cp "$tmp/out" "$tmp/folded.out"
run 0 "lm-generate in lowercase" "$bin" lm-generate --model "$m" --prompt "the capital of france is" --length 0
cmp -s <(tail -n +2 "$tmp/out") <(tail -n +2 "$tmp/folded.out") ||
  fail "a prompt read in lowercase answers otherwise than the lowercase prompt"
run 0 "lm-generate --case-sensitive" "$bin" lm-generate --model "$m" --prompt "The capital of France is" --length 0 --case-sensitive
grep -q "note: 2 prompt words are not in the vocabulary (read as <unk>): 'The', 'France'; the model's vocabulary is lowercase and has 'the', 'france'" "$tmp/err" ||
  fail "unknown prompt words not named: $(cat "$tmp/err")"
run 0 "lm-generate, known words" "$bin" lm-generate --model "$m" --prompt "the capital of" --length 0
grep -q "not in the vocabulary" "$tmp/err" && fail "a note for known words: $(cat "$tmp/err")"
printf 'the capital of\n\na cat\n' | "$bin" lm-generate --model "$m" --length 3 >"$tmp/out" 2>"$tmp/err" ||
  fail "lm-generate from stdin failed: $(cat "$tmp/err")"
[ "$(grep -c '^next word after ' "$tmp/out")" -eq 2 ] || fail "stdin prompts: $(cat "$tmp/out")"
grep -q '^next word after "a cat":' "$tmp/out" || fail "the second stdin prompt is missing: $(cat "$tmp/out")"
grep -q '^  a cat ' "$tmp/out" || fail "no sample for the second prompt: $(cat "$tmp/out")"
# The same prompt, alone or after another line, gives the same answer (seeded per prompt).
run 0 "lm-generate a cat" "$bin" lm-generate --model "$m" --prompt "a cat" --length 3
grep -A1 '^sample' "$tmp/out" | tail -1 >"$tmp/alone"
grep -A1 '^sample' <(printf 'the capital of\na cat\n' | "$bin" lm-generate --model "$m" --length 3 2>/dev/null) | tail -1 >"$tmp/second"
cmp -s "$tmp/alone" "$tmp/second" || fail "a stdin prompt's sample depends on the lines before it"
# The model as the first word (as lm-score and inspect take it), the prompt after it or as
# --prompt; the old `--model MODEL PROMPT` still works. Same seed, same answer every way.
cp "$tmp/alone" "$tmp/by_option"
for form in "MODEL --prompt" "MODEL PROMPT" "--model MODEL PROMPT"; do
  case "$form" in
    "MODEL --prompt") args=("$m" --prompt "a cat") ;;
    "MODEL PROMPT") args=("$m" "a cat") ;;
    *) args=(--model "$m" "a cat") ;;
  esac
  run 0 "lm-generate $form" "$bin" lm-generate "${args[@]}" --length 3
  grep -A1 '^sample' "$tmp/out" | tail -1 >"$tmp/form"
  cmp -s "$tmp/by_option" "$tmp/form" || fail "lm-generate $form answers otherwise than --model --prompt"
done
run 2 "lm-generate, two prompts" "$bin" lm-generate "$m" "a cat" --prompt "the"
grep -q "the prompt is given twice" "$tmp/err" || fail "two prompts not refused by name: $(cat "$tmp/err")"
run 2 "lm-generate, unquoted prompt" "$bin" lm-generate "$m" a cat
grep -q "unexpected 'cat'" "$tmp/err" || fail "an unquoted prompt not explained: $(cat "$tmp/err")"
run 2 "lm-generate without a model" "$bin" lm-generate --prompt "a cat"
grep -q "give the model" "$tmp/err" || fail "a missing model not named: $(cat "$tmp/err")"
# Every word listed: <unk> among them, unless --no-unk.
run 0 "lm-generate, all words" "$bin" lm-generate --model "$m" --prompt "the" --top-k 1000 --length 0
grep -q ' <unk> ' "$tmp/out" || fail "the full list has no <unk>: $(cat "$tmp/out")"
all=$(grep -c '^ *[0-9]*\. ' "$tmp/out")
run 0 "lm-generate --no-unk" "$bin" lm-generate --model "$m" --prompt "the" --top-k 1000 --length 300 \
  --temperature 50 --sample-top-k 0 --no-unk
grep -q '<unk>' "$tmp/out" && fail "--no-unk still answers <unk>: $(grep '<unk>' "$tmp/out" | head -c 200)"
[ "$(grep -c '^ *[0-9]*\. ' "$tmp/out")" -eq $((all - 1)) ] || fail "--no-unk dropped more than <unk>"
run 0 "lm-generate, flat sampling" "$bin" lm-generate --model "$m" --prompt "the" --top-k 0 --length 300 \
  --temperature 50 --sample-top-k 0
grep -q '<unk>' "$tmp/out" || fail "flat sampling never drew <unk>, so --no-unk's check proves nothing"

run 2 "lm-score without a model" "$bin" lm-score
run 0 "lm-score --help" "$bin" lm-score --help
grep -q "surprisal" "$tmp/out" || fail "lm-score --help does not explain surprisal"
run 2 "lm-score with --text and --input" "$bin" lm-score "$m" --text "a cat" --input "$tmp/corpus.txt"
run 1 "lm-score on a missing model" "$bin" lm-score "$tmp/none.lm" --text "a cat"
grep -q "error: .*none.lm" "$tmp/err" || fail "missing model: $(cat "$tmp/err")"
run 0 "lm-score table" "$bin" lm-score "$m" --text "a cat and a dog"
grep -q "^sentence: a cat and a dog$" "$tmp/out" || fail "lm-score table: $(cat "$tmp/out")"
grep -Eq '^ +6  </s> ' "$tmp/out" || fail "the line end is not scored: $(cat "$tmp/out")"
grep -q "^  total .* bits over 6 tokens" "$tmp/out" || fail "no total: $(cat "$tmp/out")"
run 0 "lm-score --json" "$bin" lm-score "$m" --text "The cat and a dog" --json --case-sensitive
json_check "$tmp/out" '[t["word"] for t in d["tokens"]] == ["The", "cat", "and", "a", "dog", "</s>"] and d["tokens"][0]["unknown"] and d["missing"] == ["The"] and abs(sum(t["surprisal_bits"] for t in d["tokens"]) - d["total_bits"]) < 1e-4 and all(abs(2 ** -t["surprisal_bits"] - t["prob"]) < 1e-6 and t["rank"] >= 1 for t in d["tokens"])'
grep -q "note: 1 sentence word is not in the vocabulary (read as <unk>): 'The'; the model's vocabulary is lowercase and has 'the'" "$tmp/err" ||
  fail "lm-score does not name the unknown word: $(cat "$tmp/err")"
run 0 "lm-score reads capitals in lowercase" "$bin" lm-score "$m" --text "The cat and a dog" --json
json_check "$tmp/out" 'd["tokens"][0]["word"] == "The" and not d["tokens"][0]["unknown"] and d["tokens"][0]["expected"] is not None and d["missing"] == []'
grep -q "^note: 'The' is not in the vocabulary; using 'the'" "$tmp/err" ||
  fail "lm-score does not note the lowercase reading: $(cat "$tmp/err")"
# The first word's probability is lm-generate's for it after an empty prompt (a line start).
run 0 "lm-score a" "$bin" lm-score "$m" --text "a" --json
cp "$tmp/out" "$tmp/a.json"
run 0 "lm-generate at a line start" "$bin" lm-generate --model "$m" --prompt "" --top-k 1000 --length 0
p_gen=$(awk '$2 == "a" {print $3}' "$tmp/out")
json_check "$tmp/a.json" 'abs(d["tokens"][0]["prob"] - float("'"${p_gen:-nan}"'")) < 1e-4'
run 0 "lm-score --no-eos" "$bin" lm-score "$m" --text "a cat" --no-eos --json
json_check "$tmp/out" '[t["word"] for t in d["tokens"]] == ["a", "cat"]'
printf 'a cat\n\nthe small house\n' >"$tmp/sentences.txt"
"$bin" lm-score "$m" --json <"$tmp/sentences.txt" >"$tmp/out" 2>"$tmp/err" || fail "lm-score from stdin failed"
json_check "$tmp/out" 'len(ds) == 2 and ds[1]["query"] == "the small house"'
run 0 "lm-score --input" "$bin" lm-score "$m" --input "$tmp/sentences.txt" --json
json_check "$tmp/out" 'len(ds) == 2 and ds[0]["query"] == "a cat"'

[ "$failures" -eq 0 ] && echo "all small-command checks passed"
exit $((failures > 0))
