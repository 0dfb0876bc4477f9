#!/usr/bin/env bash
# Usage: input_kind_test.sh path/to/wordspace
#
# Issue 13's wrong-kind table: every input slot of every command is handed every kind of file
# wordspace reads or meets (corpora, word2vec text and binary, GloVe, gzipped vectors, a
# vocabulary, a checkpoint, an n-gram model, an index file, binary data, and foreign files: a
# pickle, .npy, zip, ELF, bzip2, xz, zstd, UTF-16, fastText .bin, a FAISS index). Each kind the
# slot does not take must give exit 1 and `error: <file>: this is <its kind>, ...` on stderr;
# each kind it takes must not be refused by kind. No output may hold raw or non-printable
# bytes, and no input may change. Then standard input and pipes, and --force.
set -u
bin=$1
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"
cases=0

# --- Fixtures, made here ------------------------------------------------------------------
in=$tmp/in
out=$tmp/out
mkdir "$in" "$out"
for i in $(seq 1 100); do
  echo "the king and the queen rule the land with the royal court"
  echo "a man and a woman walk with a cat and a dog to the garden"
done > "$in/corpus.txt"
gzip -c "$in/corpus.txt" > "$in/corpus.gz"
quiet=(--quiet)
"$bin" train --input "$in/corpus.txt" --output "$in/v.bin" --min-count 1 --dim 8 --epochs 1 \
  --threads 1 "${quiet[@]}" 2>/dev/null || { echo "FAIL: cannot train the vectors"; exit 1; }
"$bin" train --input "$in/corpus.txt" --output "$in/v.txt" --min-count 1 --dim 8 --epochs 1 \
  --threads 1 "${quiet[@]}" 2>/dev/null || { echo "FAIL: cannot train the text vectors"; exit 1; }
tail -n +2 "$in/v.txt" > "$in/v.glove"
gzip -c "$in/v.bin" > "$in/v.bin.gz"
"$bin" vocab --input "$in/corpus.txt" --output "$in/vocab.txt" --min-count 1 "${quiet[@]}"
"$bin" lm-train --train "$in/corpus.txt" --out "$in/m.lm" --steps 2 --d-model 16 --layers 1 \
  --heads 2 --context 8 --batch 2 --threads 1 "${quiet[@]}" 2>/dev/null ||
  { echo "FAIL: cannot train the checkpoint"; exit 1; }
"$bin" ngram-train --train "$in/corpus.txt" --order 2 --out "$in/kn.bin" "${quiet[@]}" 2>/dev/null ||
  { echo "FAIL: cannot train the n-gram model"; exit 1; }
"$bin" neighbors "$in/v.bin" king --index HNSW32 --index-file "$in/v.index" "${quiet[@]}" \
  >/dev/null 2>&1 || { echo "FAIL: cannot build the index file"; exit 1; }
noise() { head -c "$1" /dev/urandom; }
noise 3000 > "$in/random.bin"
{ printf '\x80\x04\x95'; noise 300; } > "$in/model.pickle"
{ printf '\x93NUMPY\x01\x00'; noise 300; } > "$in/array.npy"
{ printf 'PK\x03\x04'; noise 300; } > "$in/archive.zip"
head -c 4096 "$bin" > "$in/program.elf"
{ printf 'BZh91AY&SY'; noise 300; } > "$in/corpus.bz2"
{ printf '\xfd7zXZ\x00'; noise 300; } > "$in/corpus.xz"
{ printf '\x28\xb5\x2f\xfd'; noise 300; } > "$in/corpus.zst"
{ printf '\xff\xfe'; head -5 "$in/corpus.txt" | sed 's/./&\x00/g'; } > "$in/utf16.txt"
{ printf '\xba\x16\x4f\x2f\x0c\x00\x00\x00'; noise 300; } > "$in/fasttext.bin"
{ printf 'IxFI\x08\x00\x00\x00'; noise 300; } > "$in/raw.faiss"
printf ': royal\nking queen man woman\n' > "$in/questions.txt"
printf 'king\tqueen\t8\ncat\tdog\t7\nman\twoman\t8\n' > "$in/pairs.tsv"
printf 't1\tX\tx\tking\nt1\tY\ty\tqueen\nt1\tA\ta\tman\nt1\tB\tb\twoman\n' > "$in/weat.tsv"
printf 'man\twoman\n' > "$in/equalize.tsv"
printf 'king\nqueen\n' > "$in/specific.txt"
sums_before=$(cd "$in" && sha256sum ./* | sort)

# Each fixture and the words its refusal must use for it.
declare -A kind=(
  [corpus.txt]="text"
  [corpus.gz]="text (gzip-compressed)"
  [v.bin]="a word-vector file (word2vec binary)"
  [v.txt]="a word-vector file (word2vec text)"
  [v.glove]="a word-vector file (GloVe text)"
  [v.bin.gz]="a word-vector file (word2vec binary, gzip-compressed)"
  [vocab.txt]="a vocabulary file"
  [m.lm]="a language-model checkpoint"
  [kn.bin]="an n-gram model"
  [v.index]="a wordspace index file"
  [random.bin]="binary data of no kind wordspace knows"
  [model.pickle]="a Python pickle"
  [array.npy]="a NumPy array"
  [archive.zip]="a zip archive"
  [program.elf]="an ELF program or library"
  [corpus.bz2]="bzip2-compressed data"
  [corpus.xz]="xz-compressed data"
  [corpus.zst]="zstd-compressed data"
  [utf16.txt]="UTF-16 text"
  [fasttext.bin]="a fastText model"
  [raw.faiss]="a FAISS index"
)
# The fixtures each role takes.
declare -A takes=(
  [corpus]="corpus.txt corpus.gz"
  [vectors]="v.bin v.txt v.glove v.bin.gz fasttext.bin"
  [vocabulary]="vocab.txt corpus.txt corpus.gz"
  [wordlist]="corpus.txt corpus.gz vocab.txt v.glove"
  [checkpoint]="m.lm"
  [model]="m.lm kn.bin"
  [index]="v.index random.bin"
)

# Fails when a file holds bytes that are not printable UTF-8 (tab and newline allowed).
check_printable() {
  local what=$1 file=$2
  if ! iconv -f UTF-8 -t UTF-8 "$file" >/dev/null 2>&1 ||
     LC_ALL=C grep -aq $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' "$file" ||
     [ "$(tr -d '\000' < "$file" | wc -c)" -ne "$(wc -c < "$file")" ]; then
    fail "$what: raw bytes reached the terminal: $(head -c 200 "$file" | od -c | head -3)"
  fi
}

# slot ROLE "label" command... with @ where the file goes.
slot() {
  local role=$1 label=$2; shift 2
  local name path args a
  for name in "${!kind[@]}"; do
    path=$in/$name
    args=()
    for a in "$@"; do [ "$a" = @ ] && args+=("$path") || args+=("$a"); done
    cases=$((cases + 1))
    "$bin" "${args[@]}" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
    local got=$?
    check_printable "$label $name (stdout)" "$tmp/stdout"
    check_printable "$label $name (stderr)" "$tmp/stderr"
    if [[ " ${takes[$role]} " == *" $name "* ]]; then
      if grep -q "^error: $path: this is " "$tmp/stderr"; then
        fail "$label refused $name, which it takes: $(head -1 "$tmp/stderr")"
      fi
    else
      if [ "$got" -ne 1 ]; then
        fail "$label $name: exit $got, wanted 1: $(head -c 200 "$tmp/stderr")"
      elif ! grep -qF "error: $path: this is ${kind[$name]}" "$tmp/stderr"; then
        fail "$label $name: wanted 'error: $path: this is ${kind[$name]}', got: $(head -c 300 "$tmp/stderr")"
      fi
    fi
    rm -rf "${out:?}"/*
  done
}

C=$in/corpus.txt
V=$in/v.bin
lm=(--d-model 16 --layers 1 --heads 2 --context 8 --batch 2 --steps 1 --threads 1 --quiet)
tr=(--min-count 1 --dim 8 --epochs 1 --threads 1 --quiet)
slot corpus "train --input" train --input @ --output "$out/o.bin" "${tr[@]}"
slot vocabulary "train --read-vocab" train --input "$C" --read-vocab @ --output "$out/o.bin" "${tr[@]}"
slot corpus "vocab --input" vocab --input @ --output "$out/vocab.txt" --quiet
slot corpus "lm-train --train" lm-train --train @ --out "$out/m.lm" "${lm[@]}"
slot corpus "lm-train --valid" lm-train --train "$C" --valid @ --out "$out/m.lm" "${lm[@]}"
slot vectors "lm-train --embeddings" lm-train --train "$C" --embeddings @ --out "$out/m.lm" "${lm[@]}"
slot checkpoint "lm-train --resume" lm-train --train "$C" --resume @ --out "$out/m.lm" --steps 3 --quiet
slot vocabulary "lm-train --read-vocab" lm-train --train "$C" --read-vocab @ --out "$out/m.lm" "${lm[@]}"
slot corpus "ngram-train --train" ngram-train --train @ --order 2 --out "$out/kn.bin" --quiet
slot vocabulary "ngram-train --vocab" ngram-train --train "$C" --vocab @ --order 2 --out "$out/kn.bin" --quiet
slot vectors "ngram-train --vectors" ngram-train --train "$C" --vectors @ --order 2 --out "$out/kn.bin" --quiet
slot model "lm-bench --model" lm-bench --model @ --text "$C" --quiet
slot corpus "lm-bench --text" lm-bench --model "$in/kn.bin" --text @ --quiet
slot checkpoint "lm-generate --model" lm-generate --model @ --prompt "the king" --length 2
slot vectors "neighbors" neighbors @ king --quiet
slot index "neighbors --index-file" neighbors "$V" king --index HNSW32 --index-file @ --quiet
slot vectors "analogy" analogy @ man king woman --quiet
slot vectors "eval-analogy VECTORS" eval-analogy @ "$in/questions.txt" --quiet
slot wordlist "eval-analogy QUESTIONS" eval-analogy "$V" @ --quiet
slot vectors "eval-similarity VECTORS" eval-similarity @ "$in/pairs.tsv"
slot wordlist "eval-similarity PAIRS" eval-similarity "$V" @
slot vectors "map" map @ king queen man woman
slot vectors "bias weat VECTORS" bias weat @ --tests "$in/weat.tsv" --permutations 10
slot wordlist "bias weat --tests" bias weat "$V" --tests @ --permutations 10
slot vectors "bias direction VECTORS" bias direction @ --pair man:woman
slot wordlist "bias direction --pairs" bias direction "$V" --pairs @
slot wordlist "bias direction --words" bias direction "$V" --pair man:woman --words @
slot vectors "bias debias VECTORS" bias debias @ --pair man:woman --equalize "$in/equalize.tsv" --specific "$in/specific.txt" --out "$out/d.bin"
slot wordlist "bias debias --equalize" bias debias "$V" --pair man:woman --equalize @ --specific "$in/specific.txt" --out "$out/d.bin"
slot wordlist "bias debias --specific" bias debias "$V" --pair man:woman --equalize "$in/equalize.tsv" --specific @ --out "$out/d.bin"
slot vectors "bias analogy VECTORS" bias analogy @ --word king
slot wordlist "bias analogy --words" bias analogy "$V" --words @
slot checkpoint "inspect heads MODEL" inspect heads @
slot corpus "inspect heads --heldout" inspect heads "$in/m.lm" --heldout @
slot checkpoint "inspect lens MODEL" inspect lens @ --text "the king"
slot corpus "inspect senses --corpus" inspect senses "$in/m.lm" --word king --sense a=queen --sense b=court --corpus @
slot vectors "inspect senses --vectors" inspect senses "$in/m.lm" --word king --sense a=queen --sense b=court --corpus "$C" --vectors @

# --- Standard input and pipes: not sniffed up front (that would consume them); the corpus
# reader checks the buffer it peeks at, then reads it whole. ---------------------------------
run() {  # run CODE "what" command...
  local want=$1 what=$2; shift 2
  cases=$((cases + 1))
  "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local got=$?
  check_printable "$what" "$tmp/stderr"
  [ "$got" -eq "$want" ] || fail "$what: exit $got, wanted $want: $(head -c 300 "$tmp/stderr")"
}
run 1 "train --input - on vectors" "$bin" train --input - --output "$out/o.bin" "${tr[@]}" < "$V"
grep -qF "error: -: this is a word-vector file (word2vec binary), not a corpus" "$tmp/stderr" ||
  fail "stdin vectors: $(head -1 "$tmp/stderr")"
run 1 "vocab --input - on a gzipped checkpoint" "$bin" vocab --input - --quiet < <(gzip -c "$in/m.lm")
grep -qF "error: -: this is a language-model checkpoint (lm-train --out, gzip-compressed)" \
  "$tmp/stderr" || fail "stdin checkpoint: $(head -1 "$tmp/stderr")"
run 0 "vocab --input - on a corpus reads it whole" "$bin" vocab --input - --min-count 1 --quiet < "$C"
[ "$(awk '$1 == "the" {print $2}' "$tmp/stdout")" = 500 ] ||
  fail "vocab from stdin lost words: $(head -2 "$tmp/stdout")"
run 0 "vocab --input on a pipe reads it whole" "$bin" vocab --input <(cat "$C") --min-count 1 --quiet
[ "$(awk '$1 == "the" {print $2}' "$tmp/stdout")" = 500 ] ||
  fail "vocab from a pipe lost words: $(head -2 "$tmp/stdout")"

# --- --force reads what does not look like text, and only a corpus ------------------------
run 0 "train --force on binary data" "$bin" train --input "$in/random.bin" --force --output "$out/o.bin" "${tr[@]}"
rm -rf "${out:?}"/*
run 0 "vocab --force on stdin vectors" "$bin" vocab --input - --force --min-count 1 --quiet < "$in/v.txt"
run 0 "lm-bench --force on a vector file as text" "$bin" lm-bench --model "$in/kn.bin" --text "$in/v.txt" --force --quiet
run 1 "lm-train --force does not take vectors as --resume" "$bin" lm-train --train "$C" --resume "$V" --force --out "$out/m.lm" --quiet
grep -qF "this is a word-vector file" "$tmp/stderr" || fail "--force reached --resume: $(head -1 "$tmp/stderr")"
rm -rf "${out:?}"/*

# --- Nothing changed ----------------------------------------------------------------------
sums_after=$(cd "$in" && sha256sum ./* | sort)
[ "$sums_before" = "$sums_after" ] ||
  fail "an input changed: $(diff <(echo "$sums_before") <(echo "$sums_after") | head -4)"
echo "input_kind: $cases cases, $failures failed checks"
[ "$failures" -eq 0 ]
