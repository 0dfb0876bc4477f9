#!/usr/bin/python3
"""gensim's figures for a vector file, as JSON on stdout: the reference that `wordspace
eval-analogy` and `eval-similarity` are checked against (tests/data/eval_tiny/expected.json was
made with this script; bench/query_bench.sh runs it on the large vectors).

  bench/gensim_reference.py VECTORS [--questions Q] [--pairs P ...] [--restrict 30000]

Analogies: KeyedVectors.evaluate_word_analogies(Q, restrict_vocab=R, case_insensitive=True)
(3CosAdd). Word pairs: evaluate_word_pairs(P, restrict_vocab=300000 (gensim's default),
case_insensitive=True) -- Spearman's rho and the pairs used. Also, with --mul, 3CosMul accuracy
computed with gensim's most_similar_cosmul under evaluate_word_analogies' own rules (restricted
vocabulary, inputs and their case variants never answers), for the same comparison.
gensim has no 3CosMul evaluation (its most_similar_cosmul ignores restrict_vocab), so this part
is our own numpy code on gensim's unit vectors, independent of the C++ one.
"""
import argparse
import json
import logging
import sys
import time

from gensim.models import KeyedVectors


def cosmul_accuracy(kv, questions, restrict, eps):
    """3CosMul (Levy and Goldberg 2014, cosines shifted to [0, 1] by (x + 1) / 2) under
    evaluate_word_analogies' rules: case-insensitive, all four words among the first `restrict`
    rows (a folded word is its first row), inputs and their case variants never answers, ties to
    the lower row."""
    import numpy as np
    keys = kv.index_to_key[:restrict]
    unit = kv.get_normed_vectors()[:len(keys)]
    upper = [k.upper() for k in keys]
    first, rows_of = {}, {}
    for i, u in enumerate(upper):
        first.setdefault(u, i)
        rows_of.setdefault(u, []).append(i)
    todo = []
    with open(questions, encoding="utf8") as f:
        for line in f:
            if line.startswith(": "):
                continue
            words = [w.upper() for w in line.split()]
            if len(words) != 4:
                continue
            if all(w in first for w in words):
                todo.append(words)
    correct = 0
    for begin in range(0, len(todo), 512):
        batch = todo[begin:begin + 512]
        ia, ib, ic = ([first[q[j]] for q in batch] for j in range(3))
        shifted = lambda rows: (unit[rows] @ unit.T + 1) / 2
        score = shifted(ib) * shifted(ic) / (shifted(ia) + eps)
        for n, q in enumerate(batch):
            for w in q[:3]:
                score[n, rows_of[w]] = -np.inf
        best = np.argmax(score, axis=1)
        correct += sum(upper[b] == q[3] for b, q in zip(best, batch))
    return int(correct), len(todo)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("vectors")
    p.add_argument("--questions")
    p.add_argument("--pairs", nargs="*", default=[])
    p.add_argument("--restrict", type=int, default=30000)
    p.add_argument("--binary", choices=["auto", "yes", "no"], default="auto")
    p.add_argument("--mul", action="store_true", help="also 3CosMul accuracy (numpy, see above)")
    p.add_argument("--mul-epsilon", type=float, default=0.001)
    args = p.parse_args()
    logging.disable(logging.CRITICAL)

    with open(args.vectors, "rb") as f:
        header = f.readline()
        first = f.read(4096)
    binary = {"yes": True, "no": False}.get(args.binary)
    if binary is None:  # text files have a printable second line
        binary = any(b < 9 or (13 < b < 32) or b > 126 for b in first)
    start = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=binary)
    out = {"vectors": args.vectors, "rows": len(kv.index_to_key), "dim": kv.vector_size,
           "load_seconds": time.perf_counter() - start, "gensim": __import__("gensim").__version__}

    if args.questions:
        start = time.perf_counter()
        score, sections = kv.evaluate_word_analogies(args.questions, restrict_vocab=args.restrict,
                                                     case_insensitive=True)
        seconds = time.perf_counter() - start
        total = sections[-1]
        out["analogy"] = {
            "restrict": args.restrict,
            "accuracy": score,
            "correct": len(total["correct"]),
            "seen": len(total["correct"]) + len(total["incorrect"]),
            "seconds": seconds,
            "sections": [{"name": s["section"], "correct": len(s["correct"]),
                          "seen": len(s["correct"]) + len(s["incorrect"])} for s in sections[:-1]],
        }

        if args.mul:
            start = time.perf_counter()
            correct, seen = cosmul_accuracy(kv, args.questions, args.restrict, args.mul_epsilon)
            out["analogy_mul"] = {"restrict": args.restrict, "epsilon": args.mul_epsilon,
                                  "accuracy": correct / seen if seen else 0.0, "correct": correct,
                                  "seen": seen, "seconds": time.perf_counter() - start}

    out["pairs"] = []
    for path in args.pairs:
        start = time.perf_counter()
        pearson, spearman, oov = kv.evaluate_word_pairs(path, case_insensitive=True)
        seconds = time.perf_counter() - start
        # gensim reports only the OOV ratio; count the pairs it used the same way it does.
        used = total_pairs = 0
        ok_vocab = {k.upper() for k in kv.index_to_key[:300000]}
        with open(path, encoding="utf8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 3:
                    continue
                try:
                    float(parts[2])
                except ValueError:
                    continue
                total_pairs += 1
                used += parts[0].upper() in ok_vocab and parts[1].upper() in ok_vocab
        out["pairs"].append({"file": path, "spearman": float(spearman[0]), "pearson": float(pearson[0]),
                             "pairs_used": used, "pairs_total": total_pairs, "oov_percent": oov,
                             "seconds": seconds})
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
