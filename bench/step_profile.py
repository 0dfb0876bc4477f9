#!/usr/bin/python3
"""Where a training step's time goes, for each precision, in one run (perf's sampling profile).

  bench/step_profile.py [--steps 30] [--threads 2] [--data DIR] [--build DIR]
                        [--precision fp32,bf16] [--max-train-tokens 2000000]

Runs `wordspace lm-train` on the first --max-train-tokens tokens of DIR/corpus-large.txt.gz
(default ../shared/data) with the transformer bench's configuration (transformer_bench.sh:
V=20000, d=128, 4 layers, batch 32 x context 64) under `perf record`, once per precision
(bf16 only where the CPU has AVX512_BF16), and sorts the samples by the function they landed
in: matrix products (micro-kernels and packing), attention, LayerNorm and GELU, the output
softmax and cross-entropy, AdamW (with the gradient norm), thread synchronisation (the pool's
waits and the scheduler), copies (in fp32 mostly the packing of B, a memcpy), the other
element-wise ops, and the set-up before the first step (corpus reading and encoding, model
initialisation), which is reported apart: the shares are of the training time without it. Prints one
line per precision and category, then the products' share and time per step side by side.
Needs `perf` (Debian's linux-perf) and permission to sample (root, or
kernel.perf_event_paranoid <= 1).
"""
import argparse
import collections
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[1]

# First match wins; the patterns are matched against the demangled symbol of the sample.
CATEGORIES = [
    ("corpus reading", r"corpus::|Tokeniz|TextReader|Vocabulary|inflate|crc32|libz|TokenIdFile|"
                       r"EncodeText|InitRandom|hash_internal|memcmp|__cos|__sin|__log"),
    ("matrix products", r"MicroTile|GemmMicro|GemmBf16Micro|Bf16Pairs|Bf16Adjacent|PackRows12|"
                        r"Pack(A|B)|GemmBlock|Sgemm|PackedMatrix"),
    ("attention", r"Attention|CausalSoftmax"),
    ("layernorm+gelu", r"LayerNorm|Gelu"),
    ("softmax-xent", r"SoftmaxXent|CrossEntropy|Xent"),
    ("adamw+grad norm", r"AdamW|GradNorm|Clip|SumSquares"),
    ("thread sync", r"ThreadPool|sched|futex|WorkerLoop|pthread|__lll|syscall|do_sys|entry_SYSCALL"),
    ("copies", r"memmove|memcpy|memset|clear_page|page_fault|exc_page"),
]
OTHER = "other element-wise"


def profile(args, precision, work):
    data = work / f"perf.{precision}"
    cmd = [str(args.build / "wordspace"), "lm-train", "--train", str(args.data / "corpus-large.txt.gz"),
           "--out", str(work / f"{precision}.lm"), "--vocab", "20000", "--d-model", "128",
           "--layers", "4", "--heads", "4", "--context", "64", "--batch", "32",
           "--threads", str(args.threads), "--steps", str(args.steps), "--warmup", "10",
           "--max-train-tokens", str(args.max_train_tokens), "--precision", precision,
           "--json", "--quiet"]
    run = subprocess.run(["perf", "record", "-q", "-F", "2000", "-o", str(data), "--"] + cmd,
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"perf record failed ({run.returncode}): {run.stderr.strip()[-400:]}")
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    # One line per sample: its address, symbol and library ("-F sym" alone prints nothing);
    # zlib's samples have no symbol, only their library.
    script = subprocess.run(["perf", "script", "-i", str(data), "-F", "ip,sym,dso"],
                            capture_output=True, text=True, check=True).stdout
    counts = collections.Counter()
    for line in script.splitlines():
        parts = line.strip().split(None, 1)
        if not parts:
            continue
        sym = parts[1] if len(parts) > 1 else "[unknown]"
        for name, pattern in CATEGORIES:
            if re.search(pattern, sym):
                counts[name] += 1
                break
        else:
            counts[OTHER] += 1
    return counts, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data", type=pathlib.Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--build", type=pathlib.Path, default=REPO / "build")
    parser.add_argument("--precision", default="fp32,bf16")
    parser.add_argument("--max-train-tokens", type=int, default=2000000)
    args = parser.parse_args()
    if not (args.data / "corpus-large.txt.gz").exists():
        sys.exit(f"error: {args.data}/corpus-large.txt.gz not found (use --data DIR)")
    if subprocess.run(["perf", "--version"], capture_output=True).returncode != 0:
        sys.exit("error: perf not found (apt-get install linux-perf)")
    flags = open("/proc/cpuinfo").read()
    precisions = [p for p in args.precision.split(",")
                  if p != "bf16" or "avx512_bf16" in flags]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for precision in precisions:
            results[precision] = profile(args, precision, pathlib.Path(tmp))
    names = [name for name, _ in CATEGORIES[1:]] + [OTHER]
    for precision, (counts, summary) in results.items():
        total = sum(counts.values())
        train = total - counts["corpus reading"]
        step_ms = 1000 * summary["seconds"] / summary["steps"]
        print(f"{precision}: {summary['tokens_per_cpu_sec']:.0f} tokens per CPU-second, "
              f"{step_ms:.0f} ms per step (wall); kernel {summary['kernel']}; "
              f"set-up (corpus reading, init) {100 * counts['corpus reading'] / total:.1f}% of the samples, "
              f"not counted below")
        for name in names:
            print(f"  {precision} {name}: {100 * counts[name] / train:.1f}% of the training samples")
    if len(results) == 2:
        (pa, (ca, sa)), (pb, (cb, sb)) = results.items()
        ta, tb = (sum(c.values()) - c["corpus reading"] for c in (ca, cb))
        for name in names:
            # CPU time of the category per step: its share of the training samples times the
            # training CPU time lm-train reports (its steps only, without the reading).
            per_step = [1000 * s["cpu_seconds"] * c[name] / t / s["steps"]
                        for c, s, t in ((ca, sa, ta), (cb, sb, tb))]
            ratio = f" ({per_step[0] / per_step[1]:.2f}x)" if per_step[1] > 0 else ""
            print(f"{name}: {per_step[0]:.1f} CPU-ms per step {pa}, {per_step[1]:.1f} {pb}{ratio}")


if __name__ == "__main__":
    main()
