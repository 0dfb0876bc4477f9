#!/usr/bin/python3
"""The Python package against gensim, side by side in one run, on vectors from corpus-large.

  bench/python_bench.py [--vectors V.bin] [--data DIR] [--threads 2] [--repeat 3]

Without --vectors, trains them first from DIR/corpus-large.txt.gz (default ../shared/data) with
`wordspace train --threads 2` (about a minute) into a temporary folder. Times, for wordspace and
gensim 4 on the same files: loading the binary file and the text file; most_similar for one word
(the first call, which builds gensim's norms and wordspace's index, and then the mean of 200
calls); 1,000 words' neighbours (wordspace's most_similar_batch against a loop of gensim's
most_similar, gensim having no batch form); evaluate_word_analogies (restrict_vocab=30000) and
evaluate_word_pairs (WordSim-353). Each figure is the median wall time of --repeat runs, the two
libraries alternating; CPU time is reported beside it. Prints one line per figure with the ratio
(gensim time / wordspace time), and checks that the answers agree. Run with /usr/bin/python3
(Debian's, which has gensim); build the module first (bash scripts/setup.sh).
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "build" / "python"))

import numpy as np  # noqa: E402
from gensim.models import KeyedVectors as GensimKeyedVectors  # noqa: E402

import wordspace  # noqa: E402


def timed(fn, repeat):
    """Median wall seconds, median CPU seconds and the last result of `repeat` calls."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def report(name, ours, theirs, unit="s"):
    ratio = theirs[0] / ours[0] if ours[0] > 0 else float("inf")
    print(f"{name}: wordspace {ours[0]:.4f} {unit} wall ({ours[1]:.4f} CPU), "
          f"gensim {theirs[0]:.4f} {unit} wall ({theirs[1]:.4f} CPU): {ratio:.2f}x", flush=True)
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors")
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = pathlib.Path(args.data)
    eval_file = lambda name: str(data / name if (data / name).exists() else REPO / "data" / name)
    questions, pairs = eval_file("questions-words.txt"), eval_file("wordsim353.tsv")

    with tempfile.TemporaryDirectory() as tmp:
        vectors = args.vectors
        if not vectors:
            vectors = os.path.join(tmp, "large.bin")
            print(f"training {vectors} from {data / 'corpus-large.txt.gz'} ...", file=sys.stderr)
            subprocess.run([str(REPO / "build" / "wordspace"), "train", "--input",
                            str(data / "corpus-large.txt.gz"), "--output", vectors,
                            "--threads", str(args.threads), "--quiet"], check=True)
        text = os.path.join(tmp, "large.txt")
        wordspace.KeyedVectors.load(vectors).save_word2vec_format(text)
        r = args.repeat
        load = lambda path: wordspace.KeyedVectors.load(path, threads=args.threads)
        ours = timed(lambda: load(vectors), r)
        theirs = timed(lambda: GensimKeyedVectors.load_word2vec_format(vectors, binary=True), r)
        kv, g = ours[2], theirs[2]
        print(f"vectors: {len(kv)} words, dim {kv.vector_size} ({vectors})")
        assert kv.index_to_key == g.index_to_key and np.array_equal(kv.vectors, g.vectors)
        report("load binary", ours, theirs)
        report("load text", timed(lambda: load(text), r),
               timed(lambda: GensimKeyedVectors.load_word2vec_format(text, binary=False), r))

        # One word: the first call (norms / index built), then the steady cost per call.
        report("most_similar first call", timed(lambda: kv.most_similar("king", topn=10), 1),
               timed(lambda: g.most_similar("king", topn=10), 1))
        words = kv.index_to_key[100:300]
        one = lambda lib: lambda: [lib.most_similar(w, topn=10) for w in words]
        ours, theirs = timed(one(kv), r), timed(one(g), r)
        for a, b in zip(ours[2], theirs[2]):
            assert [w for w, _ in a] == [w for w, _ in b] or abs(a[-1][1] - b[-1][1]) < 1e-5
        n = len(words)
        report("most_similar one word (per call)", (ours[0] / n * 1e3, ours[1] / n * 1e3),
               (theirs[0] / n * 1e3, theirs[1] / n * 1e3), unit="ms")

        batch = kv.index_to_key[1000:2000]
        ours = timed(lambda: kv.most_similar_batch(batch, topn=10), r)
        theirs = timed(lambda: [g.most_similar(w, topn=10) for w in batch], r)
        rows = ours[2][0]
        agree = sum([kv.index_to_key[i] for i in rows[q]] == [w for w, _ in theirs[2][q]]
                    for q in range(len(batch)))
        report(f"most_similar 1,000 words (batch vs a gensim loop; {agree}/1000 lists equal)",
               ours, theirs)

        ours = timed(lambda: kv.evaluate_word_analogies(questions, restrict_vocab=30000), r)
        theirs = timed(lambda: g.evaluate_word_analogies(questions, restrict_vocab=30000), r)
        print(f"analogy accuracy: wordspace {ours[2][0]:.4f}, gensim {theirs[2][0]:.4f}")
        report("evaluate_word_analogies (restrict 30000)", ours, theirs)

        ours = timed(lambda: kv.evaluate_word_pairs(pairs), r)
        theirs = timed(lambda: g.evaluate_word_pairs(pairs), r)
        print(f"WordSim-353 spearman: wordspace {ours[2][1][0]:.4f}, gensim {theirs[2][1][0]:.4f}")
        report("evaluate_word_pairs (WordSim-353)", ours, theirs)


if __name__ == "__main__":
    main()
