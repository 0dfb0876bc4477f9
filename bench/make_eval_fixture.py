#!/usr/bin/python3
"""Writes the tiny analogy/similarity fixture in tests/data/eval_tiny/ and gensim's figures for it.

  bench/make_eval_fixture.py VECTORS [--data ../shared/data] [--out tests/data/eval_tiny]

VECTORS were trained here with
  wordspace train --input ../shared/data/corpus-large.txt.gz --output large.bin --threads 2
The fixture keeps 18 questions per section of questions-words.txt whose words are all among the
30,000 most frequent, 60 WordSim-353 pairs, and frequent filler words; the rows keep the file's
frequency order. Rows are projected to 20 dimensions (PCA over the kept rows) so that the file
stays small, and a few upper-case variants ("PARIS" after "paris") are appended to exercise
case folding. Questions whose best and second-best 3CosAdd or 3CosMul answers are within 1e-4 of
each other are dropped: their answer depends on float rounding, not on the method.
Then bench/gensim_reference.py computes the expected figures (gensim 4.2's
evaluate_word_analogies with restrict_vocab=RESTRICT, evaluate_word_pairs, and the numpy 3CosMul)
into expected.json, which tests/eval/vectors/analogy_eval_test.cc and similarity_eval_test.cc read.
"""
import argparse
import json
import os
import random
import subprocess
import sys

import numpy as np
from gensim.models import KeyedVectors

DIM = 20
RESTRICT_SHARE = 0.85  # of the rows: the questions with a word in the rarest 15% are skipped


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("vectors")
    p.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data"))
    p.add_argument("--out", default=os.path.join(here, "..", "tests", "data", "eval_tiny"))
    args = p.parse_args()
    rng = random.Random(7)
    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=True)
    top = {w: i for i, w in enumerate(kv.index_to_key[:30000])}

    sections, current = [], None
    with open(os.path.join(args.data, "questions-words.txt")) as f:
        for line in f:
            if line.startswith(": "):
                current = (line.strip(), [])
                sections.append(current)
            else:
                q = line.split()
                if all(w.lower() in top for w in q):
                    current[1].append(q)
    chosen = []
    for header, qs in sections:
        rng.shuffle(qs)
        chosen.append((header, qs[:18]))
    pairs = []
    with open(os.path.join(args.data, "wordsim353.tsv")) as f:
        lines = [l for l in f if not l.startswith("#")]
    rng.shuffle(lines)
    pairs = [l for l in lines if all(w.lower() in top for w in l.split("\t")[:2])][:60]

    words = {w.lower() for _, qs in chosen for q in qs for w in q}
    words |= {w.lower() for l in pairs for w in l.split("\t")[:2]}
    words |= set(kv.index_to_key[:60])  # frequent fillers: competing answers
    rows = sorted(words, key=lambda w: top[w])
    X = np.stack([kv[w] for w in rows]).astype(np.float64)
    X -= X.mean(axis=0)
    _, _, vt = np.linalg.svd(X, full_matrices=False)
    Y = (X @ vt[:DIM].T).astype(np.float32)
    # Upper-case variants right after their word: the same folded word, a second row.
    for v in ["paris", "london", "king", "good", "france"]:
        if v in rows:
            i = rows.index(v)
            rows.insert(i + 1, v.upper())
            Y = np.vstack([Y[:i + 1], Y[i] * 1.01 + 0.01, Y[i + 1:]])
    # Only the restricted rows compete, as in the evaluation.
    unit = Y / np.linalg.norm(Y, axis=1, keepdims=True)
    restrict = int(RESTRICT_SHARE * len(rows))
    first = {}
    for i, w in enumerate(rows[:restrict]):
        first.setdefault(w.upper(), i)
    fold_rows = {}
    for i, w in enumerate(rows[:restrict]):
        fold_rows.setdefault(w.upper(), []).append(i)

    def well_posed(q):
        ids = [first.get(w.upper()) for w in q]
        if any(i is None for i in ids):
            return True  # skipped by the evaluation anyway
        cos = unit[ids[:3]] @ unit[:restrict].T
        add = cos[1] + cos[2] - cos[0]
        s = (cos + 1) / 2
        mul = s[1] * s[2] / (s[0] + 0.001)
        for score in (add, mul):
            score = score.copy()
            for w in q[:3]:
                score[fold_rows[w.upper()]] = -np.inf
            best2 = np.sort(score)[-2:]
            if best2[1] - best2[0] < 1e-4:
                return False
        return True

    os.makedirs(args.out, exist_ok=True)
    kept = 0
    with open(os.path.join(args.out, "questions.txt"), "w") as f:
        for header, qs in chosen:
            f.write(header + "\n")
            for q in qs:
                if well_posed(q):
                    f.write(" ".join(q) + "\n")
                    kept += 1
    with open(os.path.join(args.out, "pairs.tsv"), "w") as f:
        f.write("# 60 WordSim-353 pairs (Finkelstein et al. 2002), from ../shared/data/wordsim353.tsv\n")
        f.writelines(pairs)
    with open(os.path.join(args.out, "vectors.bin"), "wb") as f:
        f.write(f"{len(rows)} {Y.shape[1]}\n".encode())
        for w, y in zip(rows, Y):
            f.write(w.encode() + b" " + y.astype("<f4").tobytes() + b"\n")
    ref = subprocess.run(
        [sys.executable, os.path.join(here, "gensim_reference.py"), os.path.join(args.out, "vectors.bin"),
         "--questions", os.path.join(args.out, "questions.txt"), "--pairs", os.path.join(args.out, "pairs.tsv"),
         "--restrict", str(restrict), "--mul"], check=True, capture_output=True, text=True).stdout
    ref = json.loads(ref)
    expected = {
        "made_by": "bench/make_eval_fixture.py (gensim %s; see its docstring)" % ref["gensim"],
        "restrict": restrict,
        "rows": len(rows),
        "questions": kept,
        "analogy_add": {k: ref["analogy"][k] for k in ("accuracy", "correct", "seen")},
        "analogy_add_sections": ref["analogy"]["sections"],
        "analogy_mul": {k: ref["analogy_mul"][k] for k in ("accuracy", "correct", "seen", "epsilon")},
        "pairs": {k: ref["pairs"][0][k] for k in ("spearman", "pairs_used", "pairs_total")},
    }
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(json.dumps(expected["analogy_add"]), json.dumps(expected["analogy_mul"]),
          json.dumps(expected["pairs"]), f"rows {len(rows)}, questions {kept}")


if __name__ == "__main__":
    main()
