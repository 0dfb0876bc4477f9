#!/usr/bin/env bash
# Usage: output_path_test.sh path/to/wordspace
# Output paths that are not plain new files: /dev/full and /dev/null, `-` (standard output),
# /dev/stdout, a FIFO, a symlink, and a full file system (a 64 KiB tmpfs in a private mount
# namespace, when this user may make one). Prints one line per failed check; exits 1 if any.
#
# The machine must come out as it went in: /dev/full and /dev/null are checked before and after
# every command that writes to them, and a replaced node is put back with mknod (and the test
# fails loudly). The tmpfs lives in a mount namespace of its own, so it vanishes with the
# process even if the test is killed.
set -u
bin=$1
tmp=$(mktemp -d)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# device_ok PATH MAJOR MINOR: PATH is that character device.
device_ok() { [ -c "$1" ] && [ ! -L "$1" ] && [ "$(stat -c '%t:%T' "$1")" = "$(printf '%x:%x' "$2" "$3")" ]; }
# restore_device PATH MAJOR MINOR: puts the node back if it is not that device any more.
restore_device() {
  device_ok "$@" && return 0
  echo "FAIL: $1 was replaced (now: $(ls -ld "$1" 2>&1)); restoring it with mknod" >&2
  rm -f "$1" && mknod -m 666 "$1" c "$2" "$3" && chmod 666 "$1"
  return 1
}
full_ok=0 null_ok=0
device_ok /dev/full 1 7 && full_ok=1
device_ok /dev/null 1 3 && null_ok=1
cleanup() {
  local rc=$?
  if [ "$full_ok" = 1 ] && ! restore_device /dev/full 1 7; then rc=1; fi
  if [ "$null_ok" = 1 ] && ! restore_device /dev/null 1 3; then rc=1; fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
# check_device PATH MAJOR MINOR WHAT: fails (and restores) when WHAT replaced the device.
check_device() { restore_device "$1" "$2" "$3" || fail "$4 replaced $1"; }

expect_exit() {  # expect_exit CODE description command...
  local want=$1 what=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, wanted $want ($(head -c 300 "$tmp/err"))"
}

for i in $(seq 1 200); do
  echo "the king and the queen rule the land with the royal court"
  echo "a cat and a dog play in the garden of the small house"
done > "$tmp/corpus.txt"
train=("$bin" train --input "$tmp/corpus.txt" --threads 1 --seed 5 --min-count 1 --dim 8 --epochs 1)

# References: the same runs into plain new files.
expect_exit 0 "train to a file" "${train[@]}" --output "$tmp/ref.txt" --save-vocab "$tmp/ref.vocab" --quiet
expect_exit 0 "train to a .bin file" "${train[@]}" --output "$tmp/ref.bin" --quiet

# /dev/full: an error naming it, exit 1, and the device stays a device.
if [ "$full_ok" = 1 ]; then
  expect_exit 1 "train --output /dev/full" "${train[@]}" --output /dev/full --quiet
  grep -q "error: /dev/full: write failed (No space left on device)" "$tmp/err" ||
    fail "train --output /dev/full: no error naming /dev/full: $(head -c 300 "$tmp/err")"
  check_device /dev/full 1 7 "train --output /dev/full"
  expect_exit 1 "train --save-vocab /dev/full" "${train[@]}" --output "$tmp/v.txt" --save-vocab /dev/full --quiet
  grep -q "error: /dev/full: write failed" "$tmp/err" || fail "--save-vocab /dev/full: $(head -c 300 "$tmp/err")"
  check_device /dev/full 1 7 "train --save-vocab /dev/full"
  expect_exit 1 "vocab > /dev/full" bash -c "'$bin' vocab --input '$tmp/corpus.txt' --quiet > /dev/full"
  grep -q "error: standard output: write failed" "$tmp/err" || fail "vocab > /dev/full: $(head -c 300 "$tmp/err")"
  check_device /dev/full 1 7 "vocab > /dev/full"
  expect_exit 1 "lm-train --out /dev/full" "$bin" lm-train --train "$tmp/corpus.txt" --out /dev/full --steps 2 --quiet
  grep -q "error: /dev/full: write failed" "$tmp/err" || fail "lm-train --out /dev/full: $(head -c 300 "$tmp/err")"
  check_device /dev/full 1 7 "lm-train --out /dev/full"
else
  echo "SKIP: /dev/full is not the character device 1:7 here; its checks were not run"
fi

# /dev/null: exit 0, and it stays a device.
if [ "$null_ok" = 1 ]; then
  expect_exit 0 "train --output /dev/null" "${train[@]}" --output /dev/null --save-vocab /dev/null --quiet
  check_device /dev/null 1 3 "train --output /dev/null"
  expect_exit 0 "ngram-train --out /dev/null" "$bin" ngram-train --train "$tmp/corpus.txt" --out /dev/null --quiet
  check_device /dev/null 1 3 "ngram-train --out /dev/null"
  expect_exit 0 "lm-train --out /dev/null" "$bin" lm-train --train "$tmp/corpus.txt" --out /dev/null --steps 2 --quiet
  check_device /dev/null 1 3 "lm-train --out /dev/null"
else
  echo "SKIP: /dev/null is not the character device 1:3 here; its checks were not run"
fi

# `-`: the vectors on standard output, byte for byte those of the file run; the progress
# report (no --quiet) goes to stderr only.
"${train[@]}" --output - >"$tmp/stdout.txt" 2>"$tmp/err" || fail "train --output -: exit $? ($(head -c 300 "$tmp/err"))"
cmp -s "$tmp/stdout.txt" "$tmp/ref.txt" || fail "train --output - differs from the file run"
grep -q "trained on" "$tmp/err" || fail "train --output -: no progress report on stderr"
"${train[@]}" --output - --format binary >"$tmp/stdout.bin" 2>"$tmp/err" || fail "train --output - --format binary: exit $?"
cmp -s "$tmp/stdout.bin" "$tmp/ref.bin" || fail "train --output - --format binary differs from the .bin run"
"${train[@]}" --output "$tmp/v.txt" --save-vocab - --quiet >"$tmp/stdout.vocab" 2>"$tmp/err" || fail "train --save-vocab -: exit $?"
cmp -s "$tmp/stdout.vocab" "$tmp/ref.vocab" || fail "train --save-vocab - differs from the file run"
expect_exit 2 "train --output - --save-vocab -" "${train[@]}" --output - --save-vocab -
expect_exit 0 "vocab --output -" "$bin" vocab --input "$tmp/corpus.txt" --min-count 1 --output -
cmp -s "$tmp/out" "$tmp/ref.vocab" || fail "vocab --output - differs from train --save-vocab"
expect_exit 0 "vocab (default output)" "$bin" vocab --input "$tmp/corpus.txt" --min-count 1
cmp -s "$tmp/out" "$tmp/ref.vocab" || fail "vocab's default output differs from train --save-vocab"
# A checkpoint or an index cache cannot live on standard output.
expect_exit 2 "lm-train --out -" "$bin" lm-train --train "$tmp/corpus.txt" --out - --steps 2
[ ! -s "$tmp/out" ] || fail "lm-train --out - wrote to stdout"
expect_exit 1 "neighbors --index-file -" "$bin" neighbors "$tmp/ref.txt" king --index HNSW32 --index-file -
grep -q "index-file -" "$tmp/err" || fail "neighbors --index-file -: $(head -c 300 "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "neighbors --index-file - wrote to stdout"
# A .gz name still compresses; `-` does not.
expect_exit 0 "vocab --output v.gz" "$bin" vocab --input "$tmp/corpus.txt" --min-count 1 --output "$tmp/v.gz" --quiet
gzip -dc "$tmp/v.gz" | cmp -s - "$tmp/ref.vocab" || fail "vocab --output v.gz does not decompress to the vocabulary"

# bias debias --out -: the vectors on stdout, the report on stderr.
printf 'king\tqueen\n' > "$tmp/pairs.tsv"
printf 'king\tqueen\n' > "$tmp/equalize.tsv"
printf 'king\nqueen\n' > "$tmp/specific.txt"
debias=("$bin" bias debias "$tmp/ref.txt" --pairs "$tmp/pairs.tsv" --equalize "$tmp/equalize.tsv" --specific "$tmp/specific.txt")
expect_exit 0 "bias debias --out file" "${debias[@]}" --out "$tmp/debiased.txt"
expect_exit 0 "bias debias --out -" "${debias[@]}" --out -
cmp -s "$tmp/out" "$tmp/debiased.txt" || fail "bias debias --out - differs from --out FILE"
grep -q "hard debias of" "$tmp/err" || fail "bias debias --out -: the report is not on stderr"

# /dev/stdout names the file the shell opened: `>>` appends to it, nothing replaces it.
echo "header" > "$tmp/log.txt"
inode=$(stat -c %i "$tmp/log.txt")
"${train[@]}" --output /dev/stdout --quiet >>"$tmp/log.txt" 2>"$tmp/err" || fail "train --output /dev/stdout: exit $? ($(head -c 300 "$tmp/err"))"
{ echo "header"; cat "$tmp/ref.txt"; } | cmp -s - "$tmp/log.txt" || fail "train --output /dev/stdout >> log did not append the vectors"
[ "$(stat -c %i "$tmp/log.txt")" = "$inode" ] || fail "train --output /dev/stdout replaced the file behind it"
"${train[@]}" --output /dev/stdout --quiet 2>"$tmp/err" | cmp -s - "$tmp/ref.txt" || fail "train --output /dev/stdout | cmp: differs"

# A FIFO, read by cat: written through, still a FIFO afterwards. Our own read-write end (fd 3)
# keeps either side from waiting for the other, so this cannot hang even if train failed.
mkfifo "$tmp/fifo"
exec 3<>"$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from_fifo" 3>&- &
cat_pid=$!
expect_exit 0 "train --output FIFO" "${train[@]}" --output "$tmp/fifo" --quiet 3>&-
exec 3>&-
wait "$cat_pid"
cmp -s "$tmp/from_fifo" "$tmp/ref.txt" || fail "cat of the FIFO differs from the file run"
[ -p "$tmp/fifo" ] || fail "train replaced the FIFO: $(ls -l "$tmp/fifo")"

# A symlink: followed, the file it points to replaced, the link kept. Also a dangling one.
mkdir "$tmp/runs"
echo "old" > "$tmp/runs/v.txt"
ln -s runs/v.txt "$tmp/link.txt"
expect_exit 0 "train --output LINK" "${train[@]}" --output "$tmp/link.txt" --quiet
[ -L "$tmp/link.txt" ] || fail "train replaced the symlink by a file"
[ "$(readlink "$tmp/link.txt")" = "runs/v.txt" ] || fail "the symlink now points to $(readlink "$tmp/link.txt")"
cmp -s "$tmp/runs/v.txt" "$tmp/ref.txt" || fail "the link's target does not hold the vectors"
ln -s runs/new.vocab "$tmp/dangling.vocab"
expect_exit 0 "vocab --output DANGLING-LINK" "$bin" vocab --input "$tmp/corpus.txt" --min-count 1 --output "$tmp/dangling.vocab" --quiet
[ -L "$tmp/dangling.vocab" ] && cmp -s "$tmp/runs/new.vocab" "$tmp/ref.vocab" || fail "a dangling link's target was not created"
[ -z "$(ls "$tmp/runs" | grep -v -x -E 'v.txt|new.vocab')" ] || fail "stray files beside the link targets: $(ls "$tmp/runs")"

# A full file system: a 64 KiB tmpfs in a private mount namespace (unshare -m), holding an old
# file; a bigger output onto it fails naming the path, and the old file and the folder are as
# they were.
mkdir "$tmp/small"
cat > "$tmp/full_disk.sh" <<'EOF'
set -u
bin=$1 dir=$2 corpus=$3
mount -t tmpfs -o size=64k tmpfs "$dir" 2>/dev/null || exit 77
echo "old vectors, to be kept" > "$dir/v.txt"
cp "$dir/v.txt" "$dir/../old_copy"
# dim 600 for 28 words is about 170 KB of text, more than the file system holds.
"$bin" train --input "$corpus" --output "$dir/v.txt" --threads 1 --min-count 1 --dim 600 --epochs 1 --quiet 2>"$dir/../full_err"
rc=$?
[ "$rc" -eq 1 ] || echo "FAIL: train onto a full tmpfs: exit $rc, wanted 1 ($(head -c 300 "$dir/../full_err"))"
grep -q "$dir/v.txt: write failed (No space left on device)" "$dir/../full_err" ||
  echo "FAIL: no error naming $dir/v.txt: $(head -c 300 "$dir/../full_err")"
cmp -s "$dir/v.txt" "$dir/../old_copy" || echo "FAIL: the old file on the full tmpfs changed"
[ "$(ls -A "$dir")" = "v.txt" ] || echo "FAIL: files left on the full tmpfs: $(ls -A "$dir")"
exit 0
EOF
if unshare -m true 2>/dev/null; then
  unshare -m bash "$tmp/full_disk.sh" "$bin" "$tmp/small" "$tmp/corpus.txt" >"$tmp/full_out" 2>&1
  rc=$?
  if [ "$rc" -eq 77 ]; then
    echo "SKIP: mounting a tmpfs is not allowed here; the full-disk check was not run"
  else
    [ "$rc" -eq 0 ] || fail "the full-disk script exited $rc: $(head -c 300 "$tmp/full_out")"
    while read -r line; do fail "${line#FAIL: }"; done < <(grep '^FAIL: ' "$tmp/full_out")
  fi
else
  echo "SKIP: unshare -m is not allowed here; the full-disk check was not run"
fi
# Whatever happened in the namespace, nothing is mounted here.
[ -z "$(ls -A "$tmp/small")" ] || fail "the tmpfs or its files are visible outside the namespace"

[ "$failures" -eq 0 ] && echo "output_path: all checks passed"
[ "$failures" -eq 0 ]
