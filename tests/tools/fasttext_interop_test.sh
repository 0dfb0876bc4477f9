#!/usr/bin/env bash
# fastText's .bin model both ways: `train --save-model` writes one that Debian's fastText and
# gensim's load_facebook_model read with the same vectors, and wordspace reads one that fastText
# wrote, answering words outside the vocabulary from their n-grams as `fasttext nn` does. The
# peers' parts are skipped with a message when they are not installed (`bash scripts/setup.sh
# --interop` installs them); wordspace's own round trip always runs.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Words of two suffixes over shared stems, so that n-grams carry meaning.
awk 'BEGIN { srand(3); split("bark crim dulp fosk gram helt jorn kesp lum morv nast pild", s, " ");
  for (l = 0; l < 400; l++) { suf = (rand() < 0.5) ? "ling" : "ment"; line = "";
    for (w = 0; w < 10; w++) line = line (w ? " " : "") s[1 + int(rand() * 12)] suf; print line } }' \
  > "$tmp/corpus.txt"
"$bin" train --input "$tmp/corpus.txt" --output "$tmp/v.txt" --save-model "$tmp/m.bin" --minn 3 \
  --maxn 5 --bucket 2000 --dim 16 --epochs 2 --min-count 1 --threads 1 --quiet ||
  fail "train --save-model failed"
# The vectors file keeps its format; the model is fastText's (magic 793712314, version 12).
head -1 "$tmp/v.txt" | grep -qx "24 16" || fail "v.txt header: $(head -1 "$tmp/v.txt")"
[ "$(od -An -tx1 -N8 "$tmp/m.bin" | tr -d ' ')" = "ba164f2f0c000000" ] ||
  fail "m.bin does not open with fastText's magic and version 12"

# A stopped run: its model stays fastText's file, the resume state beside it (MODEL.resume), so
# that the peers below read the model of a run that is not finished too.
"$bin" train --input "$tmp/corpus.txt" --output "$tmp/v2.txt" --save-model "$tmp/m2.bin" --minn 3 \
  --maxn 5 --bucket 2000 --dim 16 --epochs 2 --stop-after-epochs 1 --min-count 1 --threads 1 --quiet ||
  fail "train --stop-after-epochs failed"
[ -s "$tmp/m2.bin.resume" ] || fail "no m2.bin.resume beside the stopped run's model"

# wordspace reads its own model: the vocabulary's neighbours are those of the vectors file, and
# a word outside it is answered from its n-grams, with a note.
"$bin" neighbors "$tmp/m.bin" barkling --k 5 --json > "$tmp/model.json" 2>/dev/null || fail "neighbors m.bin barkling"
"$bin" neighbors "$tmp/v.txt" barkling --k 5 --json > "$tmp/vec.json" 2>/dev/null || fail "neighbors v.txt barkling"
[ "$(sed 's/"score":[^}]*//g' "$tmp/model.json")" = "$(sed 's/"score":[^}]*//g' "$tmp/vec.json")" ] ||
  fail "the model's neighbours of barkling differ from the vectors': $(cat "$tmp/model.json") vs $(cat "$tmp/vec.json")"
"$bin" neighbors "$tmp/m.bin" zzzzling --k 3 > "$tmp/out" 2> "$tmp/err" || fail "neighbors of an unseen word: $(cat "$tmp/err")"
grep -q "'zzzzling' is not in the vocabulary; its vector is the mean of its character n-grams" "$tmp/err" ||
  fail "no note for the unseen word: $(cat "$tmp/err")"
grep -q "ling " "$tmp/out" || fail "zzzzling's neighbours are not -ling words: $(cat "$tmp/out")"
"$bin" neighbors "$tmp/v.txt" zzzzling > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] && grep -q "not in the vocabulary" "$tmp/out" "$tmp/err" ||
  fail "a vectors file answered an unseen word: $(cat "$tmp/out" "$tmp/err")"
# eval-similarity --ngrams scores a pair with an unseen word from its n-grams; without, it skips it.
printf 'zzzzling\tbarkling\t9\nzzzzling\tbarkment\t1\nbarkling\tcrimling\t8\n' > "$tmp/pairs.tsv"
"$bin" eval-similarity "$tmp/m.bin" "$tmp/pairs.tsv" --ngrams --json > "$tmp/out" || fail "eval-similarity --ngrams"
grep -q '"pairs_used":3,"pairs_total":3,"pairs_from_ngrams":2' "$tmp/out" || fail "eval-similarity --ngrams: $(cat "$tmp/out")"
"$bin" eval-similarity "$tmp/m.bin" "$tmp/pairs.tsv" --json > "$tmp/out" || fail "eval-similarity on a model"
grep -q '"pairs_used":1,"pairs_total":3,"pairs_from_ngrams":0' "$tmp/out" || fail "eval-similarity without --ngrams: $(cat "$tmp/out")"
# A truncated model is an error naming the file and the field.
head -c 3000 "$tmp/m.bin" > "$tmp/cut.bin"
"$bin" neighbors "$tmp/cut.bin" barkling > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] && grep -q "error: $tmp/cut.bin: .*input matrix" "$tmp/err" ||
  fail "a truncated model: $(cat "$tmp/err")"

# `fasttext nn` prints "Query word? " then `word score` lines; the words, in order.
ft_nn() { echo "$2" | fasttext nn "$1" "$3" 2>/dev/null | sed 's/^Query word? //' | awk 'NF == 2 {print $1}'; }
ws_nn() { "$bin" neighbors "$1" "$2" --k "$3" --json --quiet | grep -o '"word":"[^"]*"' | cut -d'"' -f4; }

if command -v fasttext >/dev/null; then
  # fastText prints 5 significant digits: the vectors agree to that.
  tail -n +2 "$tmp/v.txt" | cut -d' ' -f1 > "$tmp/words"
  fasttext print-word-vectors "$tmp/m.bin" < "$tmp/words" > "$tmp/ft.txt" || fail "fasttext print-word-vectors m.bin"
  worst=$(awk 'NR == FNR { for (i = 2; i <= NF; i++) v[$1, i] = $i; next }
    { for (i = 2; i <= NF; i++) { d = $i - v[$1, i]; if (d < 0) d = -d;
        t = 1e-4 * (v[$1, i] < 0 ? -v[$1, i] : v[$1, i]) + 1e-6; if (d > t) bad++ } }
    END { print bad + 0 }' <(tail -n +2 "$tmp/v.txt") "$tmp/ft.txt")
  [ "$worst" = 0 ] || fail "$worst values of fastText's vectors differ from v.txt beyond its printed precision"
  [ "$(wc -l < "$tmp/ft.txt")" = 24 ] || fail "fasttext printed $(wc -l < "$tmp/ft.txt") vectors, not 24"
  fasttext print-word-vectors "$tmp/m2.bin" < "$tmp/words" > "$tmp/ft2.txt" && [ "$(wc -l < "$tmp/ft2.txt")" = 24 ] ||
    fail "fasttext does not read a stopped run's model"
  # Unseen words: fastText's n-gram answer and ours name the same neighbours in the same order.
  for q in zzzzling qqment barkling; do
    [ "$(ft_nn "$tmp/m.bin" "$q" 5)" = "$(ws_nn "$tmp/m.bin" "$q" 5)" ] ||
      fail "our model: fasttext nn $q gives $(ft_nn "$tmp/m.bin" "$q" 5 | tr '\n' ' '), wordspace $(ws_nn "$tmp/m.bin" "$q" 5 | tr '\n' ' ')"
  done
  # A model fastText wrote (its vocabulary has "</s>", whose vector has no n-grams).
  fasttext skipgram -input "$tmp/corpus.txt" -output "$tmp/ft" -minCount 1 -dim 16 -epoch 2 \
    -minn 3 -maxn 5 -bucket 2000 -thread 1 -verbose 0 > /dev/null 2>&1 || fail "fasttext skipgram"
  for q in zzzzling barkling gramment; do
    [ "$(ft_nn "$tmp/ft.bin" "$q" 5)" = "$(ws_nn "$tmp/ft.bin" "$q" 5)" ] ||
      fail "fastText's model: fasttext nn $q gives $(ft_nn "$tmp/ft.bin" "$q" 5 | tr '\n' ' '), wordspace $(ws_nn "$tmp/ft.bin" "$q" 5 | tr '\n' ' ')"
  done
else
  echo "SKIP: fasttext is not installed (bash scripts/setup.sh --interop); fastText's side not checked"
fi

if /usr/bin/python3 -c 'import gensim' 2>/dev/null; then
  /usr/bin/python3 - "$tmp/m.bin" "$tmp/v.txt" "$tmp/m2.bin" <<'PY' || fail "gensim's load_facebook_model"
import sys
import numpy as np
from gensim.models.fasttext import load_facebook_model
model = load_facebook_model(sys.argv[1])
rows = [line.split() for line in open(sys.argv[2]).read().splitlines()[1:]]
assert len(model.wv.index_to_key) == len(rows), (len(model.wv.index_to_key), len(rows))
worst = max(float(np.abs(model.wv[r[0]] - np.array(r[1:], dtype=np.float32)).max()) for r in rows)
assert worst < 1e-5, f"gensim's vectors differ from v.txt by {worst}"
assert model.wv.has_index_for("barkling") and not model.wv.has_index_for("zzzzling")
near = [w for w, _ in model.wv.most_similar("zzzzling", topn=3)]
assert all(w.endswith("ling") for w in near), near
stopped = load_facebook_model(sys.argv[3])  # a stopped run's model, its state beside it
assert len(stopped.wv.index_to_key) == len(rows)
PY
else
  echo "SKIP: gensim is not installed for /usr/bin/python3 (bash scripts/setup.sh --interop); its side not checked"
fi

[ "$fails" -eq 0 ] || exit 1
echo "fasttext interop: all checks passed"
