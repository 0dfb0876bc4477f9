#!/usr/bin/python3
"""Writes the golden fixtures of tests/transformer/golden_test.cc from the PyTorch reference.

The model is the GPT class of ../shared/bench/torch_tiny_lm.py (imported from that file, so the
architecture is exactly the reference's), at a tiny size, with PyTorch's own init under a fixed
seed. For a fixed batch the fixture stores the logits, the mean cross-entropy loss and every
parameter gradient; then it runs torch_tiny_lm.py's training step (AdamW with its two weight-decay
groups, clip_grad_norm_, warmup + cosine learning rate) for 10 steps on 10 stored batches and
stores each step's loss, gradient norm and the final parameters.

Usage (needs python3-torch; the C++ test does not):
  bench/transformer_golden.py [--reference ../shared/bench/torch_tiny_lm.py] [--out tests/data]

Format (little-endian), read by golden_test.cc:
  magic "WSGOLDEN", u32 version 1
  i32 V, T, C, L, NH, tied, B, steps
  f64 lr, min_lr_frac, warmup, weight_decay, beta1, beta2, eps, clip
  i32 inputs[steps][B*T], targets[steps][B*T]     (batch 0 is the fixed batch)
  f32 params: wte wpe ln1w ln1b qkvw qkvb attprojw attprojb ln2w ln2b fcw fcb fcprojw fcprojb
      lnfw lnfb [head if untied], each flattened, layers stacked (wordspace's layout)
  f32 logits[B*T*V], f32 loss
  f32 grads, same order as params
  f32 step_loss[steps], f32 grad_norm[steps]
  f32 final params, same order
"""
import argparse
import importlib.util
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def load_reference(path):
    spec = importlib.util.spec_from_file_location("torch_tiny_lm", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def tensors_in_order(model, L, tied):
    b = model.blocks
    out = [model.wte.weight, model.wpe.weight]
    out.append(torch.stack([b[l].ln1.weight for l in range(L)]))
    out.append(torch.stack([b[l].ln1.bias for l in range(L)]))
    out.append(torch.stack([b[l].qkv.weight for l in range(L)]))
    out.append(torch.stack([b[l].qkv.bias for l in range(L)]))
    out.append(torch.stack([b[l].proj.weight for l in range(L)]))
    out.append(torch.stack([b[l].proj.bias for l in range(L)]))
    out.append(torch.stack([b[l].ln2.weight for l in range(L)]))
    out.append(torch.stack([b[l].ln2.bias for l in range(L)]))
    out.append(torch.stack([b[l].fc.weight for l in range(L)]))
    out.append(torch.stack([b[l].fc.bias for l in range(L)]))
    out.append(torch.stack([b[l].fcproj.weight for l in range(L)]))
    out.append(torch.stack([b[l].fcproj.bias for l in range(L)]))
    out += [model.lnf.weight, model.lnf.bias]
    if not tied:
        out.append(model.head.weight)
    return out


def grads_in_order(model, L, tied):
    b = model.blocks
    g = lambda p: p.grad if p.grad is not None else torch.zeros_like(p)
    out = [g(model.wte.weight), g(model.wpe.weight)]
    for name in ("ln1.weight", "ln1.bias", "qkv.weight", "qkv.bias", "proj.weight", "proj.bias",
                 "ln2.weight", "ln2.bias", "fc.weight", "fc.bias", "fcproj.weight", "fcproj.bias"):
        mod, attr = name.split(".")
        out.append(torch.stack([g(getattr(getattr(b[l], mod), attr)) for l in range(L)]))
    out += [g(model.lnf.weight), g(model.lnf.bias)]
    if not tied:
        out.append(g(model.head.weight))
    return out


def floats(ts):
    return b"".join(t.detach().contiguous().view(-1).float().numpy().tobytes() for t in ts)


def write_fixture(ref, path, V, T, C, L, NH, tied, B, steps, seed):
    torch.manual_seed(seed)
    model = ref.GPT(V, C, L, NH, T, tied)
    # Wider than the default init so that the test sees non-trivial activations and gradients.
    with torch.no_grad():
        for n, p in model.named_parameters():
            if p.dim() >= 2:
                p.mul_(10.0)
            elif n.endswith("bias"):
                p.normal_(0.0, 0.1)
            else:
                p.add_(torch.randn_like(p) * 0.1)
    lr, min_lr_frac, warmup, wd, beta1, beta2, eps, clip = 1e-2, 0.1, 3, 0.1, 0.9, 0.95, 1e-8, 0.5
    g = torch.Generator().manual_seed(seed + 1)
    xs = torch.randint(V, (steps, B, T), generator=g)
    ys = torch.randint(V, (steps, B, T), generator=g)

    params0 = floats(tensors_in_order(model, L, tied))
    logits = model(xs[0])
    loss = F.cross_entropy(logits.view(-1, V), ys[0].view(-1))
    model.zero_grad()
    loss.backward()
    grads0 = floats(grads_in_order(model, L, tied))

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    nodecay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": wd},
                             {"params": nodecay, "weight_decay": 0.0}],
                            lr=lr, betas=(beta1, beta2), eps=eps)

    def lr_at(step, frac):  # torch_tiny_lm.py's schedule
        if step < warmup:
            return lr * (step + 1) / warmup
        return lr * (min_lr_frac + (1 - min_lr_frac) * 0.5 * (1 + math.cos(math.pi * min(frac, 1.0))))

    step_losses, norms = [], []
    for step in range(steps):
        for gr in opt.param_groups:
            gr["lr"] = lr_at(step, step / steps)
        l = F.cross_entropy(model(xs[step]).view(-1, V), ys[step].view(-1))
        opt.zero_grad(set_to_none=True)
        l.backward()
        n = torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        step_losses.append(l.item())
        norms.append(float(n))
    params1 = floats(tensors_in_order(model, L, tied))

    with open(path, "wb") as f:
        f.write(b"WSGOLDEN")
        f.write(struct.pack("<I", 1))
        f.write(struct.pack("<8i", V, T, C, L, NH, int(tied), B, steps))
        f.write(struct.pack("<8d", lr, min_lr_frac, warmup, wd, beta1, beta2, eps, clip))
        f.write(xs.to(torch.int32).numpy().tobytes())
        f.write(ys.to(torch.int32).numpy().tobytes())
        f.write(params0)
        f.write(logits.detach().float().contiguous().numpy().tobytes())
        f.write(struct.pack("<f", loss.item()))
        f.write(grads0)
        f.write(struct.pack(f"<{steps}f", *step_losses))
        f.write(struct.pack(f"<{steps}f", *norms))
        f.write(params1)
    print(f"wrote {path}: {os.path.getsize(path)} bytes; loss {loss.item():.6f}, "
          f"step losses {', '.join(f'{x:.4f}' for x in step_losses)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", default=os.path.join(HERE, "..", "..", "shared", "bench",
                                                        "torch_tiny_lm.py"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "tests", "data"))
    a = ap.parse_args()
    torch.set_num_threads(1)
    ref = load_reference(a.reference)
    write_fixture(ref, os.path.join(a.out, "transformer_golden_tied.bin"),
                  V=20, T=8, C=16, L=2, NH=2, tied=True, B=3, steps=10, seed=7)
    write_fixture(ref, os.path.join(a.out, "transformer_golden_untied.bin"),
                  V=13, T=6, C=8, L=1, NH=2, tied=False, B=2, steps=10, seed=11)


if __name__ == "__main__":
    main()
