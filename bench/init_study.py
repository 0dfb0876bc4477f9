#!/usr/bin/python3
"""Pretrained against random token embeddings, with seeds (issue 17's study): is the skip-gram
initialisation worth more than the seed-to-seed spread, and which ways make it count for more?

  bench/init_study.py [--steps 800 | --minutes M] [--seeds 1,2,3] [--ways DEFAULT]
                      [--way-seeds 1,2,3] [--lm-args "..."] [--out-dir init_study]
                      [--data DIR] [--threads 2] [--vocab 20000] [--dim 128] [--eval-every 200]

Trains skip-gram vectors on ../shared/data/corpus-large.txt.gz (`wordspace train --dim 128
--epochs 5`, the next-word study's vectors; kept in --out-dir and reused), then the default
transformer (`wordspace lm-train`, plus --lm-args) with `--init pretrained` and `--init random`
for every seed of --seeds, and each "way" of making the vectors count for more for every seed of
--way-seeds. A way is a name and lm-train options, or `vectors=EPOCHS` for vectors trained that
many epochs instead of 5:

  freeze200:--freeze-embeddings-steps 200   lr0.3:--embedding-lr-scale 0.3   vectors10:vectors=10

(';'-separated in --ways). Every run validates on --eval-tokens 20,000 targets of
heldout-valid.txt.gz spread over the file every --eval-every steps (the curve) and on the whole
file at the end, and appends one JSON line to --out-dir/runs.jsonl; a run already there is not
run again, so an interrupted study resumes. With --steps the runs are reproducible bit for bit,
whatever else the machine is doing.

Prints, and writes to --out-dir/init_study.md: the final whole-file validation loss of every
run; per seed, the difference pretrained - random at each curve point and at the end, with its
mean and sample standard deviation over seeds, next to the seed-to-seed spread of each init;
and each way's difference from the plain pretrained run of the same seed.
"""
import argparse
import json
import math
import pathlib
import shlex
import statistics
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_WAYS = ("freeze200:--freeze-embeddings-steps 200;lr0.3:--embedding-lr-scale 0.3;"
                "vectors10:vectors=10")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_ways(text):
    ways = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, spec = part.partition(":")
        if not spec:
            sys.exit(f"error: way '{part}': write NAME:OPTIONS or NAME:vectors=EPOCHS")
        if spec.startswith("vectors="):
            ways.append({"name": name, "vector_epochs": int(spec.split("=", 1)[1]), "args": []})
        else:
            ways.append({"name": name, "vector_epochs": 5, "args": shlex.split(spec)})
    return ways


def mean_sd(values):
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:+.4f}"
    return f"{statistics.mean(values):+.4f} ± {statistics.stdev(values):.4f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=800)
    ap.add_argument("--minutes", type=float, default=0, help="a time budget instead of --steps")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--ways", default=DEFAULT_WAYS)
    ap.add_argument("--way-seeds", default="1,2,3")
    ap.add_argument("--lm-args", default="", help="extra lm-train options for every run")
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--vocab", type=int, default=20000)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", type=pathlib.Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--build", type=pathlib.Path, default=REPO / "build")
    ap.add_argument("--out-dir", type=pathlib.Path, default=pathlib.Path("init_study"))
    a = ap.parse_args()
    corpus, valid = a.data / "corpus-large.txt.gz", a.data / "heldout-valid.txt.gz"
    for f in (corpus, valid):
        if not f.exists():
            sys.exit(f"error: {f} not found (use --data DIR)")
    ws = a.build / "wordspace"
    if not ws.exists():
        sys.exit(f"error: {ws} not found: build first (scripts/setup.sh) or pass --build")
    a.out_dir.mkdir(parents=True, exist_ok=True)
    budget = ["--minutes", str(a.minutes)] if a.minutes > 0 else ["--steps", str(a.steps)]
    budget_name = f"{a.minutes:g} min" if a.minutes > 0 else f"{a.steps} steps"
    seeds = [int(s) for s in a.seeds.split(",") if s.strip()]
    way_seeds = [int(s) for s in a.way_seeds.split(",") if s.strip()]
    ways = parse_ways(a.ways)

    def vectors(epochs):
        path = a.out_dir / ("vectors.bin" if epochs == 5 else f"vectors_{epochs}ep.bin")
        if not path.exists():
            log(f"skip-gram vectors, dim {a.dim}, {epochs} epochs -> {path}")
            cmd = [str(ws), "train", "--input", str(corpus), "--output", str(path), "--dim",
                   str(a.dim), "--epochs", str(epochs), "--threads", str(a.threads), "--quiet"]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"error: {' '.join(cmd)} failed: {p.stderr.strip()[-500:]}")
        return path

    runs_path = a.out_dir / "runs.jsonl"
    done = {}
    if runs_path.exists():
        for line in runs_path.read_text().splitlines():
            if line.strip():
                r = json.loads(line)
                done[r["key"]] = r

    def run_key(name, seed, epochs, extra):
        """What makes a run the same run: its name, seed, budget, vectors and options."""
        return json.dumps({"name": name, "seed": seed, "budget": budget, "epochs": epochs,
                           "args": extra, "lm_args": a.lm_args, "vocab": a.vocab, "dim": a.dim})

    plan = [("pretrained", seed, 5, []) for seed in seeds]
    plan += [("random", seed, 5, []) for seed in seeds]
    plan += [(w["name"], seed, w["vector_epochs"], w["args"]) for w in ways for seed in way_seeds]
    for name, seed, epochs, extra in plan:
        init = "random" if name == "random" else "pretrained"
        key = run_key(name, seed, epochs, extra)
        if key in done:
            continue
        vec = vectors(epochs)
        model = a.out_dir / "model.lm"
        cmd = [str(ws), "lm-train", "--train", str(corpus), "--valid", str(valid),
               "--embeddings", str(vec), "--init", init, "--vocab", str(a.vocab),
               "--d-model", str(a.dim), "--seed", str(seed), "--threads", str(a.threads),
               "--eval-every", str(a.eval_every), "--out", str(model), "--json",
               "--quiet"] + budget + extra + shlex.split(a.lm_args)
        log(f"{name} seed {seed}: {' '.join(shlex.quote(c) for c in cmd)}")
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"error: {' '.join(cmd)} failed: {p.stderr.strip()[-500:]}")
        model.unlink(missing_ok=True)
        result = json.loads(p.stdout.strip().splitlines()[-1])
        record = {"key": key, "name": name, "init": init, "seed": seed, "vector_epochs": epochs,
                  "args": extra, "budget": budget_name, "steps": result["steps"],
                  "tokens": result["tokens"], "cpu_seconds": result["cpu_seconds"],
                  "tokens_per_cpu_sec": result["tokens_per_cpu_sec"],
                  "valid_loss": result["valid_loss"], "valid_perplexity": result["valid_perplexity"],
                  "curve": [(c["step"], c["valid_loss"]) for c in result["curve"]]}
        with open(runs_path, "a") as f:
            f.write(json.dumps(record) + "\n")
        done[key] = record
        log(f"{name} seed {seed}: valid loss {record['valid_loss']:.4f} "
            f"(perplexity {record['valid_perplexity']:.1f})")

    # Only this invocation's runs (budget, vectors, options) go into the tables.
    wanted = {run_key(*run) for run in plan}
    runs = [r for k, r in done.items() if k in wanted]
    by = {(r["name"], r["seed"]): r for r in runs}
    lines = [f"# Pretrained vs random token embeddings: {budget_name}, seeds {a.seeds}",
             "",
             f"Made by `bench/init_study.py {' '.join(shlex.quote(x) for x in sys.argv[1:])}`: the "
             f"default lm-train model{(' with ' + a.lm_args) if a.lm_args else ''} on corpus-large, "
             f"{a.threads} threads; vectors: `wordspace train --dim {a.dim} --epochs 5` on the same "
             "corpus. Curve points: the periodic validation (20,000 targets spread over "
             "heldout-valid); end: the whole file.",
             "",
             "| run | seed | steps | tokens/CPU-s | valid loss (whole file) | perplexity |",
             "|---|---|---|---|---|---|"]
    for r in sorted(runs, key=lambda r: (r["name"] != "pretrained", r["name"] != "random",
                                         r["name"], r["seed"])):
        lines.append(f"| {r['name']} | {r['seed']} | {r['steps']} | {r['tokens_per_cpu_sec']:.0f} | "
                     f"{r['valid_loss']:.4f} | {r['valid_perplexity']:.1f} |")

    def at(r, step):
        for s, v in r["curve"]:
            if s == step:
                return v
        return None

    points = sorted({s for r in runs for s, _ in r["curve"]})
    lines += ["", "Pretrained minus random, paired by seed (negative: pretrained is better); the "
              "spread columns are each init's sample standard deviation over seeds:", "",
              "| point | pretrained - random (mean ± sd) | per seed | pretrained spread | "
              "random spread |", "|---|---|---|---|---|"]
    for point in points + ["end"]:
        diffs, pre, ran = [], [], []
        for seed in seeds:
            p, r = by.get(("pretrained", seed)), by.get(("random", seed))
            if not p or not r:
                continue
            pv = p["valid_loss"] if point == "end" else at(p, point)
            rv = r["valid_loss"] if point == "end" else at(r, point)
            if pv is None or rv is None:
                continue
            diffs.append(pv - rv)
            pre.append(pv)
            ran.append(rv)
        spread = lambda v: f"{statistics.stdev(v):.4f}" if len(v) > 1 else "-"
        label = "end (whole file)" if point == "end" else f"step {point}"
        lines.append(f"| {label} | {mean_sd(diffs)} | "
                     f"{', '.join(f'{d:+.4f}' for d in diffs)} | {spread(pre)} | {spread(ran)} |")
    lines += ["", "Each way minus the plain pretrained run of the same seed, at the end (whole "
              "file; negative: the way helps):", "",
              "| way | lm-train options / vectors | minus pretrained (mean ± sd) | per seed | "
              "minus random (mean) |", "|---|---|---|---|---|"]
    for w in ways:
        d_pre, d_ran = [], []
        for seed in way_seeds:
            r = by.get((w["name"], seed))
            if not r:
                continue
            if ("pretrained", seed) in by:
                d_pre.append(r["valid_loss"] - by[("pretrained", seed)]["valid_loss"])
            if ("random", seed) in by:
                d_ran.append(r["valid_loss"] - by[("random", seed)]["valid_loss"])
        what = " ".join(w["args"]) if w["args"] else f"vectors trained {w['vector_epochs']} epochs"
        lines.append(f"| {w['name']} | {what} | {mean_sd(d_pre)} | "
                     f"{', '.join(f'{d:+.4f}' for d in d_pre)} | "
                     f"{statistics.mean(d_ran) if d_ran else math.nan:+.4f} |")
    # The periodic passes score a sample spread over the file: at the last step it should agree
    # with the whole-file pass (a sample of the file's start scored 0.25 nats lower).
    gaps = [dict(r["curve"])[r["steps"]] - r["valid_loss"] for r in runs
            if r["steps"] in dict(r["curve"])]
    if gaps:
        lines += ["", f"The periodic sample (20,000 targets spread over heldout-valid) at the last "
                  f"step minus the whole file at the same step: mean {statistics.mean(gaps):+.4f} "
                  f"nats, from {min(gaps):+.4f} to {max(gaps):+.4f} over the {len(gaps)} runs."]
    text = "\n".join(lines) + "\n"
    (a.out_dir / "init_study.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
