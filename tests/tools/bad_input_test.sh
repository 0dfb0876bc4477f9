#!/usr/bin/env bash
# Usage: bad_input_test.sh path/to/wordspace [--table]
#
# Feeds every command the broken inputs a user can hand it (missing, empty, truncated, corrupt,
# lying headers, the wrong kind of file, impossible counts) and checks what issue 12 promises
# for each: the exit code is the expected 1 or 2 (never 0, never a signal), the first line of
# stderr is `error: ...` and names the file (or the option) at fault, no partial or temporary
# file is left, and no input file is changed. With --table it also prints a Markdown table of
# every case: exit code and the error line of stderr.
set -u
bin=$1
print_table=${2:-}
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
cases=0
table=""

# --- Inputs, made here --------------------------------------------------------------------
in=$tmp/in
mkdir "$in"
for i in $(seq 1 200); do
  echo "the king and the queen rule the land with the royal court"
  echo "a cat and a dog play in the garden of the small house"
  echo "man woman he she doctor nurse programmer homemaker"
done > "$in/corpus.txt"
gzip -c "$in/corpus.txt" > "$in/corpus.gz"
: > "$in/empty.txt"
printf 'alpha beta gamma\ndelta epsilon\n' > "$in/rare.txt"   # every word seen once
head -c $(($(stat -c %s "$in/corpus.gz") / 2)) "$in/corpus.gz" > "$in/truncated.gz"
printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-not-deflate' > "$in/corrupt.gz"
"$bin" train --input "$in/corpus.gz" --output "$in/v.bin" --min-count 1 --dim 8 --epochs 1 \
  --threads 1 --quiet 2>/dev/null || { echo "FAIL: cannot train the fixture vectors"; exit 1; }
"$bin" train --input "$in/corpus.gz" --output "$in/v.txt" --min-count 1 --dim 8 --epochs 1 \
  --threads 1 --quiet 2>/dev/null || { echo "FAIL: cannot train the text fixture"; exit 1; }
"$bin" lm-train --train "$in/corpus.gz" --out "$in/m.lm" --steps 2 --d-model 16 --layers 1 \
  --heads 2 --context 8 --batch 2 --threads 1 --quiet 2>/dev/null ||
  { echo "FAIL: cannot train the fixture checkpoint"; exit 1; }
"$bin" ngram-train --train "$in/corpus.gz" --order 3 --out "$in/kn.bin" --quiet 2>/dev/null ||
  { echo "FAIL: cannot train the fixture n-gram model"; exit 1; }
"$bin" vocab --input "$in/corpus.gz" --output "$in/vocab.txt" --min-count 1 --quiet 2>/dev/null

# Broken vector files.
printf '999999999999 100\nthe 0.1 0.2\n' > "$in/huge_rows.txt"
printf '3 99999999999\nthe 0.1 0.2\n' > "$in/huge_dim.txt"
printf '3 -4\nthe 0.1 0.2\n' > "$in/negative_dim.txt"
printf '3 0\n' > "$in/zero_dim.txt"
{ printf '999999999999 100\n'; head -c 400 /dev/zero; } > "$in/huge_rows.bin"
head -c $(($(stat -c %s "$in/v.bin") / 2)) "$in/v.bin" > "$in/truncated.bin"
{ head -1 "$in/v.txt"; sed -n 2,4p "$in/v.txt"; } > "$in/short.txt"   # header promises more
{ head -1 "$in/v.txt"; echo "the 0.1 0.2"; } > "$in/few_numbers.txt"
{ head -1 "$in/v.txt"; echo "the 0.1 0.2 abc 0.4 0.5 0.6 0.7 0.8"; } > "$in/bad_number.txt"
printf 'the 0.1 0.2\ncat 0.3\n' > "$in/ragged.glove"
head -c 2000 /dev/urandom > "$in/random.bin"
printf 'just some words\nno numbers here\n' > "$in/prose.txt"
# Broken evaluation and word-list files.
printf ': capital\nathens greece baghdad\n' > "$in/questions_3.txt"
printf ': royal\nking queen man woman\n' > "$in/questions_ok.txt"
printf 't1\tX\tx\tking\nt1\tY\ty\tqueen\nt1\tA\ta\tman\nt1\tB\tb\twoman\n' > "$in/weat_ok.tsv"
printf 'man\twoman\n' > "$in/pairs_ok.tsv"
head -c 1000 /dev/urandom > "$in/questions_binary.txt"
printf 'king queen\n' > "$in/pairs_missing.tsv"
printf 'king queen high\n' > "$in/pairs_word.tsv"
printf 't1\tQ\tflowers\tking\n' > "$in/weat_role.tsv"
printf 't1\tX\tflowers\n' > "$in/weat_short.tsv"
printf 'man\n' > "$in/pairs_one.tsv"
printf 'the notanumber\n' > "$in/vocab_bad.txt"
printf 'the 99999999999999999999999\n' > "$in/vocab_huge.txt"
# Broken models.
head -c $(($(stat -c %s "$in/m.lm") / 2)) "$in/m.lm" > "$in/truncated.lm"
cp "$in/m.lm" "$in/flipped.lm"
printf '\xff' | dd of="$in/flipped.lm" bs=1 seek=$(($(stat -c %s "$in/m.lm") / 2)) conv=notrunc 2>/dev/null
head -c 64 "$in/kn.bin" > "$in/truncated_kn.bin"
cp "$in/kn.bin" "$in/flipped_kn.bin"
printf '\xff' | dd of="$in/flipped_kn.bin" bs=1 seek=$(($(stat -c %s "$in/kn.bin") / 2)) conv=notrunc 2>/dev/null
head -c 2000 /dev/urandom > "$in/damaged.faiss"
mkdir "$in/a_folder"

# A broken writer renames its temporary file over a device node given as an output; as root that
# breaks the machine. Check the nodes first, and put back any that a case replaced.
check_devices() {
  local dev
  for dev in "null 1 3" "full 1 7"; do
    set -- $dev
    if [ ! -c "/dev/$1" ] || [ "$(stat -c '%t %T' "/dev/$1")" != "$(printf '%x %x' "$2" "$3")" ]; then
      fail "/dev/$1 is no longer the character device $2,$3: restoring it"
      rm -f "/dev/$1" && mknod -m 666 "/dev/$1" c "$2" "$3"
    fi
  done
}
check_devices
sums_before=$(cd "$in" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
out=$tmp/out   # every output the cases name goes here
mkdir "$out"

# --- The cases ----------------------------------------------------------------------------
# bad CODE NAME "WHAT" command...   CODE: the exit wanted; NAME: what the first stderr line
# must contain (a file or an option).
bad() {
  local want=$1 name=$2 what=$3; shift 3
  cases=$((cases + 1))
  "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
  local got=$?
  local first error
  first=$(grep -a -m1 -v '^\s*$' "$tmp/stderr" | cut -c1-200)
  # A progress line ("reading X") may come before the error; the error line is what must
  # name the file.
  error=$(grep -a -m1 '^error: ' "$tmp/stderr" | cut -c1-200)
  local shown=$first
  [ -n "$error" ] && [ "$error" != "$first" ] && shown="$error (after: $first)"
  table+="| $cases | $what | $got | \`${shown//|/\\|}\` |"$'\n'
  if [ "$got" -ge 128 ]; then
    fail "$what: killed by signal $((got - 128)): $first"
  elif [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, wanted $want: $first"
  fi
  if [ -z "$error" ]; then
    fail "$what: no 'error: ...' line on stderr: $first"
  elif [[ "$error" != *"$name"* ]]; then
    fail "$what: the error does not name '$name': $error"
  fi
  if ! iconv -f UTF-8 -t UTF-8 "$tmp/stderr" >/dev/null 2>&1 ||
     LC_ALL=C grep -aq $'[\x01-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]' "$tmp/stderr"; then
    fail "$what: stderr holds binary bytes (a file's contents echoed into a message?)"
  fi
  local left
  left=$(find "$out" -mindepth 1 | head -3)
  [ -z "$left" ] || fail "$what: left $left"
  rm -rf "${out:?}"/*
}

V=$in/v.bin
# Vector files, through every command that reads one.
bad 1 missing.bin "neighbors: missing vector file" "$bin" neighbors "$in/missing.bin" king
bad 1 empty.txt "neighbors: empty vector file" "$bin" neighbors "$in/empty.txt" king
bad 1 huge_rows.txt "neighbors: text header of 999999999999 rows" "$bin" neighbors "$in/huge_rows.txt" king
bad 1 huge_rows.bin "neighbors: binary header of 999999999999 rows" "$bin" neighbors "$in/huge_rows.bin" king --format binary
bad 1 huge_dim.txt "neighbors: header of 99999999999 dimensions" "$bin" neighbors "$in/huge_dim.txt" king
bad 1 negative_dim.txt "neighbors: negative dimension" "$bin" neighbors "$in/negative_dim.txt" king
bad 1 zero_dim.txt "neighbors: zero dimension" "$bin" neighbors "$in/zero_dim.txt" king
bad 1 truncated.bin "neighbors: binary file cut in half" "$bin" neighbors "$in/truncated.bin" king
bad 1 short.txt "neighbors: text file with fewer rows than its header" "$bin" neighbors "$in/short.txt" king
bad 1 few_numbers.txt "analogy: a row with too few numbers" "$bin" analogy "$in/few_numbers.txt" man king woman
bad 1 bad_number.txt "analogy: a row with a word for a number" "$bin" analogy "$in/bad_number.txt" man king woman
bad 1 ragged.glove "neighbors: GloVe rows of different lengths" "$bin" neighbors "$in/ragged.glove" the --format glove
bad 1 random.bin "neighbors: random bytes" "$bin" neighbors "$in/random.bin" king
bad 1 prose.txt "neighbors: a text that is no vector file" "$bin" neighbors "$in/prose.txt" king
bad 1 m.lm "neighbors: a checkpoint given as vectors" "$bin" neighbors "$in/m.lm" king
bad 1 corrupt.gz "neighbors: a corrupt gzip file" "$bin" neighbors "$in/corrupt.gz" king
bad 1 a_folder "neighbors: a folder given as vectors" "$bin" neighbors "$in/a_folder" king
bad 1 damaged.faiss "neighbors: a damaged saved index" "$bin" neighbors "$V" king --index HNSW32 --index-file "$in/damaged.faiss"
bad 1 NoSuchIndex "neighbors: an unknown FAISS index string" "$bin" neighbors "$V" king --index NoSuchIndex --index-file none
bad 1 huge_rows.txt "eval-analogy: lying vector header" "$bin" eval-analogy "$in/huge_rows.txt" "$in/questions_ok.txt"
bad 1 huge_rows.txt "bias weat: lying vector header" "$bin" bias weat "$in/huge_rows.txt" --tests "$in/weat_ok.tsv"
bad 1 truncated.bin "lm-train: truncated --embeddings" "$bin" lm-train --train "$in/corpus.gz" --embeddings "$in/truncated.bin" --out "$out/m.lm" --steps 2
bad 1 huge_rows.txt "ngram-train: lying --vectors header" "$bin" ngram-train --train "$in/corpus.gz" --vectors "$in/huge_rows.txt" --out "$out/kn.bin"
# Evaluation files.
bad 1 missing.txt "eval-analogy: missing questions" "$bin" eval-analogy "$V" "$in/missing.txt"
bad 1 questions_3.txt "eval-analogy: a question of three words" "$bin" eval-analogy "$V" "$in/questions_3.txt"
bad 1 questions_binary.txt "eval-analogy: random bytes as questions" "$bin" eval-analogy "$V" "$in/questions_binary.txt"
bad 1 missing.tsv "eval-similarity: missing pairs" "$bin" eval-similarity "$V" "$in/missing.tsv"
bad 1 pairs_missing.tsv "eval-similarity: a pair without a score" "$bin" eval-similarity "$V" "$in/pairs_missing.tsv"
bad 1 pairs_word.tsv "eval-similarity: a score that is a word" "$bin" eval-similarity "$V" "$in/pairs_word.tsv"
# Bias word lists.
bad 1 missing.tsv "bias weat: missing tests file" "$bin" bias weat "$V" --tests "$in/missing.tsv"
bad 1 weat_role.tsv "bias weat: an unknown role" "$bin" bias weat "$V" --tests "$in/weat_role.tsv"
bad 1 weat_short.tsv "bias weat: a row of three fields" "$bin" bias weat "$V" --tests "$in/weat_short.tsv"
bad 1 pairs_one.tsv "bias direction: a pair of one word" "$bin" bias direction "$V" --pairs "$in/pairs_one.tsv"
bad 1 missing.txt "bias analogy: missing --words" "$bin" bias analogy "$V" --words "$in/missing.txt"
bad 1 missing.txt "bias debias: missing --specific" "$bin" bias debias "$V" --pair man:woman --equalize "$in/pairs_ok.tsv" --specific "$in/missing.txt" --out "$out/d.bin"
# Corpora.
bad 1 missing.txt "train: missing corpus" "$bin" train --input "$in/missing.txt" --output "$out/v.bin"
bad 1 empty.txt "train: empty corpus" "$bin" train --input "$in/empty.txt" --output "$out/v.bin"
bad 1 rare.txt "train: every word below --min-count" "$bin" train --input "$in/rare.txt" --output "$out/v.bin"
bad 1 truncated.gz "train: truncated gzip corpus" "$bin" train --input "$in/truncated.gz" --output "$out/v.bin" --min-count 1
bad 1 corrupt.gz "train: corrupt gzip corpus" "$bin" train --input "$in/corrupt.gz" --output "$out/v.bin" --min-count 1
bad 1 a_folder "train: a folder as corpus" "$bin" train --input "$in/a_folder" --output "$out/v.bin"
bad 1 vocab_bad.txt "train: --read-vocab count is a word" "$bin" train --input "$in/corpus.gz" --read-vocab "$in/vocab_bad.txt" --output "$out/v.bin"
bad 1 vocab_huge.txt "train: --read-vocab count too large" "$bin" train --input "$in/corpus.gz" --read-vocab "$in/vocab_huge.txt" --output "$out/v.bin"
bad 1 /dev/full "train: --output /dev/full (disk full)" "$bin" train --input "$in/corpus.gz" --output /dev/full --min-count 1 --dim 8 --epochs 1 --quiet
check_devices   # restore at once if that case replaced /dev/full
bad 1 nodir "train: --output in a missing folder" "$bin" train --input "$in/corpus.gz" --output "$out/nodir/v.bin"
bad 1 empty.txt "vocab: empty corpus" "$bin" vocab --input "$in/empty.txt" --output "$out/vocab.txt"
bad 1 rare.txt "vocab: every word below --min-count" "$bin" vocab --input "$in/rare.txt" --output "$out/vocab.txt"
bad 1 empty.txt "lm-train: empty corpus" "$bin" lm-train --train "$in/empty.txt" --out "$out/m.lm" --steps 2
bad 1 empty.txt "ngram-train: empty corpus" "$bin" ngram-train --train "$in/empty.txt" --out "$out/kn.bin"
bad 1 vocab_bad.txt "ngram-train: --vocab count is a word" "$bin" ngram-train --train "$in/corpus.gz" --vocab "$in/vocab_bad.txt" --out "$out/kn.bin"
# Models.
bad 1 missing.lm "lm-generate: missing checkpoint" "$bin" lm-generate --model "$in/missing.lm" --prompt "the king"
bad 1 truncated.lm "lm-generate: truncated checkpoint" "$bin" lm-generate --model "$in/truncated.lm" --prompt "the king"
bad 1 flipped.lm "lm-generate: checkpoint with a flipped byte" "$bin" lm-generate --model "$in/flipped.lm" --prompt "the king"
bad 1 v.bin "lm-generate: vectors given as a checkpoint" "$bin" lm-generate --model "$V" --prompt "the king"
bad 1 truncated.lm "lm-train: --resume from a truncated checkpoint" "$bin" lm-train --train "$in/corpus.gz" --resume "$in/truncated.lm" --out "$out/m.lm"
bad 1 truncated_kn.bin "lm-bench: truncated n-gram model" "$bin" lm-bench --model "$in/truncated_kn.bin" --text "$in/corpus.txt"
bad 1 flipped_kn.bin "lm-bench: n-gram model with a flipped byte" "$bin" lm-bench --model "$in/flipped_kn.bin" --text "$in/corpus.txt"
bad 1 random.bin "lm-bench: random bytes as a model" "$bin" lm-bench --model "$in/random.bin" --text "$in/corpus.txt"
bad 1 missing.txt "lm-bench: missing held-out text" "$bin" lm-bench --model "$in/kn.bin" --text "$in/missing.txt"
bad 1 empty.txt "lm-bench: empty held-out text" "$bin" lm-bench --model "$in/kn.bin" --text "$in/empty.txt"
bad 1 corrupt.gz "lm-bench: corrupt gzip held-out text" "$bin" lm-bench --model "$in/m.lm" --text "$in/corrupt.gz"

# --- Nothing changed ----------------------------------------------------------------------
sums_after=$(cd "$in" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
[ "$sums_before" = "$sums_after" ] || fail "an input file changed: $(diff <(echo "$sums_before") <(echo "$sums_after") | head -4)"
stray=$(find "$in" -name '*.tmp.*' -o -name '*.faiss' ! -name damaged.faiss | head -3)
[ -z "$stray" ] || fail "temporary or index files left beside the inputs: $stray"
check_devices

if [ "$print_table" = "--table" ]; then
  echo "| # | case | exit | error line of stderr (and the progress line before it, if any) |"
  echo "|---|---|---|---|"
  printf '%s' "$table"
fi
echo "bad_input: $((cases - failures < 0 ? 0 : cases)) cases, $failures failed checks"
[ "$failures" -eq 0 ]
