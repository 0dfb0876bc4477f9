#!/usr/bin/env bash
# Usage: readme_examples_test.sh path/to/wordspace path/to/README.md [CORPUS]
# Runs the README's examples as a user runs them from a clone after the two set-up commands
# (issue 13), so the README cannot drift from the code.
#
# Extraction: every fenced block that opens with ```sh (at any indentation) is one example;
# blocks run in README order, each as one bash script with `set -eo pipefail`, all in the same
# folder, so a later block uses the files an earlier one wrote (vectors.bin, train.txt.gz,
# model.lm, ...), but in a fresh shell, so a block copied alone needs no variable of another.
# An example passes when its block exits 0. A new example is therefore run by
# default; one that cannot run here goes in `skips` below, with the reason.
#
# The folder stands in for a clone after `bash scripts/setup.sh && bash scripts/demo.sh`:
# build/wordspace is the binary under test, data/ holds the files data/README.md lists,
# data/brown.txt.gz is where demo.sh puts the Brown corpus, and a copy of scripts/demo.sh then
# trains data/brown.bin from it. That corpus is a tiny one generated here in the Brown
# corpus' form (lowercase [a-z]+ words): every word of the README's examples and of demo.sh,
# the WEAT and Bolukbasi words, the first pairs of each similarity file and the first analogy
# questions, each 12 times, shuffled with a fixed seed, 12 words a line (about 1,200 words,
# 15,000 tokens). CORPUS instead copies that file there (e.g. the real Brown corpus, to check
# the examples at full size; that takes many minutes).
#
# `scales` shrinks the options that would take minutes on a real corpus; each rule must still
# match the README, so the lists cannot go stale. Nothing is written outside a temp folder,
# which is removed at exit.
set -u
bin=$(realpath "$1")
readme=$(realpath "$2")
corpus=${3:-}
repo=$(dirname "$readme")
source "$(dirname "${BASH_SOURCE[0]}")/../testing/cli_test.sh"

# Blocks not run, as "ERE matched against the block's lines|reason" (the ERE holds no `|`).
skips=(
  '^build/wordspace serve |a server runs until Ctrl-C: tests/serve/serve_cli_test.sh starts it on a free port, calls every endpoint and stops it'
  '^bash scripts/setup\.sh|the set-up commands: setup.sh installs packages (root) and builds (minutes), demo.sh fetches its corpus with npm (network), test.sh runs this suite; what demo.sh does after the fetch ran above'
)
# Option rewrites, as "sed expression|reason" (no `|` in the expression), applied to every
# block that is run.
scales=(
  's/--minutes 10 /--steps 4 /|lm-train: a 10-minute budget becomes 4 steps'
  's/--steps 200 --threads 1/--steps 4 --threads 1/|lm-train resume example: 200 steps of the default model on one thread take minutes'
  's/--stop-after 100/--stop-after 2/|the same example, stopped halfway as in the README'
  's/--steps 300 --quiet/--steps 50 --quiet/|the inspect demo: 300 steps give its pictures something to show, 50 run every command'
)

# --- The stand-in for a clone after the set-up commands. ---
work=$tmp/work
mkdir -p "$work/build" "$work/scripts" "$work/data" "$tmp/blocks" "$tmp/tmpdir"
ln -s "$bin" "$work/build/wordspace"
# The Python package sits beside the binary (build/python), when the build made it. The
# sanitizer build makes none (an instrumented module cannot load into Debian's interpreter), so
# there the Python examples are skipped; the normal build runs them.
if [ -d "$(dirname "$bin")/python" ]; then
  ln -s "$(dirname "$bin")/python" "$work/build/python"
else
  skips+=('PYTHONPATH=build/python|this build has no Python module (build/python): the sanitizer build and builds without python3-dev or pybind11-dev make none')
fi
# No example reaches the network: demo.sh would fetch its corpus with npm if it were missing.
mkdir -p "$tmp/path"
printf '#!/bin/sh\necho "npm: not in this test (no network)" >&2\nexit 1\n' > "$tmp/path/npm"
chmod +x "$tmp/path/npm"
export PATH="$tmp/path:$PATH"
cp "$repo/scripts/demo.sh" "$work/scripts/demo.sh"
listed=$(sed -n '/^## Files/,/^## /p' "$repo/data/README.md" | grep -oE '^\| `[^`]+`' | tr -d '|` ')
[ -n "$listed" ] || fail "no files listed in $repo/data/README.md"
for f in $listed; do
  mkdir -p "$work/data/$(dirname "$f")"
  cp "$repo/data/$f" "$work/data/$f" || fail "data/$f is listed in data/README.md but missing"
done

# Split the README into blocks: $tmp/blocks/N.sh, and N.line holding its README line number.
awk -v dir="$tmp/blocks" '
  !inside && /^[ ]*```sh[ ]*$/ {
    inside = 1; n++; match($0, /^[ ]*/); indent = RLENGTH; file = dir "/" n ".sh"
    printf "" > file; print NR > (dir "/" n ".line"); next
  }
  inside && /^[ ]*```[ ]*$/ { inside = 0; close(file); next }
  inside { print substr($0, indent + 1) > file }
' "$readme"
blocks=$(ls "$tmp/blocks" | grep -c '\.sh$')
[ "$blocks" -ge 8 ] || fail "found only $blocks \`\`\`sh blocks in $readme"

if [ -n "$corpus" ]; then
  cp "$corpus" "$work/data/brown.txt.gz"
else
  {
    cat "$tmp"/blocks/*.sh "$work/scripts/demo.sh" | tr 'A-Z' 'a-z' | tr -cs 'a-z' '\n'
    cut -f4 "$work/data/weat.tsv" | grep -v ' '
    cat "$work"/data/bolukbasi/definitional_pairs.tsv "$work"/data/bolukbasi/equalize_pairs.tsv \
      | tr 'A-Z\t' 'a-z\n'
    cut -f1 "$work/data/bolukbasi/professions.tsv"
    for f in wordsim353 simlex999 rg65; do grep -v '^#' "$work/data/$f.tsv" | head -40 | cut -f1,2; done \
      | tr 'A-Z\t' 'a-z\n'
    grep -v '^:' "$work/data/questions-words.txt" | head -200 | tr 'A-Z ' 'a-z\n'
  } | grep -xE '[a-z]+' | sort -u \
    | awk 'BEGIN { srand(13) }
           { for (i = 0; i < 12; i++) w[n++] = $0 }
           END { for (i = n - 1; i > 0; i--) { j = int(rand() * (i + 1)); t = w[i]; w[i] = w[j]; w[j] = t }
                 for (i = 0; i < n; i++) printf "%s%s", w[i], (i % 12 == 11 || i == n - 1) ? "\n" : " " }' \
    | gzip -n > "$work/data/brown.txt.gz"
fi

# demo.sh fetches nothing when its default corpus is there: it trains data/brown.bin and queries
# it. (Had its default names changed, it would try npm and fail here, or write no brown.bin.)
if ! (cd "$work" && env -u CORPUS TMPDIR="$tmp/tmpdir" bash scripts/demo.sh) >"$tmp/demo.out" 2>&1
then
  fail "scripts/demo.sh: $(tail -5 "$tmp/demo.out")"
fi
[ -s "$work/data/brown.bin" ] || fail "scripts/demo.sh wrote no data/brown.bin, which the examples read"

# --- Run every block, with the skips and scales applied. ---
declare -A skip_used scale_used
for ((n = 1; n <= blocks; n++)); do
  block=$tmp/blocks/$n.sh line=$(cat "$tmp/blocks/$n.line")
  skipped=""
  for rule in "${skips[@]}"; do
    if grep -qE "${rule%%|*}" "$block"; then skipped=${rule#*|}; skip_used[$rule]=1; fi
  done
  if [ -n "$skipped" ]; then
    echo "skip: README.md:$line $(head -1 "$block"): $skipped"
    continue
  fi
  for rule in "${scales[@]}"; do
    before=$(cat "$block")
    sed -i -e "${rule%%|*}" "$block"
    [ "$before" == "$(cat "$block")" ] || scale_used[$rule]=1
  done
  {
    echo 'set -eo pipefail'
    echo 'trap '\''echo "example failed with exit $?: $BASH_COMMAND" >&2'\'' ERR'
    cat "$block"
  } > "$tmp/run.sh"
  start=$SECONDS
  if (cd "$work" && TMPDIR="$tmp/tmpdir" timeout 600 bash "$tmp/run.sh") >"$tmp/out" 2>&1 </dev/null; then
    echo "ok: README.md:$line ($((SECONDS - start)) s) $(grep -m1 -v '^#' "$block")"
  else
    fail "README.md:$line: $(grep 'example failed' "$tmp/out" | tail -1)
$(grep -v 'example failed' "$tmp/out" | tail -15)"
  fi
done
for rule in "${skips[@]}"; do
  [ -n "${skip_used[$rule]:-}" ] || fail "skip rule '${rule%%|*}' matches no README example: remove it"
done
for rule in "${scales[@]}"; do
  [ -n "${scale_used[$rule]:-}" ] || fail "scale rule '${rule%%|*}' changes no README example: remove it"
done
[ -z "$(ls -A "$tmp/tmpdir")" ] || fail "an example left files in TMPDIR: $(ls "$tmp/tmpdir" | head -3)"

[ "$failures" -eq 0 ] && echo "all README examples passed"
exit $((failures > 0))
