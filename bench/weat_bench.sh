#!/usr/bin/env bash
# Bias-probe benchmark (issue 4), in one run:
#  1. WEAT speed: a 25+25 target, 25+25 attribute test made of frequent words of the vectors,
#     with 100,000 sampled permutations, timed inside the command (vector loading excluded),
#     with --threads 2 and --threads 1; best and median of several runs.
#  2. The WEAT table on the vectors (weat.tsv, Caliskan rows only): d, p and the
#     words missing, next to the GloVe effect sizes of Caliskan et al. (2017), Table 1.
#  3. Hard debiasing with Bolukbasi's lists, then WEAT and the professions' projections on the
#     bias direction again, before and after.
# Vectors default to training them from corpus-large with `wordspace train --threads 2`
# (about 25 minutes on 2 shared cores); pass --vectors to reuse a file.
#
#   bench/weat_bench.sh --vectors /tmp/large.bin
#   bench/weat_bench.sh --keep /tmp/weat-bench          # trains, keeps vectors and outputs
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data="$repo/../shared/data"
vectors=""
build_dir="$repo/build"
keep=""
permutations=100000
repeat=5

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  cat <<USAGE
options:
  --data DIR          corpus-large.txt.gz, and weat.tsv and bolukbasi/ if it has them, else
                      the repository's data/ (default: $data)
  --vectors PATH      vectors to probe (default: train them from DIR/corpus-large.txt.gz)
  --permutations N    sampled permutations for the speed test (default: $permutations)
  --repeat N          timed runs per setting (default: $repeat)
  --build-dir DIR     wordspace build folder; built in Release if the binary is missing
                      (default: $build_dir)
  --keep DIR          keep trained vectors and outputs in DIR (default: a temporary folder)
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --vectors) vectors=$2; shift 2 ;;
    --permutations) permutations=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

bin="$build_dir/wordspace"
if [[ ! -x "$bin" ]]; then
  echo "building wordspace (Release) in $build_dir ..." >&2
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DWORDSPACE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build_dir" -j2 --target wordspace >/dev/null
fi
if [[ -n "$keep" ]]; then
  work=$keep
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
# Evaluation files come from DIR when it has them, else from the copies in the repository's data/
# (so that --vectors runs from a clone); corpora only from DIR.
eval_file() { if [[ -r "$data/$1" ]]; then echo "$data/$1"; else echo "$repo/data/$1"; fi; }
weat=$(eval_file weat.tsv)
lists=$(dirname "$(eval_file bolukbasi/definitional_pairs.tsv)")
for f in "$weat" "$lists"/{definitional_pairs.tsv,equalize_pairs.tsv,gender_specific_full.txt,professions.tsv}; do
  [[ -r "$f" ]] || { echo "error: $f not found (use --data)" >&2; exit 1; }
done
if [[ -z "$vectors" ]]; then
  vectors="$work/large.bin"
  if [[ ! -s "$vectors" ]]; then
    echo "training vectors from $data/corpus-large.txt.gz (--threads 2) ..." >&2
    "$bin" train --input "$data/corpus-large.txt.gz" --output "$vectors" --threads 2 --quiet
  fi
fi

# 1. Speed: rows 100..199 of the vector file (frequent words, all present) as X, Y, A, B.
/usr/bin/python3 - "$vectors" "$work/synthetic.tsv" <<'PY'
import gzip, sys
path, out = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read(2)
f = gzip.open(path, "rb") if raw == b"\x1f\x8b" else open(path, "rb")
n, dim = map(int, f.readline().split())
words = []
binary = None
while len(words) < 200:
    if binary is None:
        pos = f.tell()
        line = f.readline()
        try:
            parts = line.decode("utf-8").split()
            binary = len(parts) != dim + 1
        except UnicodeDecodeError:
            binary = True
        f.seek(pos)
    if binary:
        word = b""
        while True:
            c = f.read(1)
            if c == b" ":
                break
            if c != b"\n":
                word += c
        f.read(4 * dim)
        words.append(word.decode("utf-8", "replace"))
    else:
        words.append(f.readline().decode("utf-8").split(" ", 1)[0])
with open(out, "w") as o:
    for i, (role, name) in enumerate([("X", "x"), ("Y", "y"), ("A", "a"), ("B", "b")]):
        for w in words[100 + 25 * i: 125 + 25 * i]:
            o.write(f"speed\t{role}\t{name}\t{w}\t1\n")
PY

time_weat() {  # time_weat THREADS -> "best median cpu_median p"
  local threads=$1 walls=() cpus=() p=""
  for _ in $(seq 1 "$repeat"); do
    local out
    out=$("$bin" bias weat "$vectors" --tests "$work/synthetic.tsv" --permutations "$permutations" \
          --threads "$threads" --json)
    read -r w c p < <(/usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin); t = d["tests"][0]
assert t["sizes"] == {"X": 25, "Y": 25, "A": 25, "B": 25} and not t["exact"], t
print(d["seconds"], d["cpu_seconds"], t["p_value"])' <<<"$out")
    walls+=("$w"); cpus+=("$c")
  done
  /usr/bin/python3 -c '
import statistics, sys
w = [float(x) for x in sys.argv[1].split()]; c = [float(x) for x in sys.argv[2].split()]
print(f"{min(w):.4f} {statistics.median(w):.4f} {statistics.median(c):.4f} {sys.argv[3]}")' \
    "${walls[*]}" "${cpus[*]}" "$p"
}
read -r best2 med2 cpu2 p2 < <(time_weat 2)
read -r best1 med1 cpu1 p1 < <(time_weat 1)
echo "weat speed: 25+25 targets, 25+25 attributes, $permutations permutations, --threads 2: best $best2 s, median $med2 s wall, median $cpu2 CPU s (p=$p2; $repeat runs; loading excluded)"
echo "weat speed: same, --threads 1: best $best1 s, median $med1 s wall, median $cpu1 CPU s (p=$p1; same p: threads do not change the draws)"

# 2. The WEAT table next to Caliskan et al. (2017), Table 1 (GloVe, Common Crawl 840B).
"$bin" bias weat "$vectors" --tests "$weat" --json > "$work/weat_before.json"
# 3. Hard debias, then the same probes on the output.
"$bin" bias debias "$vectors" --pairs "$lists/definitional_pairs.tsv" \
  --equalize "$lists/equalize_pairs.tsv" --specific "$lists/gender_specific_full.txt" \
  --words "$lists/professions.tsv" --out "$work/debiased.bin" --json > "$work/debias.json"
"$bin" bias weat "$work/debiased.bin" --tests "$weat" --json > "$work/weat_after.json"
"$bin" bias direction "$vectors" --pairs "$lists/definitional_pairs.tsv" --top 0 \
  --words "$lists/professions.tsv" --json > "$work/direction_before.json"
"$bin" bias direction "$work/debiased.bin" --pairs "$lists/definitional_pairs.tsv" --top 0 \
  --words "$lists/professions.tsv" --json > "$work/direction_after.json"

/usr/bin/python3 - "$work" "$lists/gender_specific_full.txt" <<'PY'
import json, statistics, sys
work, specific_path = sys.argv[1], sys.argv[2]
load = lambda name: json.load(open(f"{work}/{name}"))
# Caliskan, Bryson and Narayanan (2017), Science 356:183, Table 1, WEAT on GloVe: effect size d
# and p. The d values agree with Lowe's replication on the authors' vectors (R package cbn,
# vignette "Replication replication").
glove = {"weat1": (1.50, "1e-7"), "weat2": (1.53, "1e-7"), "weat3": (1.41, "1e-8"),
         "weat4": (1.50, "1e-4"), "weat5": (1.28, "1e-3"), "weat6": (1.81, "1e-3"),
         "weat7": (1.06, ".018"), "weat8": (1.24, "1e-2"), "weat9": (1.38, "1e-2"),
         "weat10": (1.21, "1e-2")}
before, after = load("weat_before.json"), load("weat_after.json")
after_by = {t["test"]: t for t in after["tests"]}
fmt_p = lambda p: "-" if p is None else (f"{p:.4f}" if p >= 1e-3 else f"{p:.1e}")
fmt_d = lambda d: "-" if d is None else f"{d:+.2f}"
print("weat table (ours: d, p, n=|X|+|Y|, missing; Caliskan GloVe: d, p; after hard debias: d, p)")
for t in before["tests"]:
    g = glove.get(t["test"], (None, "-"))
    a = after_by[t["test"]]
    s = t["sizes"]
    print(f"weat {t['test']:<7} d={fmt_d(t['effect_size'])} p={fmt_p(t['p_value']):<8} "
          f"n={s['X']}+{s['Y']} missing={len(t['missing'])} | glove d={g[0]:.2f} p={g[1]} | "
          f"debiased d={fmt_d(a['effect_size'])} p={fmt_p(a['p_value'])}")
d = load("debias.json")
print(f"debias: neutralized {d['neutralized']} words, kept {d['specific']} gender-specific, "
      f"equalized {len(d['equalized'])} pairs; mean |cos(w,g)| of neutralized words "
      f"{d['mean_abs_projection_before']:.4f} -> {d['mean_abs_projection_after']:.2g} "
      f"(max {d['max_abs_projection_after']:.2g})")
specific = {w.strip().lower() for w in open(specific_path, encoding="utf-8") if w.strip()}
neutral = [w for w in d["words"] if w["word"].lower() not in specific]
print(f"debias: professions not in the gender-specific list ({len(neutral)}): mean |cos(w,g)| "
      f"{statistics.mean(abs(w['before']) for w in neutral):.4f} -> "
      f"{statistics.mean(abs(w['after']) for w in neutral):.2g}, max after "
      f"{max(abs(w['after']) for w in neutral):.2g}")
for name in ("direction_before.json", "direction_after.json"):
    r = load(name)
    prof = [w for w in r["words"] if w["word"].lower() not in specific]
    print(f"direction {name.split('_')[1].split('.')[0]:<6}: recomputed from the definitional pairs, "
          f"first component {100 * r['variance_explained']:.1f}% of the variance; professions "
          f"not gender-specific: mean |cos| {statistics.mean(abs(w['projection']) for w in prof):.4f}")
PY
