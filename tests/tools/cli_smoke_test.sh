#!/usr/bin/env bash
# Usage: cli_smoke_test.sh path/to/wordspace
# Exercises the binary as a user would; prints one line per failed check and exits 1 if any.
set -u
bin=$1
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
expect_exit 0 "wordspace --help" "$bin" --help
expect_exit 2 "no command" "$bin"
expect_exit 2 "unknown command" "$bin" no-such-command
commands=$("$bin" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}')
[ -n "$commands" ] || fail "wordspace --help lists no commands"
for c in $commands; do
  expect_exit 0 "$c --help" "$bin" $c --help
  grep -q "usage: wordspace $c" "$tmp/out" || fail "$c --help prints no usage line"
done
expect_exit 2 "train with an unknown option" "$bin" train --input x --output y --no-such-flag

# A small corpus with some structure, written here.
for i in $(seq 1 300); do
  echo "the king and the queen rule the land with the royal court"
  echo "a cat and a dog play in the garden of the small house"
  echo "one two three four five six seven eight nine ten"
done > "$tmp/corpus.txt"
gzip -c "$tmp/corpus.txt" > "$tmp/corpus.gz"

# Missing input: exit 1, an error naming the file, and no output file.
expect_exit 1 "train on a missing file" "$bin" train --input "$tmp/missing.txt" --output "$tmp/v.bin"
grep -q "error: .*missing.txt" "$tmp/err" || fail "missing-input error does not name the file"
[ ! -e "$tmp/v.bin" ] || fail "a failed train left $tmp/v.bin"
# Unwritable output folder: exit 1 and nothing left behind.
expect_exit 1 "train into a missing folder" "$bin" train --input "$tmp/corpus.gz" --output "$tmp/nodir/v.bin" --min-count 1
grep -q "nodir/v.bin: cannot create a file there" "$tmp/err" || fail "no error naming the output: $(head -c 300 "$tmp/err")"
! grep -q "reading\|trained" "$tmp/err" || fail "train read or trained before finding the output folder missing"
expect_exit 1 "lm-train into a missing folder" "$bin" lm-train --train "$tmp/corpus.gz" --out "$tmp/nodir/m.lm" --steps 2
grep -q "nodir/m.lm: cannot create a file there" "$tmp/err" || fail "lm-train: no error naming the output: $(head -c 300 "$tmp/err")"
! grep -q "model:" "$tmp/err" || fail "lm-train built a model before finding the output folder missing"
expect_exit 1 "ngram-train into a missing folder" "$bin" ngram-train --train "$tmp/corpus.gz" --out "$tmp/nodir/m.bin"
grep -q "nodir/m.bin: cannot create a file there" "$tmp/err" || fail "ngram-train: no error naming the output: $(head -c 300 "$tmp/err")"
[ -z "$(ls "$tmp" | grep -v -E '^(corpus.txt|corpus.gz|out|err)$')" ] || fail "stray files after a failed write: $(ls "$tmp")"

# Two one-thread runs with the same seed give identical bytes; word2vec.c's spellings work.
expect_exit 0 "train (1)" "$bin" train --input "$tmp/corpus.gz" --output "$tmp/a.bin" --threads 1 --seed 7 --min-count 1 --dim 16 --epochs 2
expect_exit 0 "train (2, word2vec.c spellings)" "$bin" train -train "$tmp/corpus.gz" -output "$tmp/b.bin" -threads 1 -seed 7 -min-count 1 -size 16 -iter 2
cmp -s "$tmp/a.bin" "$tmp/b.bin" || fail "two --threads 1 --seed 7 runs differ"
head -1 "$tmp/a.bin" | grep -qx "28 16" || fail "binary header is not '28 16': $(head -1 "$tmp/a.bin")"
# CBOW and hierarchical softmax: --model/--loss and word2vec.c's -cbow/-hs give the same bytes
# with one thread and a seed; the report and --json name what was trained.
train_small="--input $tmp/corpus.gz --threads 1 --seed 7 --min-count 1 --dim 16 --epochs 2"
expect_exit 0 "train --model cbow --loss hs" "$bin" train $train_small --output "$tmp/cbow_hs.bin" --model cbow --loss hs
grep -q "(cbow, hs, batched kernel" "$tmp/err" || fail "train's report does not name cbow, hs: $(tail -2 "$tmp/err")"
grep -q "windows" "$tmp/err" || fail "CBOW's report does not count windows: $(tail -2 "$tmp/err")"
expect_exit 0 "train -cbow 1 -hs 1" "$bin" train $train_small --output "$tmp/cbow_hs2.bin" -cbow 1 -hs 1 -negative 0
cmp -s "$tmp/cbow_hs.bin" "$tmp/cbow_hs2.bin" || fail "-cbow 1 -hs 1 differs from --model cbow --loss hs"
cmp -s "$tmp/cbow_hs.bin" "$tmp/a.bin" && fail "CBOW with hierarchical softmax wrote skip-gram's bytes"
expect_exit 0 "train --model cbow --json" "$bin" train $train_small --output "$tmp/cbow.bin" --model cbow --json --quiet
grep -q '"model":"cbow"' "$tmp/out" && grep -q '"loss":"ns"' "$tmp/out" || fail "train --json does not name the model and loss: $(cat "$tmp/out")"
expect_exit 0 "train --loss hs --negative 3" "$bin" train $train_small --output "$tmp/hs.bin" --loss hs --negative 3
grep -q "note: --negative 3 is not used" "$tmp/err" || fail "--negative with --loss hs not noted: $(head -c 300 "$tmp/err")"
expect_exit 2 "train --negative 0" "$bin" train $train_small --output "$tmp/x.bin" --negative 0
grep -q "\-\-loss hs" "$tmp/err" || fail "--negative 0 does not point to --loss hs: $(head -c 300 "$tmp/err")"
expect_exit 2 "train --model glove" "$bin" train $train_small --output "$tmp/x.bin" --model glove
grep -q "skipgram or cbow" "$tmp/err" || fail "a bad --model is not explained: $(head -c 300 "$tmp/err")"
expect_exit 2 "train --loss softmax" "$bin" train $train_small --output "$tmp/x.bin" --loss softmax
[ ! -e "$tmp/x.bin" ] || fail "a refused train wrote $tmp/x.bin"
# Subwords: --minn alone turns them on (with --maxn 6); the report and --json say so; one thread
# and a seed repeat the bytes; a bad range is refused by name.
expect_exit 0 "train --minn 3" "$bin" train $train_small --output "$tmp/sub.bin" --minn 3 --bucket 1000
grep -q "subwords 3-6, 1000 buckets" "$tmp/err" || fail "train's report does not name the subwords: $(tail -2 "$tmp/err")"
expect_exit 0 "train --minn 3 --maxn 6 --json" "$bin" train $train_small --output "$tmp/sub2.bin" --minn 3 --maxn 6 --bucket 1000 --json --quiet
cmp -s "$tmp/sub.bin" "$tmp/sub2.bin" || fail "two subword runs with one thread and a seed differ"
cmp -s "$tmp/sub.bin" "$tmp/a.bin" && fail "subword training wrote plain skip-gram's bytes"
grep -q '"minn":3,"maxn":6' "$tmp/out" || fail "train --json does not give minn and maxn: $(cat "$tmp/out")"
expect_exit 2 "train --minn 7 --maxn 6" "$bin" train $train_small --output "$tmp/x.bin" --minn 7 --maxn 6
grep -q "\-\-minn must be 1..--maxn (6), got 7" "$tmp/err" || fail "a bad --minn is not explained: $(head -c 300 "$tmp/err")"
[ ! -e "$tmp/x.bin" ] || fail "a refused train wrote $tmp/x.bin"
# Continued training: a 2-epoch run stopped after one (--stop-after-epochs, which keeps the run
# in --save-model and MODEL.resume) and resumed writes the uninterrupted run's vectors and model,
# byte for byte, with one thread and a seed, for plain, subword and hierarchical-softmax runs.
for extra in "" "--minn 3 --bucket 500 --loss hs"; do
  expect_exit 0 "train 2 epochs $extra" "$bin" train $train_small --output "$tmp/full.bin" --save-model "$tmp/full.m" $extra --quiet
  expect_exit 0 "train --stop-after-epochs 1 $extra" "$bin" train $train_small --output "$tmp/half.bin" --save-model "$tmp/half.m" --stop-after-epochs 1 $extra
  grep -q "stopped after epoch 1 of 2; go on with: wordspace train --resume $tmp/half.m" "$tmp/err" || fail "no word on how to go on: $(tail -2 "$tmp/err")"
  [ -s "$tmp/half.m.resume" ] || fail "--stop-after-epochs left no $tmp/half.m.resume"
  cmp -s "$tmp/half.bin" "$tmp/full.bin" && fail "the stopped run's vectors are the finished run's ($extra)"
  expect_exit 0 "train --resume $extra" "$bin" train --resume "$tmp/half.m" --input "$tmp/corpus.gz" --output "$tmp/resumed.bin"
  grep -q "resuming $tmp/half.m after epoch 1 of 2" "$tmp/err" || fail "--resume does not say where it goes on: $(head -3 "$tmp/err")"
  cmp -s "$tmp/resumed.bin" "$tmp/full.bin" || fail "stopped and resumed vectors differ from the uninterrupted run's ($extra)"
  cmp -s "$tmp/half.m" "$tmp/full.m" || fail "the resumed model differs from the uninterrupted run's ($extra)"
  [ ! -e "$tmp/half.m.resume" ] || fail "a finished run left $tmp/half.m.resume"
done
expect_exit 2 "--stop-after-epochs without --save-model" "$bin" train $train_small --output "$tmp/x.bin" --stop-after-epochs 1
grep -q "\-\-stop-after-epochs needs --save-model" "$tmp/err" || fail "$(head -c 300 "$tmp/err")"
expect_exit 1 "--resume a finished run" "$bin" train --resume "$tmp/full.m" --input "$tmp/corpus.gz" --output "$tmp/x.bin"
grep -q "full.m.resume: .*--init-from" "$tmp/err" || fail "--resume without its state does not point to --init-from: $(head -c 300 "$tmp/err")"
expect_exit 0 "stop again" "$bin" train $train_small --output "$tmp/half.bin" --save-model "$tmp/half.m" --stop-after-epochs 1 --quiet
printf 'an other corpus\n' | gzip > "$tmp/other.gz"
expect_exit 1 "--resume on another corpus" "$bin" train --resume "$tmp/half.m" --input "$tmp/other.gz" --output "$tmp/x.bin" --min-count 1
grep -q "needs the corpus it was trained on" "$tmp/err" || fail "--resume on another corpus: $(head -c 300 "$tmp/err")"
cp "$tmp/full.m" "$tmp/half.m"
expect_exit 1 "--resume a replaced model" "$bin" train --resume "$tmp/half.m" --input "$tmp/corpus.gz" --output "$tmp/x.bin"
grep -q "half.m: not the model .*has changed since" "$tmp/err" || fail "a replaced model is not refused: $(head -c 300 "$tmp/err")"
# --init-from: a new corpus grows the vocabulary (its new words get rows), the model's words keep
# theirs, and the rate starts again; the dimension is the model's.
printf 'zebra quagga zebra quagga okapi\n%.0s' $(seq 30) | gzip > "$tmp/new.gz"
expect_exit 0 "train --init-from" "$bin" train --init-from "$tmp/full.m" --input "$tmp/new.gz" --output "$tmp/grown.bin" --min-count 1 --epochs 1 --threads 1 --quiet
[ "$(head -1 "$tmp/grown.bin")" = "31 16" ] || fail "--init-from: wanted 28 old + 3 new words of dimension 16: $(head -1 "$tmp/grown.bin")"
expect_exit 2 "--init-from with another --dim" "$bin" train --init-from "$tmp/full.m" --input "$tmp/new.gz" --output "$tmp/x.bin" --dim 32
grep -q "has dimension 16" "$tmp/err" || fail "$(head -c 300 "$tmp/err")"
rm -f "$tmp"/full.* "$tmp"/half.* "$tmp"/resumed.bin "$tmp"/grown.bin "$tmp"/new.gz "$tmp"/other.gz
# A .gz output name compresses the same bytes (what gensim and zcat read).
expect_exit 0 "train to .bin.gz" "$bin" train --input "$tmp/corpus.gz" --output "$tmp/a.bin.gz" --threads 1 --seed 7 --min-count 1 --dim 16 --epochs 2 --quiet
gzip -dc "$tmp/a.bin.gz" | cmp -s - "$tmp/a.bin" || fail "a.bin.gz does not decompress to a.bin"
# Standard input and the text format; the progress report ends with a summary.
expect_exit 0 "train from stdin to text" bash -c "'$bin' train --input - --output '$tmp/c.txt' --min-count 1 --dim 8 --epochs 1 < '$tmp/corpus.txt'"
grep -q "words/s" "$tmp/err" || fail "train prints no final throughput"
[ "$(wc -l < "$tmp/c.txt")" -eq 29 ] || fail "text vectors do not have 1+28 lines"
expect_exit 0 "train --quiet" "$bin" train --input "$tmp/corpus.gz" --output "$tmp/q.vec" --min-count 1 --dim 8 --epochs 1 --quiet
[ ! -s "$tmp/err" ] || fail "--quiet still printed: $(head -c 200 "$tmp/err")"
# The vocabulary command and --read-vocab.
expect_exit 0 "vocab" "$bin" vocab --input "$tmp/corpus.gz" --output "$tmp/vocab.txt" --min-count 1
head -1 "$tmp/vocab.txt" | grep -qx "the 1800" || fail "vocab's first row is not 'the 1800'"
expect_exit 0 "train --read-vocab" "$bin" train --input "$tmp/corpus.gz" --read-vocab "$tmp/vocab.txt" --output "$tmp/r.bin" --min-count 1 --dim 8 --epochs 1

# n-gram baselines and the next-word benchmark.
expect_exit 1 "ngram-train on a missing file" "$bin" ngram-train --train "$tmp/missing.txt" --out "$tmp/m.bin"
[ ! -e "$tmp/m.bin" ] || fail "a failed ngram-train left $tmp/m.bin"
expect_exit 0 "ngram-train" "$bin" ngram-train --train "$tmp/corpus.gz" --order 3 --vocab-size 20 --out "$tmp/kn3.bin" --quiet
expect_exit 0 "lm-bench" "$bin" lm-bench --model "$tmp/kn3.bin" --text "$tmp/corpus.txt" --json --quiet
grep -q '"perplexity"' "$tmp/out" || fail "lm-bench --json prints no perplexity"
expect_exit 1 "lm-bench on a foreign file" "$bin" lm-bench --model "$tmp/corpus.txt" --text "$tmp/corpus.txt"
# Bias probes: a missing vector file is an error (1), missing required options a usage error (2).
expect_exit 1 "bias weat on a missing file" "$bin" bias weat "$tmp/missing.bin" --tests "$tmp/corpus.txt"
expect_exit 2 "bias weat without --tests" "$bin" bias weat "$tmp/a.bin"
expect_exit 2 "bias with an unknown probe" "$bin" bias nope


# Untrusted sizes and empty input: exit 1 (never a signal) with an error naming the file.
printf '999999999999 100\nthe 1 2\n' > "$tmp/huge.txt"
for args in "neighbors $tmp/huge.txt the" "analogy $tmp/huge.txt a b c" \
            "lm-train --train $tmp/corpus.gz --out $tmp/e.lm --steps 2 --embeddings $tmp/huge.txt"; do
  expect_exit 1 "${args%% *} on a vector file whose header promises 10^12 rows" "$bin" $args
  grep -q "error: .*huge.txt.*the header says 999999999999 rows of 100" "$tmp/err" ||
    fail "${args%% *}: the header error does not name the file and the header: $(head -c 300 "$tmp/err")"
done
: > "$tmp/empty.txt"
for args in "train --input $tmp/empty.txt --output $tmp/e.bin" "vocab --input $tmp/empty.txt" \
            "lm-train --train $tmp/empty.txt --out $tmp/e.lm --steps 2" \
            "ngram-train --train $tmp/empty.txt --out $tmp/e.ngram"; do
  expect_exit 1 "${args%% *} on an empty corpus" "$bin" $args
  grep -q "error: .*empty.txt: nothing to train on: .*0 words read" "$tmp/err" ||
    fail "${args%% *}: the empty-corpus error does not name the file: $(head -c 300 "$tmp/err")"
done
expect_exit 1 "train with every word below --min-count" "$bin" train --input "$tmp/corpus.gz" --output "$tmp/e.bin" --min-count 100000
grep -q "error: .*corpus.gz: nothing to train on: 10500 words read, 28 distinct, the most frequent seen 1800 times, so none reaches --min-count 100000; lower --min-count to 1800" "$tmp/err" ||
  fail "the below-min-count error does not say what was counted: $(head -c 300 "$tmp/err")"
for f in e.bin e.lm e.ngram; do [ ! -e "$tmp/$f" ] || fail "a failed run left $f"; done

if [ "$failures" -eq 0 ]; then echo "cli smoke: all checks passed"; exit 0; fi
echo "cli smoke: $failures check(s) failed"
exit 1
