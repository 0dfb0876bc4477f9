#!/usr/bin/env bash
# Usage: option_vocabulary_test.sh path/to/wordspace
# Issue 13's option vocabulary, read from every command's --help: each command takes --json,
# --quiet, --threads and --isa; no command lists an earlier spelling (--out, --train, --top-k,
# --top, --neighbors, --vocab N, --out-format) as its own; --k lists 10 answers where answers
# are listed (neighbors, analogy, bias analogy, lm-generate); --restrict is 0 for queries and
# 30000 for benchmarks and probes. Then: the earlier spellings still work, a value that spells
# an option is refused (exit 2, nothing written), and --version names the instruction sets.
set -u
bin=$(realpath "$1")
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"

commands=$("$bin" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}' | grep -v '^commands:')
[ "$(echo "$commands" | wc -w)" -ge 15 ] || fail "expected at least 15 commands, got: $commands"
all=()
for c in $commands; do
  case $c in
    bias) for s in analogy direction weat debias; do all+=("bias $s"); done ;;
    inspect) for s in attention heads lens contributions context senses; do all+=("inspect $s"); done ;;
    *) all+=("$c") ;;
  esac
done
# The default shown for option $2 in help text $1 ("" when the option has none).
default_of() { grep -E "^  --$2 arg \(=" <<<"$1" | sed -E 's/.*\(=([^)]*)\).*/\1/'; }
for c in "${all[@]}"; do
  # shellcheck disable=SC2086
  help=$("$bin" $c --help 2>&1) || { fail "$c --help failed"; continue; }
  for o in json quiet threads isa; do
    grep -qE "^  --$o( |$)" <<<"$help" || fail "$c has no --$o"
  done
  for o in out train top-k top neighbors vocab out-format; do
    ! grep -qE "^  --$o( |$)" <<<"$help" || fail "$c lists the earlier spelling --$o"
  done
  case $c in
    neighbors | analogy | "bias analogy" | lm-generate)
      [ "$(default_of "$help" k)" = 10 ] || fail "$c: --k defaults to '$(default_of "$help" k)', not 10" ;;
  esac
  case $c in
    neighbors | analogy | map | eval-similarity | similarity)
      [ "$(default_of "$help" restrict)" = 0 ] || fail "$c: --restrict defaults to '$(default_of "$help" restrict)', not 0" ;;
    eval-analogy | "bias analogy" | "bias direction")
      [ "$(default_of "$help" restrict)" = 30000 ] || fail "$c: --restrict defaults to '$(default_of "$help" restrict)', not 30000" ;;
  esac
done

cd "$tmp" || exit 1
printf 'the cat sat on the mat\nthe dog sat on the rug\n%.0s' {1..40} >c.txt
for i in $(seq 1 30); do echo "w$i w$i x" >>c.txt; done  # 39 distinct words
# Earlier spellings, as saved scripts pass them.
"$bin" ngram-train --train c.txt --out old.ngram --order 2 --vocab-size 50 --quiet ||
  fail "ngram-train --train/--out no longer work"
[ -s old.ngram ] || fail "ngram-train --out wrote nothing"
"$bin" lm-train --train c.txt --out old.lm --vocab 5 --steps 2 --d-model 8 --heads 2 --layers 1 \
  --context 4 --batch 2 --quiet --json >lm.json || fail "lm-train --train/--out/--vocab no longer work"
grep -q '"steps"' lm.json || fail "lm-train --json printed: $(head -c 200 lm.json)"
"$bin" lm-bench --model old.ngram --text c.txt --json --quiet >bench.json || fail "lm-bench --text no longer works"
"$bin" train -train c.txt -output w2v.txt -size 8 -iter 1 -min-count 1 -threads 1 -quiet ||
  fail "word2vec.c's spellings no longer work"
head -1 w2v.txt | grep -qx "[0-9]* 8" || fail "-size 8 was not applied: $(head -1 w2v.txt)"
# An alias never loses to the new name's default: --vocab 5 kept 5 words plus <unk> and </s>.
"$bin" lm-generate --model old.lm --prompt "the" --k 100 --length 0 --json --quiet >gen.json ||
  fail "lm-generate --json failed"
words=$(grep -o '"word":' gen.json | wc -l)
[ "$words" -eq 7 ] || fail "lm-train --vocab 5 gave a vocabulary of $words, not 7"
"$bin" train --input c.txt --output v.bin --min-count 1 --threads 1 --json --quiet >train.json ||
  fail "train --json failed"
grep -q '"vocab_size":' train.json || fail "train --json printed: $(cat train.json)"

# A value that spells an option is a missing value: exit 2, and no file of that name.
expect_refused() {
  "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" -eq 2 ] || fail "$* exited $rc, not 2"
  grep -q "needs a value" err.txt || fail "$*: $(head -c 200 err.txt)"
}
expect_refused "$bin" train --input c.txt --output v2.bin --save-vocab --quiet
expect_refused "$bin" lm-train --input c.txt --out --quiet --steps 1
expect_refused "$bin" neighbors v.bin cat --index-file --json
for f in --quiet --json v2.bin; do [ ! -e "$f" ] || fail "a refused command wrote $f"; done
"$bin" train --input c.txt --output v3.bin --min-count 1 --quiet --save-vocab=-q.txt ||
  fail "--save-vocab=-q.txt (a value with a dash, attached) was refused"
[ -s ./-q.txt ] || fail "--save-vocab=-q.txt wrote nothing"
"$bin" neighbors v.bin cat --k -1 >/dev/null 2>err.txt
grep -q "needs a value" err.txt && fail "a negative number was taken for an option"

# Options are checked before any input is read: with a corpus that does not exist, the bad
# option is what is reported (exit 2), not the missing file.
early() {
  local pattern=$1; shift
  "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" -eq 2 ] && grep -q -- "$pattern" err.txt || fail "$* (exit $rc): $(head -c 200 err.txt)"
}
early "--dim must be" "$bin" train --input missing.txt --output v4.bin --dim 0
early "--order 12 is out of range" "$bin" ngram-train --input missing.txt --output m.ngram --order 12
early "--heads 4 must divide --d-model 30" "$bin" lm-train --input missing.txt --output m.lm \
  --steps 5 --heads 4 --d-model 30
early "give a budget" "$bin" lm-train --input missing.txt --output m.lm
# A short --steps budget scales the default warmup and says so; a given one that is too long warns.
"$bin" lm-train --input c.txt --output w.lm --steps 30 --d-model 8 --heads 2 --layers 1 \
  --context 4 --batch 2 2>err.txt >/dev/null || fail "lm-train --steps 30 failed"
grep -q "note: --warmup scaled to 3" err.txt || fail "no warmup note: $(head -c 300 err.txt)"
"$bin" lm-train --input c.txt --output w.lm --steps 30 --warmup 40 --d-model 8 --heads 2 \
  --layers 1 --context 4 --batch 2 --quiet 2>err.txt || fail "lm-train --warmup 40 failed"
grep -q "warning: --warmup 40 is not shorter than --steps 30" err.txt || fail "no warmup warning"

"$bin" --version >version.txt || fail "--version failed"
grep -q "^wordspace [0-9]" version.txt || fail "--version: $(cat version.txt)"
grep -q "instruction sets: .* in use" version.txt || fail "--version names no instruction set"

[ "$failures" -eq 0 ] && echo "option vocabulary: ${#all[@]} commands checked"
[ "$failures" -eq 0 ]
