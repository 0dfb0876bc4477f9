#!/usr/bin/python3
"""Equal-budget comparisons of lm-train settings (issue 17's tuning): width against depth, learning
rate, batch, precision, the block's parts, each trained for the same --minutes (or --steps) on
2 cores and scored on the whole held-out file.

  bench/lm_sweep.py [--minutes 3 | --steps N] [--runs d128L4,d192L3,d256L2] [--lr 3e-3]
                    [--batch 32] [--precision auto] [--out bench/results/lm_sweep.jsonl]
                    [--data DIR] [--threads 2] [--seed 1337] [--vocab 20000]

A run is named dWIDTHlLAYERS, optionally with ",lr=X", ",batch=N", ",heads=N", ",context=T",
",precision=P", ",block=modern|classic" (modern, lm-train's default, unless given), ",norm=...", ",positions=...", ",ffn=...",
",biases=yes|no" (lm-train's options of those names)
(`--runs "d128L4,d128L4,lr=6e-3;d192L3"`: runs are separated by ';' when one has options, by ','
otherwise). Every run trains `wordspace lm-train` on ../shared/data/corpus-large.txt.gz for
--minutes (or --steps) with the same seed, validates on all of heldout-valid.txt.gz (its first
20,000 tokens score about 0.25 nats lower than the whole file: it opens with Wikipedia), and
appends one JSON line (the settings, parameters, steps, tokens, tokens per CPU-second, CPU
seconds, validation loss and perplexity) to --out; a run already in --out with the same settings
and budget is not run again, so an interrupted sweep resumes. Prints one line per run and then
the table of every run of this budget in --out, best validation loss first.

A --minutes budget is wall-clock (not reproducible bit for bit, and a busy machine gives fewer
steps): compare runs of one sweep, made one after another on an otherwise idle machine. A
--steps budget gives the same numbers on a busy machine; its table adds the CPU time, so that a
setting that learns more per step but costs more per step can be judged at equal compute.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[1]
# The block's parts: "" leaves lm-train's default (the block's own part).
ARCHITECTURE = ("block", "norm", "positions", "ffn", "biases")
RUN_OPTIONS = ("lr", "batch", "heads", "context", "precision") + ARCHITECTURE


def parse_run(text):
    parts = [p.strip() for p in text.split(",") if p.strip()]
    m = re.fullmatch(r"d(\d+)L(\d+)", parts[0])
    if not m:
        sys.exit(f"error: run '{text}': the first part must look like d128L4")
    run = {"d_model": int(m.group(1)), "layers": int(m.group(2))}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key not in RUN_OPTIONS:
            sys.exit(f"error: run '{text}': unknown option '{key}' ({', '.join(RUN_OPTIONS)})")
        run[key] = value
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--steps", type=int, default=0, help="a step budget instead of --minutes")
    parser.add_argument("--runs", default="d128L4,d192L3,d256L2")
    parser.add_argument("--lr", default="3e-3")
    parser.add_argument("--batch", default="32")
    parser.add_argument("--heads", default="4")
    parser.add_argument("--context", default="64")
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--vocab", default="20000")
    parser.add_argument("--seed", default="1337")
    parser.add_argument("--threads", default="2")
    parser.add_argument("--data", type=pathlib.Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--build", type=pathlib.Path, default=REPO / "build")
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "bench" / "results" / "lm_sweep.jsonl")
    args = parser.parse_args()
    corpus, valid = args.data / "corpus-large.txt.gz", args.data / "heldout-valid.txt.gz"
    for f in (corpus, valid):
        if not f.exists():
            sys.exit(f"error: {f} not found (use --data DIR)")
    separator = ";" if ";" in args.runs or "=" in args.runs else ","
    minutes = 0.0 if args.steps > 0 else args.minutes
    runs = []
    for text in args.runs.split(separator):
        run = {"lr": args.lr, "batch": args.batch, "heads": args.heads, "context": args.context,
               "precision": args.precision, "vocab": args.vocab, "seed": args.seed,
               "threads": args.threads, "minutes": minutes, "steps": args.steps,
               "block": "modern", "norm": "", "positions": "", "ffn": "", "biases": ""}
        run.update(parse_run(text))
        runs.append(run)
    done = []
    if args.out.exists():
        done = [json.loads(line) for line in args.out.read_text().splitlines() if line.strip()]
        for r in done:  # lines written before these settings existed
            r["settings"].setdefault("context", "64")
            r["settings"].setdefault("steps", 0)
            r["settings"].setdefault("block", "classic")
            for part in ARCHITECTURE[1:]:
                r["settings"].setdefault(part, "")
    key = lambda r: json.dumps({k: str(r[k]) for k in sorted(runs[0])}, sort_keys=True)
    finished = {key(r["settings"]) for r in done}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for run in runs:
            name = describe(run)
            if key(run) in finished:
                print(f"{name}: already in {args.out}, not run again", file=sys.stderr)
                continue
            cmd = [str(args.build / "wordspace"), "lm-train", "--train", str(corpus),
                   "--valid", str(valid), "--out", f"{tmp}/model.lm", "--vocab", str(run["vocab"]),
                   "--d-model", str(run["d_model"]), "--layers", str(run["layers"]),
                   "--heads", str(run["heads"]), "--batch", str(run["batch"]),
                   "--context", str(run["context"]),
                   "--lr", str(run["lr"]), "--precision", str(run["precision"]),
                   "--seed", str(run["seed"]), "--threads", str(run["threads"]), "--json",
                   "--quiet"]
            cmd += ["--steps", str(run["steps"])] if run["steps"] else ["--minutes", str(run["minutes"])]
            for part in ARCHITECTURE:
                if run[part]:
                    cmd += [f"--{part}", str(run[part])]
            budget = f"{run['steps']} steps" if run["steps"] else f"{run['minutes']} minutes"
            print(f"{name}: training for {budget}", file=sys.stderr, flush=True)
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"error: {' '.join(cmd)} failed: {p.stderr.strip()[-500:]}")
            result = json.loads(p.stdout.strip().splitlines()[-1])
            record = {"settings": run, "params": result["params"], "steps": result["steps"],
                      "tokens": result["tokens"], "tokens_per_cpu_sec": result["tokens_per_cpu_sec"],
                      "cpu_seconds": result["cpu_seconds"], "seconds": result["seconds"],
                      "architecture": {k: result.get(k) for k in
                                       ("norm", "positions", "ffn", "ff_hidden", "biases")},
                      "precision_used": result.get("precision"), "kernel": result.get("kernel"),
                      "valid_loss": result["valid_loss"],
                      "valid_perplexity": result["valid_perplexity"]}
            with open(args.out, "a") as f:
                f.write(json.dumps(record) + "\n")
            done.append(record)
            print(f"{name}: {record['steps']} steps, {record['tokens']} tokens, valid loss "
                  f"{record['valid_loss']:.4f} (perplexity {record['valid_perplexity']:.1f})",
                  flush=True)
    rows = [r for r in done if float(r["settings"]["minutes"]) == minutes
            and int(r["settings"]["steps"]) == args.steps]
    rows.sort(key=lambda r: r["valid_loss"])
    budget = f"{args.steps} steps" if args.steps else f"{minutes:g} min"
    print(f"\n| run ({budget}) | parameters | steps | tokens | tokens/CPU-s | CPU-s | "
          f"precision | valid loss | perplexity |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        cpu = f"{r['cpu_seconds']:.0f}" if "cpu_seconds" in r else "-"
        print(f"| {describe(r['settings'])} "
              f"| {r['params']:,} | {r['steps']} | {r['tokens']:,} | {r['tokens_per_cpu_sec']:.0f} "
              f"| {cpu} | {r['precision_used']} | {r['valid_loss']:.4f} | {r['valid_perplexity']:.1f} |")


def describe(s):
    """A run's settings in a few words: d128 L4 heads 4 lr 3e-3 batch 32 context 64 [block ...]."""
    text = (f"d{s['d_model']} L{s['layers']} heads {s['heads']} lr {s['lr']} batch {s['batch']} "
            f"context {s['context']}")
    for part in ARCHITECTURE:
        value = s.get(part, "")
        if value:
            text += f" {part} {value}"
    return text


if __name__ == "__main__":
    main()
