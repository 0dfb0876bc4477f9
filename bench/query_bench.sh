#!/usr/bin/env bash
# Analogy and similarity benchmarks: wordspace against gensim on the same vector file, in one run.
#
#   bench/query_bench.sh [--vectors V.bin] [--data DIR] [--threads 2] [--restrict 30000]
#
# Without --vectors, trains them first from DIR/corpus-large.txt.gz (default ../shared/data
# relative to the repository) with `wordspace train --threads 2` (several minutes) into a
# temporary folder. The evaluation files come from DIR, or from the repository's data/ when DIR
# lacks them. Builds the Release binary in build/ if it is missing (WORDSPACE_BIN overrides).
# Prints one line per figure: accuracy of `eval-analogy --restrict N` and of gensim's
# evaluate_word_analogies(restrict_vocab=N) on DIR/questions-words.txt, their wall and CPU
# times and the speed ratio; Spearman's rho of both on WordSim-353 and SimLex-999; and, for
# where the time goes, eval-analogy with exact search through FAISS (WORDSPACE_KERNEL=faiss) and
# with our kernel capped at plain SSE2 (--isa portable).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
data="$repo/../shared/data"
vectors=""
threads=2
restrict=30000
while [ $# -gt 0 ]; do
  case $1 in
    --vectors) vectors=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --restrict) restrict=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
bin=${WORDSPACE_BIN:-$repo/build/wordspace}
if [ ! -x "$bin" ]; then
  cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$repo/build" -j2 --target wordspace >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$vectors" ]; then
  vectors="$tmp/large.bin"
  echo "training $vectors from $data/corpus-large.txt.gz (takes several minutes)..." >&2
  "$bin" train --input "$data/corpus-large.txt.gz" --output "$vectors" --threads "$threads" --quiet
fi
# Evaluation files come from DIR when it has them, else from the copies in the repository's data/
# (so that --vectors runs from a clone); corpora only from DIR.
eval_file() { if [[ -r "$data/$1" ]]; then echo "$data/$1"; else echo "$repo/data/$1"; fi; }
questions=$(eval_file questions-words.txt)

# time_json OUT CMD...: runs CMD with stdout to OUT; records wall and CPU (user+sys) seconds.
time_json() {
  local out=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$out.time" "$@" >"$out"
}
field() { $py -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$@"; }

time_json "$tmp/ws.json" "$bin" eval-analogy "$vectors" "$questions" --restrict "$restrict" \
  --threads "$threads" --json --quiet
WORDSPACE_KERNEL=faiss time_json "$tmp/ws_faiss.json" "$bin" eval-analogy "$vectors" "$questions" \
  --restrict "$restrict" --threads "$threads" --json --quiet
time_json "$tmp/ws_generic.json" "$bin" eval-analogy "$vectors" "$questions" \
  --restrict "$restrict" --threads "$threads" --isa portable --json --quiet
for f in wordsim353 simlex999; do
  "$bin" eval-similarity "$vectors" "$(eval_file "$f.tsv")" --json >"$tmp/ws_$f.json"
done
time_json "$tmp/gensim.json" $py "$repo/bench/gensim_reference.py" "$vectors" --questions "$questions" \
  --restrict "$restrict" --pairs "$(eval_file wordsim353.tsv)" "$(eval_file simlex999.tsv)"

read -r ws_wall ws_user ws_sys <"$tmp/ws.json.time"
read -r gs_wall gs_user gs_sys <"$tmp/gensim.json.time"
ws_acc=$(field "$tmp/ws.json" 'd["accuracy"]')
gs_acc=$(field "$tmp/gensim.json" 'd["analogy"]["accuracy"]')
ws_eval=$(field "$tmp/ws.json" 'd["seconds"]')
ws_eval_cpu=$(field "$tmp/ws.json" 'd["cpu_seconds"]')
gs_eval=$(field "$tmp/gensim.json" 'd["analogy"]["seconds"]')
printf 'vectors: %s (%s rows), questions: %s, restrict %s, threads %s\n' "$vectors" \
  "$(field "$tmp/gensim.json" 'd["rows"]')" "$questions" "$restrict" "$threads"
printf 'wordspace eval-analogy accuracy: %.4f (%s of %s seen, %s questions)\n' "$ws_acc" \
  "$(field "$tmp/ws.json" 'd["correct"]')" "$(field "$tmp/ws.json" 'd["seen"]')" \
  "$(field "$tmp/ws.json" 'd["total"]')"
printf 'gensim evaluate_word_analogies accuracy: %.4f (%s of %s seen)\n' "$gs_acc" \
  "$(field "$tmp/gensim.json" 'd["analogy"]["correct"]')" "$(field "$tmp/gensim.json" 'd["analogy"]["seen"]')"
printf 'accuracy difference: %.3f points\n' "$($py -c "print(100*abs($ws_acc-$gs_acc))")"
printf 'wordspace evaluation time: %.3f s wall, %.3f s CPU (whole process incl. loading: %.3f s wall, %.3f s CPU)\n' \
  "$ws_eval" "$ws_eval_cpu" "$ws_wall" "$($py -c "print($ws_user+$ws_sys)")"
printf 'gensim evaluate_word_analogies time: %.3f s wall (whole process incl. loading: %.3f s wall, %.3f s CPU)\n' \
  "$gs_eval" "$gs_wall" "$($py -c "print($gs_user+$gs_sys)")"
printf 'speed ratio (gensim / wordspace, evaluation wall time): %.1fx\n' "$($py -c "print($gs_eval/$ws_eval)")"
printf 'speed ratio (gensim / wordspace, whole process wall time): %.1fx\n' "$($py -c "print($gs_wall/$ws_wall)")"
printf 'wordspace eval-analogy, exact search through FAISS (WORDSPACE_KERNEL=faiss): %.3f s wall, %.3f s CPU, accuracy %.4f\n' \
  "$(field "$tmp/ws_faiss.json" 'd["seconds"]')" "$(field "$tmp/ws_faiss.json" 'd["cpu_seconds"]')" \
  "$(field "$tmp/ws_faiss.json" 'd["accuracy"]')"
printf 'wordspace eval-analogy, kernel capped at SSE2 (--isa portable): %.3f s wall, %.3f s CPU\n' \
  "$(field "$tmp/ws_generic.json" 'd["seconds"]')" "$(field "$tmp/ws_generic.json" 'd["cpu_seconds"]')"
i=0
for f in wordsim353 simlex999; do
  printf '%s spearman: wordspace %.4f (%s of %s pairs), gensim %.4f (%s pairs), difference %.4f\n' "$f" \
    "$(field "$tmp/ws_$f.json" 'd["spearman"]')" "$(field "$tmp/ws_$f.json" 'd["pairs_used"]')" \
    "$(field "$tmp/ws_$f.json" 'd["pairs_total"]')" \
    "$(field "$tmp/gensim.json" "d['pairs'][$i]['spearman']")" \
    "$(field "$tmp/gensim.json" "d['pairs'][$i]['pairs_used']")" \
    "$($py -c "import json; a=json.load(open('$tmp/ws_$f.json'))['spearman']; b=json.load(open('$tmp/gensim.json'))['pairs'][$i]['spearman']; print(abs(a-b))")"
  i=$((i + 1))
done
