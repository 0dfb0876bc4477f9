#!/usr/bin/python3
r"""Inspect study (issue 15): what the tiny transformer's layers and heads do, on the real data.

On the transformer of the next-word study (bench/next_word_study.py saves it as
STUDY/lm_pretrained.lm, with its skip-gram vectors STUDY/vectors.bin), runs:
  1. `inspect senses` for every word of bench/inspect_senses.tsv (at least 5 ambiguous words,
     bank among them) on the training corpus, with and without --hide-cues, the skip-gram
     vectors as the bag-of-words baseline: per layer the leave-one-out nearest-centroid
     accuracy, next to the static-vector and bag-of-words baselines;
  2. `inspect heads` on heldout-valid: every head's profile and role (previous-token,
     induction, ...);
  3. `inspect lens` and `inspect contributions` on "the capital of COUNTRY is" for every
     country -> capital pair of questions-words' capital sections whose two words are single
     words of the model's vocabulary: the share whose answer is the top-1 and in the top-10 at
     the last layer, the layer at which the answer first enters the top-10, and which update
     raises the answer's logit most.
Writes OUT/inspect_study.{md,json}, the SVG pictures, and prints one line per figure.

  bench/next_word_study.py --out-dir study                 # the 30-minute transformer, once
  bench/inspect_study.py --study-dir study --out-dir bench/results/inspect
Without a study folder, --train-minutes M trains vectors and a transformer here first (the
next-word study's settings). A quick check on a tiny model (seconds):
  bench/inspect_study.py --model tiny.lm --vectors tiny.vec --corpus tiny.txt \
      --heldout tiny.txt --max 20 --out-dir /tmp/inspect-check
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, capture=True):
    """Runs cmd; returns its stdout. Exits with the command's stderr on failure."""
    log("$ " + " ".join(shlex.quote(c) for c in cmd))
    p = subprocess.run(cmd, stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        sys.exit(f"error: {cmd[0]} {cmd[1]} failed ({p.returncode}):\n{p.stderr}")
    return p.stdout


def run_json(cmd):
    return json.loads(run(cmd + ["--json"]))


def try_json(cmd):
    """(parsed --json output, None), or (None, the error line) when the command fails."""
    log("$ " + " ".join(shlex.quote(c) for c in cmd + ["--json"]))
    p = subprocess.run(cmd + ["--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}"
    return json.loads(p.stdout), None


def read_senses(path):
    """word -> [(sense, [cues])] in file order."""
    words = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            word, sense, cues = line.split("\t")
            words.setdefault(word, []).append((sense, cues))
    return words


def capital_pairs(path):
    """(country, capital) pairs of the capital sections of questions-words, lowercased, unique."""
    pairs, section = [], ""
    seen = set()
    with open(path) as f:
        for line in f:
            if line.startswith(":"):
                section = line[1:].strip()
                continue
            if not section.startswith("capital"):
                continue
            a, b, c, d = line.lower().split()
            for capital, country in ((a, b), (c, d)):
                if (country, capital) not in seen:
                    seen.add((country, capital))
                    pairs.append((country, capital))
    return pairs


def ensure_binary(a):
    if a.bin:
        return a.bin
    ws = os.path.join(a.build_dir, "wordspace")
    if not os.path.exists(ws):
        run(["cmake", "-S", REPO, "-B", a.build_dir, "-DCMAKE_BUILD_TYPE=Release"], capture=False)
        run(["cmake", "--build", a.build_dir, "-j2", "--target", "wordspace"], capture=False)
    return ws


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--study-dir", default="next_word_study",
                    help="folder of bench/next_word_study.py (lm_pretrained.lm, vectors.bin)")
    ap.add_argument("--model", help="checkpoint (default: STUDY/lm_pretrained.lm)")
    ap.add_argument("--vectors", help="skip-gram vectors (default: STUDY/vectors.bin)")
    ap.add_argument("--train-minutes", type=float, default=0,
                    help="train vectors and the transformer here when the model is missing")
    ap.add_argument("--corpus", help="text for the senses (default: DATA/corpus-large.txt.gz)")
    ap.add_argument("--heldout", help="text for the heads (default: DATA/heldout-valid.txt.gz)")
    ap.add_argument("--questions", help="default: DATA/questions-words.txt, else data/questions-words.txt")
    ap.add_argument("--senses", default=os.path.join(REPO, "bench", "inspect_senses.tsv"))
    ap.add_argument("--max", type=int, default=300, help="sentences per sense")
    ap.add_argument("--max-lines", type=int, default=0, help="corpus lines read per word (0: all)")
    ap.add_argument("--head-windows", type=int, default=200)
    ap.add_argument("--prompt", default="the capital of {country} is")
    ap.add_argument("--pictures", default="poland,france,china,japan",
                    help="countries whose lens and contributions are drawn")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out-dir", default=os.path.join(REPO, "bench", "results", "inspect"))
    ap.add_argument("--bin", help="wordspace binary (default: BUILD_DIR/wordspace)")
    ap.add_argument("--build-dir", default=os.path.join(REPO, "build"))
    a = ap.parse_args()

    data = os.path.abspath(a.data)
    corpus = a.corpus or os.path.join(data, "corpus-large.txt.gz")
    heldout = a.heldout or os.path.join(data, "heldout-valid.txt.gz")
    # questions-words ships in the repository's data/ too; corpora only in DATA.
    questions = a.questions or next(
        (p for p in (os.path.join(data, "questions-words.txt"),
                     os.path.join(REPO, "data", "questions-words.txt")) if os.path.exists(p)),
        os.path.join(data, "questions-words.txt"))
    model = a.model or os.path.join(a.study_dir, "lm_pretrained.lm")
    vectors = a.vectors or os.path.join(a.study_dir, "vectors.bin")
    os.makedirs(a.out_dir, exist_ok=True)
    out = os.path.abspath(a.out_dir)
    ws = ensure_binary(a)
    threads = ["--threads", str(a.threads)]
    t0 = time.time()

    if not os.path.exists(model):
        if a.train_minutes <= 0:
            sys.exit(f"error: {model}: no such checkpoint; run bench/next_word_study.py "
                     f"--out-dir {a.study_dir} first, pass --model, or --train-minutes 30")
        vectors = os.path.join(out, "vectors.bin")
        model = os.path.join(out, "lm_pretrained.lm")
        run([ws, "train", "--input", corpus, "--output", vectors, "--dim", "128",
             "--epochs", "5", "--seed", "1337"] + threads, capture=False)
        run([ws, "lm-train", "--train", corpus, "--valid", heldout, "--embeddings", vectors,
             "--vocab", "20000", "--d-model", "128", "--seed", "1337", "--minutes",
             str(a.train_minutes), "--out", model, "--final-eval-tokens", "20000"] + threads,
            capture=False)
    for p in (model, corpus, heldout, questions, a.senses):
        if not os.path.exists(p):
            sys.exit(f"error: {p}: no such file")
    bow = ["--vectors", vectors] if os.path.exists(vectors) else []
    if not bow:
        log(f"note: {vectors} not found: the bag-of-words baseline uses the model's embeddings")
    result = {"model": model, "corpus": corpus, "heldout": heldout, "vectors": vectors if bow else None}

    # 1. Senses.
    senses, skipped = [], []
    for word, spec in read_senses(a.senses).items():
        args = [ws, "inspect", "senses", model, "--word", word, "--corpus", corpus,
                "--max", str(a.max), "--max-lines", str(a.max_lines)] + bow + threads
        for sense, cues in spec:
            args += ["--sense", f"{sense}={cues}"]
        entry = {"word": word}
        for hidden in (False, True):
            tag = "hidden" if hidden else "cues"
            svg = os.path.join(out, f"senses_{word}_{tag}.svg")
            r, error = try_json(args + (["--hide-cues"] if hidden else []) + ["--svg", svg])
            if r is None:
                entry["error"] = error
                break
            best = max(r["layers"], key=lambda l: l["accuracy"])
            entry[tag] = {"layers": r["layers"], "static": r["static_accuracy"],
                          "bag_of_words": r["bag_of_words_accuracy"], "chance": r["chance"],
                          "best_layer": best["layer"], "best_accuracy": best["accuracy"],
                          "senses": [{k: s[k] for k in ("name", "cues", "missing_cues", "found",
                                                        "sentences")} for s in r["senses"]]}
        if "error" in entry:
            log(f"note: senses of {word} skipped: {entry['error']}")
            skipped.append(entry)
            continue
        entry["margin_hidden"] = entry["hidden"]["best_accuracy"] - entry["hidden"]["bag_of_words"]
        senses.append(entry)
    result["senses"] = senses
    result["senses_skipped"] = skipped

    # 2. Heads.
    heads = run_json([ws, "inspect", "heads", model, "--heldout", heldout, "--windows",
                      str(a.head_windows), "--svg", os.path.join(out, "heads.svg")] + threads)["heads"]
    result["heads"] = heads
    roles = {}
    for h in heads:
        roles.setdefault(h["role"], []).append(f"L{h['layer']}H{h['head']}")

    # 3. Capitals: lens and contributions.
    pairs = capital_pairs(questions)
    pictures = set(a.pictures.split(","))
    capitals = []
    for country, capital in pairs:
        prompt = a.prompt.format(country=country)
        lens_cmd = [ws, "inspect", "lens", model, "--text", prompt, "--target", capital, "--k", "10"]
        p = subprocess.run(lens_cmd + ["--json"] + threads, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:  # the country or the capital is not one word of the vocabulary
            continue
        # The prompt's words must all be known too: an <unk> country says nothing.
        lens = json.loads(p.stdout)
        if "<unk>" in lens["tokens"]:
            continue
        extra = []
        if country in pictures:
            extra = ["--svg", os.path.join(out, f"lens_{country}.svg")]
            run(lens_cmd + extra + threads)
        ranks = [l["target_rank"][-1] for l in lens["layers"]]
        first_top10 = next((l["layer"] for l, r in zip(lens["layers"], ranks) if r <= 10), None)
        contrib_cmd = [ws, "inspect", "contributions", model, "--text", prompt, "--target",
                       capital, "--neurons", "5"] + threads
        if country in pictures:
            contrib_cmd += ["--svg", os.path.join(out, f"contributions_{country}.svg")]
        c = run_json(contrib_cmd)
        top_update = max(c["components"], key=lambda x: x["target_effect"])
        capitals.append({"country": country, "capital": capital, "final_rank": ranks[-1],
                         "ranks": ranks, "first_top10_layer": first_top10,
                         "prob": lens["layers"][-1]["target_prob"][-1],
                         "top_update": top_update["name"],
                         "effects": {x["name"]: x["target_effect"] for x in c["components"]}})
    result["capitals"] = capitals

    # Figures.
    lines = []
    for e in senses:
        for tag in ("cues", "hidden"):
            s = e[tag]
            per_layer = " ".join(f"L{l['layer']}={l['accuracy']:.3f}" for l in s["layers"])
            lines.append(f"senses {e['word']} ({'cues hidden' if tag == 'hidden' else 'cues shown'}, "
                         f"{s['senses'][0]['sentences']} per sense): {per_layer}; static "
                         f"{s['static']:.3f}, bag of words {s['bag_of_words']:.3f}, best layer "
                         f"{s['best_layer']} {s['best_accuracy']:.3f}")
        lines.append(f"senses {e['word']}: best layer minus bag of words with cues hidden = "
                     f"{100 * e['margin_hidden']:+.1f} points (goal >= +15)")
    for e in skipped:
        lines.append(f"senses {e['word']}: skipped ({e['error']})")
    mean_margin = sum(e["margin_hidden"] for e in senses) / max(1, len(senses))
    lines.append(f"senses: mean margin over bag of words with cues hidden = {100 * mean_margin:+.1f} points")
    for role in ("previous-token", "induction", "first-token", "same-word", "local", "mixed"):
        if role in roles:
            lines.append(f"heads {role}: {len(roles[role])} ({' '.join(roles[role])})")
    n = len(capitals)
    if n:
        top1 = sum(c["final_rank"] == 1 for c in capitals) / n
        top10 = sum(c["final_rank"] <= 10 for c in capitals) / n
        firsts = [c["first_top10_layer"] for c in capitals if c["first_top10_layer"] is not None]
        hist = {}
        for f in firsts:
            hist[f] = hist.get(f, 0) + 1
        tops = {}
        for c in capitals:
            tops[c["top_update"]] = tops.get(c["top_update"], 0) + 1
        lines.append(f"capitals: {n} of {len(pairs)} pairs in the vocabulary; answer top-1 "
                     f"{100 * top1:.1f}%, top-10 {100 * top10:.1f}% at the last layer")
        lines.append("capitals: layer where the answer first enters the top-10: " +
                     ", ".join(f"layer {k}: {v}" for k, v in sorted(hist.items())) +
                     f"; never: {n - len(firsts)}")
        lines.append("capitals: update raising the answer's logit most: " +
                     ", ".join(f"{k} {v}" for k, v in sorted(tops.items(), key=lambda kv: -kv[1])))
        result["capital_summary"] = {"pairs_in_vocabulary": n, "pairs": len(pairs), "top1": top1,
                                     "top10": top10, "first_top10_layer": hist,
                                     "top_update": tops}
    goals = {"senses_margin_15_points": [e["word"] for e in senses if e["margin_hidden"] >= 0.15],
             "previous_token_head": "previous-token" in roles,
             "induction_head": "induction" in roles}
    result["goals"] = goals
    result["seconds"] = time.time() - t0
    lines.append(f"goals: words with the best layer >= 15 points above bag of words (cues hidden): "
                 f"{len(goals['senses_margin_15_points'])} of {len(senses)}; previous-token head "
                 f"found: {goals['previous_token_head']}; induction head found: {goals['induction_head']}")
    for line in lines:
        print(line)

    with open(os.path.join(out, "inspect_study.json"), "w") as f:
        json.dump(result, f, indent=1)
    with open(os.path.join(out, "inspect_study.md"), "w") as f:
        f.write(f"# Inspect study\n\nModel `{os.path.basename(model)}`; senses from "
                f"`{os.path.basename(corpus)}` (at most {a.max} sentences per sense, balanced), "
                f"heads on `{os.path.basename(heldout)}`, capitals from `questions-words.txt` "
                f"with the prompt \"{a.prompt}\".\n\n## Sense separation (leave-one-out "
                "nearest-centroid accuracy)\n\n")
        layers = len(senses[0]["cues"]["layers"]) if senses else 0
        f.write("| word | cues | per sense | static | bag of words | " +
                " | ".join(f"layer {i}" for i in range(layers)) + " |\n")
        f.write("|---" * (5 + layers) + "|\n")
        for e in senses:
            for tag in ("cues", "hidden"):
                s = e[tag]
                f.write(f"| {e['word']} | {'hidden' if tag == 'hidden' else 'shown'} | "
                        f"{s['senses'][0]['sentences']} | {s['static']:.3f} | "
                        f"{s['bag_of_words']:.3f} | " +
                        " | ".join(f"{l['accuracy']:.3f}" for l in s["layers"]) + " |\n")
        f.write("\n## Heads\n\n| layer | head | role | distance | previous | first | same word | "
                "induction |\n|---|---|---|---|---|---|---|---|\n")
        for h in heads:
            sw = "n/a" if h["same_word"] is None else f"{h['same_word']:.3f}"
            f.write(f"| {h['layer']} | {h['head']} | {h['role']} | {h['mean_distance']:.2f} | "
                    f"{h['previous_token']:.3f} | {h['first_token']:.3f} | {sw} | "
                    f"{h['induction']:.3f} |\n")
        f.write("\n## Figures\n\n" + "\n".join(f"- {l}" for l in lines) + "\n")
    log(f"wrote {out}/inspect_study.md and .json ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
