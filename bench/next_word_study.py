#!/usr/bin/python3
r"""Next-word study (issue 6): does the tiny transformer beat Kneser-Ney, and do skip-gram vectors help?

Runs, on ../shared/data by default:
  1. skip-gram vectors on the training corpus (`wordspace train`);
  2. the transformer twice with the same budget and seed (`wordspace lm-train`): token embeddings
     initialised from those vectors (pretrained) and at random; both use the vectors' first
     --vocab words as vocabulary, so every model predicts over the same ids;
  3. interpolated modified Kneser-Ney models of orders --kn-orders over that same vocabulary
     (`wordspace ngram-train --vectors`);
  4. `wordspace lm-bench` of all of them on the held-out text(s): heldout-valid while developing,
     heldout-test once at the end (--eval-on valid,test).
Prints the table (model, init, budget, top-1, top-5, perplexity, and the in-vocabulary
"known" columns) and one summary line per figure, and writes next_word_study.{md,json} plus
next_word_study.svg: the training and validation loss of both transformer runs against the step,
with the Kneser-Ney models' validation cross-entropy as horizontal lines.

Steps whose output already exists in --out-dir are reused with --reuse. The budget is a
parameter; the issue's study is --minutes 30 (the default) on 2 cores:
  bench/next_word_study.py --out-dir study                                  # develop on valid
  bench/next_word_study.py --out-dir study --reuse --eval-on valid,test      # final: test once
A quick end-to-end check (about 10 minutes on a busy 2-core machine), on the first 1500 lines
of the held-out texts:
  zcat ../shared/data/heldout-valid.txt.gz | head -1500 | gzip > /tmp/valid-head.txt.gz
  zcat ../shared/data/heldout-test.txt.gz | head -1500 | gzip > /tmp/test-head.txt.gz
  bench/next_word_study.py --minutes 1.5 --sgns-epochs 1 --eval-every 20 --out-dir /tmp/nws \
      --valid /tmp/valid-head.txt.gz --test /tmp/test-head.txt.gz --eval-on valid,test
"""
import argparse
import json
import math
import os
import resource
import shlex
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, log_path, capture_stdout=False):
    """Runs cmd, stderr to log_path (and stdout too unless captured); returns (stdout, wall, cpu)."""
    log("$ " + " ".join(shlex.quote(c) for c in cmd))
    t0, c0 = time.time(), children_cpu()
    with open(log_path, "w") as err:
        p = subprocess.run(cmd, stdout=subprocess.PIPE if capture_stdout else err, stderr=err,
                           text=True)
    wall, cpu = time.time() - t0, children_cpu() - c0
    if p.returncode != 0:
        with open(log_path) as f:
            tail = f.read()[-3000:]
        sys.exit(f"error: {cmd[1]} failed with exit {p.returncode}; log {log_path}:\n{tail}")
    return (p.stdout if capture_stdout else None), wall, cpu


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in the output")


def ensure_binary(args):
    if args.bin:
        return args.bin
    binary = os.path.join(args.build_dir, "wordspace")
    if not os.path.exists(binary):
        log(f"building {binary} (Release)")
        subprocess.run(["cmake", "-S", REPO, "-B", args.build_dir, "-DCMAKE_BUILD_TYPE=Release"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", args.build_dir, "-j", str(os.cpu_count() or 2),
                        "--target", "wordspace"], check=True, stdout=subprocess.DEVNULL)
    return binary


def svg_loss_curves(runs, kn_lines, title):
    """runs: {label: [(step, train_loss, valid_loss)]}; kn_lines: {label: cross-entropy}."""
    W, H, L, R, T, B = 760, 460, 70, 200, 40, 55
    pts = [(s, v) for curve in runs.values() for (s, tr, va) in curve for v in (tr, va)
           if v is not None and math.isfinite(v)]
    ys = [v for _, v in pts] + list(kn_lines.values())
    if not pts:
        pts, ys = [(0, 0.0), (1, 1.0)], [0.0, 1.0]
    def nice_step(span, n=5):
        raw = span / n
        mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
        return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)

    xstep = nice_step(max(s for s, _ in pts) or 1)
    xmax = xstep * math.ceil((max(s for s, _ in pts) or 1) / xstep)
    ystep = nice_step(max(max(ys) - min(ys), 0.5))
    ylo, yhi = ystep * math.floor(min(ys) / ystep), ystep * math.ceil(max(ys) / ystep)
    if yhi <= ylo:
        yhi = ylo + ystep

    def X(s):
        return L + (W - L - R) * s / xmax

    def Y(v):
        return T + (H - T - B) * (yhi - v) / (yhi - ylo)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{L}" y="22" font-size="15">{title}</text>']
    # Axes and grid.
    for i in range(int(round((yhi - ylo) / ystep)) + 1):
        v = ylo + ystep * i
        out.append(f'<line x1="{L}" y1="{Y(v):.1f}" x2="{W - R}" y2="{Y(v):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{L - 8}" y="{Y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
    for i in range(int(round(xmax / xstep)) + 1):
        s = xstep * i
        out.append(f'<line x1="{X(s):.1f}" y1="{T}" x2="{X(s):.1f}" y2="{H - B}" stroke="#eee"/>')
        out.append(f'<text x="{X(s):.1f}" y="{H - B + 18}" text-anchor="middle">{s:g}</text>')
    out.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#444"/>')
    out.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 12}" text-anchor="middle">training step</text>')
    out.append(f'<text x="16" y="{(T + H - B) / 2:.0f}" text-anchor="middle" '
               f'transform="rotate(-90 16 {(T + H - B) / 2:.0f})">loss (nats per token)</text>')
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    legend = []
    for i, (label, curve) in enumerate(runs.items()):
        c = colors[i % len(colors)]
        for kind, idx, dash in (("train", 1, "4 3"), ("valid", 2, "")):
            p = [(s, x[idx]) for x in curve for s in [x[0]]
                 if x[idx] is not None and math.isfinite(x[idx])]
            if not p:
                continue
            d = " ".join(f"{X(s):.1f},{Y(v):.1f}" for s, v in p)
            out.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="2"'
                       + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
            if kind == "valid":
                for s, v in p:
                    out.append(f'<circle cx="{X(s):.1f}" cy="{Y(v):.1f}" r="2.5" fill="{c}"/>')
            legend.append((f"{label} {kind}", c, dash))
    for j, (label, ce) in enumerate(kn_lines.items()):
        c = ["#7f7f7f", "#bcbd22", "#8c564b", "#17becf"][j % 4]
        out.append(f'<line x1="{L}" y1="{Y(ce):.1f}" x2="{W - R}" y2="{Y(ce):.1f}" stroke="{c}" '
                   f'stroke-width="1.5" stroke-dasharray="2 3"/>')
        legend.append((f"{label} valid", c, "2 3"))
    for k, (label, c, dash) in enumerate(legend):
        y = T + 10 + 20 * k
        out.append(f'<line x1="{W - R + 12}" y1="{y}" x2="{W - R + 40}" y2="{y}" stroke="{c}" '
                   f'stroke-width="2"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        out.append(f'<text x="{W - R + 46}" y="{y + 4}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def first_step_reaching(curve, target):
    for step, _, valid in curve:
        if valid is not None and valid <= target:
            return step
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.split("\n")[1:]))
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--corpus", help="training corpus (default DATA/corpus-large.txt.gz)")
    ap.add_argument("--valid", help="default DATA/heldout-valid.txt.gz")
    ap.add_argument("--test", help="default DATA/heldout-test.txt.gz")
    ap.add_argument("--eval-on", default="valid",
                    help="comma list of valid,test: which held-out texts lm-bench scores "
                         "(test once, at the end)")
    ap.add_argument("--minutes", type=float, default=30.0,
                    help="training budget of each transformer run, in training minutes")
    ap.add_argument("--steps", type=int, default=0,
                    help="a step budget instead of --minutes (reproducible)")
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=20000)
    ap.add_argument("--dim", type=int, default=128, help="skip-gram dimension (= d_model: no projection)")
    ap.add_argument("--sgns-epochs", type=int, default=5)
    ap.add_argument("--kn-orders", default="3,5")
    ap.add_argument("--eval-every", type=int, default=200,
                    help="steps between the transformer's validation passes (the loss curve)")
    ap.add_argument("--max-train-tokens", type=int, default=0,
                    help="transformer only: first N tokens of the corpus (0: all)")
    ap.add_argument("--lm-args", default="", help="extra options for both lm-train runs")
    ap.add_argument("--out-dir", default="next_word_study")
    ap.add_argument("--reuse", action="store_true", help="keep outputs that already exist")
    ap.add_argument("--bin", help="wordspace binary (default: BUILD_DIR/wordspace, built if missing)")
    ap.add_argument("--build-dir", default=os.path.join(REPO, "build"))
    a = ap.parse_args()

    data = os.path.abspath(a.data)
    corpus = a.corpus or os.path.join(data, "corpus-large.txt.gz")
    texts = {"valid": a.valid or os.path.join(data, "heldout-valid.txt.gz"),
             "test": a.test or os.path.join(data, "heldout-test.txt.gz")}
    splits = [s.strip() for s in a.eval_on.split(",") if s.strip()]
    for s in splits:
        if s not in texts:
            sys.exit(f"error: --eval-on takes valid and/or test, not {s!r}")
    for p in [corpus] + [texts[s] for s in splits] + [texts["valid"]]:
        if not os.path.exists(p):
            sys.exit(f"error: {p}: no such file (see --data)")
    os.makedirs(a.out_dir, exist_ok=True)
    out = os.path.abspath(a.out_dir)
    ws = ensure_binary(a)
    budget = f"{a.steps} steps" if a.steps else f"{a.minutes:g} min"
    timings = {}

    def path(name):
        return os.path.join(out, name)

    def fresh(p):
        return not (a.reuse and os.path.exists(p))

    # 1. Skip-gram vectors.
    vectors = path("vectors.bin")
    if fresh(vectors):
        _, w, c = run([ws, "train", "--input", corpus, "--output", vectors, "--dim", str(a.dim),
                       "--epochs", str(a.sgns_epochs), "--threads", str(a.threads),
                       "--seed", str(a.seed)], path("train_vectors.log"))
        timings["skip-gram"] = {"wall_s": w, "cpu_s": c}

    # 2. Kneser-Ney models over the vectors' first --vocab words.
    kn_models = {}
    for order in [int(x) for x in a.kn_orders.split(",") if x.strip()]:
        m = path(f"kn{order}.bin")
        kn_models[f"KN-{order}"] = m
        if fresh(m):
            stdout, w, c = run([ws, "ngram-train", "--train", corpus, "--order", str(order),
                                "--vectors", vectors, "--vocab-size", str(a.vocab), "--out", m,
                                "--json"], path(f"kn{order}.log"), capture_stdout=True)
            timings[f"KN-{order}"] = {"wall_s": w, "cpu_s": c, **last_json_line(stdout)}

    # 3. The transformer, pretrained and random init, same budget and seed.
    runs = {}
    for init in ("pretrained", "random"):
        ckpt = path(f"lm_{init}.lm")
        info_path = path(f"lm_{init}.json")
        if fresh(ckpt) or not os.path.exists(info_path):
            cmd = [ws, "lm-train", "--train", corpus, "--valid", texts["valid"],
                   "--embeddings", vectors, "--init", init, "--vocab", str(a.vocab),
                   "--d-model", str(a.dim), "--seed", str(a.seed), "--threads", str(a.threads),
                   "--eval-every", str(a.eval_every), "--out", ckpt, "--json",
                   # lm-bench scores the whole text; lm-train's own final pass need not.
                   "--final-eval-tokens", "20000"]
            cmd += ["--steps", str(a.steps)] if a.steps else ["--minutes", str(a.minutes)]
            if a.max_train_tokens:
                cmd += ["--max-train-tokens", str(a.max_train_tokens)]
            cmd += shlex.split(a.lm_args)
            stdout, w, c = run(cmd, path(f"lm_{init}.log"), capture_stdout=True)
            info = last_json_line(stdout)
            info.update(wall_s=w, cpu_s=c)
            with open(info_path, "w") as f:
                json.dump(info, f, indent=1)
        with open(info_path) as f:
            runs[init] = json.load(f)
        timings[f"transformer-{init}"] = {k: runs[init].get(k) for k in
                                          ("wall_s", "cpu_s", "steps", "tokens", "tokens_per_sec")}

    # 4. lm-bench of everything on the chosen held-out texts (plus valid for the KN curve lines).
    models = [(f"transformer ({i})", path(f"lm_{i}.lm"), i) for i in ("pretrained", "random")]
    models += [(name, m, "-") for name, m in kn_models.items()]
    bench_texts = [texts[s] for s in splits]
    cmd = [ws, "lm-bench", "--threads", str(a.threads), "--json", "--quiet"]
    for name, m, _ in models:
        cmd += ["--model", m, "--name", name]
    for t in bench_texts:
        cmd += ["--text", t]
    stdout, w, c = run(cmd, path("lm_bench.log"), capture_stdout=True)
    timings["lm-bench"] = {"wall_s": w, "cpu_s": c}
    bench = json.loads(stdout)
    split_of = {texts[s]: s for s in splits}
    init_of = {name: init for name, _, init in models}

    rows = []
    for r in bench:
        name = r["model"]
        is_lm = name.startswith("transformer")
        rows.append(dict(model=name, init=init_of[name], budget=budget if is_lm else "-",
                         split=split_of[r["input"]], **{k: r[k] for k in (
                             "tokens", "top1", "top5", "perplexity", "known_tokens", "top1_known",
                             "top5_known", "perplexity_known", "oov_rate", "window", "stride")}))

    # Curves and the two goals.
    curves = {}
    for init, info in runs.items():
        c = [(p["step"], p["train_loss"], p["valid_loss"]) for p in info.get("curve", [])]
        # The end of the run: its final training loss and (20000 targets spread over the file, as
        # the periodic passes) validation loss.
        end = info.get("total_steps", info.get("steps"))
        if end and (not c or c[-1][0] < end):
            c.append((end, info.get("final_loss"), info.get("valid_loss")))
        curves[init] = c
    kn_valid_ce = {r["model"]: math.log(r["perplexity"]) for r in rows
                   if r["split"] == "valid" and r["init"] == "-"}
    goals = {}
    rc = curves.get("random", [])
    if rc and rc[-1][2] is not None:
        target = rc[-1][2]
        reach = first_step_reaching(curves.get("pretrained", []), target)
        goals["random_final_valid_loss"] = target
        goals["random_steps"] = rc[-1][0]
        goals["pretrained_steps_to_reach_it"] = reach
        goals["pretrained_within_half_the_steps"] = reach is not None and reach <= rc[-1][0] / 2
    for split in splits:
        sr = [r for r in rows if r["split"] == split]
        kn = [r for r in sr if r["init"] == "-"]
        lm = [r for r in sr if r["init"] != "-"]
        if kn and lm:
            best_kn_ppl = min(kn, key=lambda r: r["perplexity"])
            best_kn_top1 = max(kn, key=lambda r: r["top1"])
            best_lm = min(lm, key=lambda r: r["perplexity"])
            goals[f"{split}_transformer_beats_best_kn"] = (
                best_lm["perplexity"] < best_kn_ppl["perplexity"] and
                max(r["top1"] for r in lm) > best_kn_top1["top1"])

    # Table.
    head = ["model", "init", "budget", "split", "tokens", "oov %", "top-1 %", "top-5 %", "perplexity",
            "top-1 known %", "top-5 known %", "perplexity known"]
    body = [[r["model"], r["init"], r["budget"], r["split"], str(r["tokens"]),
             f"{100 * r['oov_rate']:.2f}", f"{100 * r['top1']:.2f}", f"{100 * r['top5']:.2f}",
             f"{r['perplexity']:.1f}", f"{100 * r['top1_known']:.2f}",
             f"{100 * r['top5_known']:.2f}", f"{r['perplexity_known']:.1f}"] for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    print("  ".join(h.ljust(widths[i]) for i, h in enumerate(head)))
    for b in body:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(b)))
    for r in rows:
        print(f"{r['split']} {r['model']}: perplexity {r['perplexity']:.2f}, top-1 "
              f"{100 * r['top1']:.2f}%, top-5 {100 * r['top5']:.2f}%, perplexity_known "
              f"{r['perplexity_known']:.2f}, top-1 known {100 * r['top1_known']:.2f}%")
    for init in runs:
        ri = runs[init]
        print(f"transformer ({init}): {ri.get('steps')} steps, {ri.get('tokens')} tokens, "
              f"{ri.get('tokens_per_sec', 0):.0f} tokens/s, final train loss "
              f"{ri.get('final_loss', float('nan')):.3f}")
    for k, v in goals.items():
        print(f"goal {k}: {v}")

    md = [f"# Next-word study\n",
          f"Training corpus `{os.path.basename(corpus)}`; vocabulary: the first {a.vocab} words of "
          f"the skip-gram vectors plus `<unk>` and `</s>`; transformer budget {budget} per run on "
          f"{a.threads} threads, seed {a.seed}. Metrics from `wordspace lm-bench`: targets are every "
          f"token after the first (line ends included); *all* counts `<unk>` as a word, *known* "
          f"skips `<unk>` targets and renormalises over the other words.\n",
          "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    md += ["| " + " | ".join(b) + " |" for b in body]
    md.append("")
    if goals:
        md.append("Goals: " + "; ".join(f"{k} = {v}" for k, v in goals.items()) + "\n")
    md.append("Loss curves: `next_word_study.svg`.\n")
    with open(path("next_word_study.md"), "w") as f:
        f.write("\n".join(md))
    with open(path("next_word_study.json"), "w") as f:
        json.dump(dict(corpus=corpus, texts={s: texts[s] for s in splits}, budget=budget,
                       seed=a.seed, threads=a.threads, vocab=a.vocab, rows=rows, goals=goals,
                       curves={k: [dict(step=s, train_loss=t, valid_loss=v) for s, t, v in c]
                               for k, c in curves.items()},
                       timings=timings), f, indent=1)
    with open(path("next_word_study.svg"), "w") as f:
        f.write(svg_loss_curves({f"{k} init": c for k, c in curves.items()}, kn_valid_ce,
                                f"Transformer loss, pretrained vs random init ({budget})"))
    log(f"wrote {path('next_word_study.md')}, .json and .svg")


if __name__ == "__main__":
    main()
