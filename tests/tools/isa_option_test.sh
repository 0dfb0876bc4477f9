#!/usr/bin/env bash
# Usage: isa_option_test.sh path/to/wordspace path/to/tests/data/eval_tiny
# `--isa`, the one option that pins every command's kernels: each level this CPU runs gives the
# answers of auto (the same words; scores within rounding), lm-train reports the matrix kernel it
# used, a bad or unsupported name is a usage error (exit 2) naming the choices, WORDSPACE_ISA is
# the default when --isa is absent, and lm-train's old --kernel still works with a note.
set -u
bin=$1
fixture=$2
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
v="$fixture/vectors.bin"
q="$fixture/questions.txt"

levels="portable"
grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && levels="$levels avx2"
grep -qw avx512f /proc/cpuinfo 2>/dev/null && levels="$levels avx512"

# Words and rounded scores of neighbors --json, one line per answer.
answers() { tr '{' '\n' <"$1" | sed -nE 's/"word":"([^"]*)","score":(-?[0-9.e-]+).*/\1 \2/p' |
            awk '{printf "%s %.4f\n", $1, $2}'; }
"$bin" neighbors "$v" king queen --k 5 --json >"$tmp/auto.json" || fail "neighbors (auto) failed"
[ -s "$tmp/auto.json" ] || fail "neighbors (auto) printed nothing"
answers "$tmp/auto.json" >"$tmp/auto.txt"
[ "$(wc -l <"$tmp/auto.txt")" -eq 10 ] || fail "expected 10 answers from auto, got $(wc -l <"$tmp/auto.txt")"
for isa in $levels; do
  "$bin" neighbors "$v" king queen --k 5 --json --isa "$isa" >"$tmp/$isa.json" ||
    fail "neighbors --isa $isa failed"
  answers "$tmp/$isa.json" >"$tmp/$isa.txt"
  cmp -s "$tmp/auto.txt" "$tmp/$isa.txt" || fail "neighbors --isa $isa differs from auto: $(diff "$tmp/auto.txt" "$tmp/$isa.txt")"
  WORDSPACE_ISA=$isa "$bin" neighbors "$v" king queen --k 5 --json >"$tmp/env.json" ||
    fail "WORDSPACE_ISA=$isa neighbors failed"
done
if [ -f "$q" ]; then
  a_auto=$("$bin" eval-analogy "$v" "$q" --json --quiet | sed -E 's/^\{"accuracy":([0-9.eE+-]+),.*/\1/')
  a_port=$("$bin" eval-analogy "$v" "$q" --json --quiet --isa portable | sed -E 's/^\{"accuracy":([0-9.eE+-]+),.*/\1/')
  [ "$a_auto" = "$a_port" ] || fail "eval-analogy accuracy: auto $a_auto, portable $a_port"
fi

# lm-train's JSON names the matrix kernel: --isa and WORDSPACE_ISA choose it, --isa wins.
printf 'the cat sat on the mat\nthe dog sat on the rug\n%.0s' {1..50} >"$tmp/c.txt"
lm() { "$bin" lm-train --train "$tmp/c.txt" --out "$tmp/m.lm" --steps 2 --d-model 16 --heads 2 \
         --layers 1 --context 8 --batch 2 --quiet --json "$@"; }
lm --isa portable >"$tmp/lm.json" 2>"$tmp/lm.err" || fail "lm-train --isa portable: $(cat "$tmp/lm.err")"
grep -q '"kernel":"portable (4x16)"' "$tmp/lm.json" || fail "lm-train --isa portable used: $(grep -o '"kernel":"[^"]*"' "$tmp/lm.json")"
WORDSPACE_ISA=portable lm >"$tmp/lm.json" 2>/dev/null
grep -q '"kernel":"portable (4x16)"' "$tmp/lm.json" || fail "WORDSPACE_ISA=portable is not the default"
case " $levels " in *" avx2 "*)
  WORDSPACE_ISA=portable lm --isa avx2 >"$tmp/lm.json" 2>/dev/null
  grep -q '"kernel":"avx2+fma (6x16)"' "$tmp/lm.json" || fail "--isa avx2 does not override WORDSPACE_ISA"
  lm --kernel avx2 >"$tmp/lm.json" 2>"$tmp/lm.err" || fail "lm-train --kernel avx2 failed"
  grep -q '"kernel":"avx2+fma (6x16)"' "$tmp/lm.json" || fail "lm-train --kernel avx2 ignored"
  grep -q "note: --kernel is now --isa" "$tmp/lm.err" || fail "no note for the old --kernel"
esac

# Bad names, and levels this CPU lacks, are usage errors.
for c in "neighbors $v king" "vocab --input $tmp/c.txt" "lm-generate --model $tmp/m.lm"; do
  # shellcheck disable=SC2086
  "$bin" $c --isa avx9 >/dev/null 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "$c --isa avx9: exit $rc, wanted 2"
  grep -q "error: --isa: unknown instruction set 'avx9'; use auto, avx512, avx2 or portable" "$tmp/err" ||
    fail "$c --isa avx9: $(cat "$tmp/err")"
done
for isa in avx2 avx512; do
  case " $levels " in *" $isa "*) continue ;; esac
  "$bin" neighbors "$v" king --isa "$isa" >/dev/null 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "--isa $isa on a CPU without it: exit $rc, wanted 2"
  grep -q "this CPU cannot run $isa kernels" "$tmp/err" || fail "--isa $isa: $(cat "$tmp/err")"
done

"$bin" neighbors --help | grep -q -- "--isa arg" || fail "neighbors --help does not list --isa"
[ "$failures" -eq 0 ] && echo "isa option: all checks passed (levels: $levels)"
exit $((failures > 0))
