#!/usr/bin/python3
"""PyTorch-eager twin of org.deqnc.bench.DeqStepBenchmark: the same DEQ and MLP training steps.

DEQ: 784 -> tanh cell f(z) = tanh(z W^T + x U^T + b), hidden 256 -> 10 classes, batch 128, float32,
Anderson (type II, m=5, relative Tikhonov lam=1e-4 * mean ||g_i||^2, per-sample lowest-residual
iterate, rel tol 1e-4, max 30 iterations), backward either implicit (adjoint fixed point
u = u J + dL/dz* solved by the same Anderson, then f(z*).backward(u)) or JFB (one tracked step of f
from z*). MLPs 784-256-10 and 784-256-256-10 (tanh). Adam lr 1e-3, cross-entropy.

Reads the data and initial weights the Java run wrote with export=<dir> (x.npy, y.npy,
<model>_<i>.npy), so both sides start from the same numbers. Prints BENCH lines:
  BENCH name=<id>_pytorch median_ms=<x> spread_ms=<max-min> repeats=<n> [key=value ...]

Usage: deq_torch.py [data=<dir>, default out/bench/share] [init=<dir>, default data] [threads=N] [repeats=5] [steps=50] [warmup=20] [seed=1]
       [models=all | comma-separated model ids, e.g. deq_step_implicit,mlp3_step]
"""
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

BATCH, INPUT, HIDDEN, CLASSES = 128, 784, 256, 10
M, LAM, TOL, MAX_ITER = 5, 1e-4, 1e-4, 30
SHARED_DIR = "out/bench/share"  # DeqStepBenchmark's default export=, relative to the repository root
DEFAULTS = {"data": SHARED_DIR, "init": None, "threads": 0, "repeats": 5, "steps": 50, "warmup": 20, "seed": 1, "models": "all"}


def key_values(script, argv, defaults):
    """key=value arguments over `defaults` (shared by the twins); a value is an int where its default is one."""
    args = dict(defaults)
    for token in argv:
        key, sep, value = token.partition("=")
        if not sep or key not in defaults:
            sys.exit(f"{script}: unknown argument '{token}'; accepted keys: {', '.join(defaults)} (key=value)")
        try:
            args[key] = int(value) if isinstance(defaults[key], int) else value
        except ValueError:
            sys.exit(f"{script}: {key}: must be a whole number, got '{value}'")
    return args


def parse_args(argv):
    args = key_values("deq_torch.py", argv, DEFAULTS)
    if not os.path.isfile(os.path.join(args["data"], "x.npy")):
        sys.exit(f"deq_torch.py: data: no x.npy in '{args['data']}'; run DeqStepBenchmark first (it writes its data "
                 f"and initial weights to export=<dir>, default {SHARED_DIR})")
    args["init"] = args["init"] or args["data"]
    return args


def load(directory, name):
    return torch.from_numpy(np.load(f"{directory}/{name}.npy"))


def anderson(f, x0, absolute_lam=False, tol=TOL, max_iter=MAX_ITER, m=M, lam=LAM):
    """Fixed point of f from x0 (batch, d); returns (lowest-residual iterate per sample, iterations).

    The same algorithm as org.deqnc.solver.HostAnderson, written for PyTorch's CPU eager mode: per iteration
    f plus ~25 small ops and one host read. Every product over the window is an elementwise multiply and a sum:
    torch 1.13's batched bmm of (128, 5, 256) by (128, 256, 1) takes ~220 us here, the multiply-sum ~28 us;
    GG^T grows by one row per iteration instead of being recomputed; the 128 5x5 systems go to one batched
    linalg.solve (~70 us; linalg.inv of the same batch, which the first version of this twin used, ~560 us).
    absolute_lam: lam itself, as TorchDEQ's default, instead of lam times the window's mean ||g_i||^2. Stops when
    every sample's ||f(x) - x|| / ||f(x)|| < tol (stop_mode=rel) or after max_iter evaluations.
    """
    b, d = x0.shape
    g_win = x0.new_zeros(b, m, d)
    f_win = x0.new_zeros(b, m, d)
    ggt = x0.new_zeros(b, m, m)
    eye = torch.eye(m, dtype=x0.dtype)
    ones = x0.new_ones(b, m, 1)
    best = x0
    lowest = torch.full((b,), float("inf"), dtype=x0.dtype)
    x = x0
    for k in range(max_iter):
        s, n = k % m, min(k + 1, m)
        fx = f(x)
        g = torch.sub(fx, x, out=g_win[:, s])
        f_win[:, s] = fx
        row = (g_win[:, :n] * g.unsqueeze(1)).sum(2)  # <g_j, g_s> for the n filled slots
        ggt[:, s, :n] = row
        ggt[:, :n, s] = row
        rel = row[:, s].sqrt() / (torch.linalg.vector_norm(fx, dim=1) + 1e-9)
        improved = rel < lowest
        best = torch.where(improved.unsqueeze(1), x, best)
        lowest = torch.minimum(rel, lowest)
        if rel.max().item() < tol:  # the one host read per iteration, as on the Java side
            return best, k + 1
        if n == 1:
            x = fx
            continue
        h = ggt[:, :n, :n]
        if absolute_lam:
            reg = lam * eye[:n, :n]
        else:  # lam times the mean of the window's ||g_i||^2, per sample
            mean_sq = torch.diagonal(h, dim1=1, dim2=2).sum(1) * (lam / n)
            reg = mean_sq.clamp_min(1e-30).view(b, 1, 1) * eye[:n, :n]
        w = torch.linalg.solve(h + reg, ones[:, :n])  # (b, n, 1)
        x = (f_win[:, :n] * (w / w.sum(1, keepdim=True))).sum(1)
    return best, max_iter


def solver_cell(w, inj):
    """f(z) = tanh(z W^T + inj) for the solver (no gradient) as 2 sigmoid(2 a) - 1: this build's CPU tanh takes
    ~80 us on (128, 256) against ~30 us for sigmoid (the Java side uses the same identity); four ops per call."""
    w2t, inj2 = 2 * w.t(), 2 * inj
    return lambda z: torch.addmm(inj2, z, w2t).sigmoid_().mul_(2).sub_(1)


class Deq(torch.nn.Module):
    def __init__(self, init, implicit, absolute_lam=False):
        super().__init__()
        names = ["W", "U", "b", "head_w", "head_b"]
        for i, name in enumerate(names):
            self.register_parameter(name, torch.nn.Parameter(load(init, f"deq_{i}").clone()))
        self.implicit = implicit
        self.absolute_lam = absolute_lam
        self.iters = (0, 0)
        self.solve_ms = 0.0

    def step_loss(self, x, y):
        """Forward and backward of one step; parameter .grad filled on return."""
        inj = F.linear(x, self.U, self.b)
        t0 = time.perf_counter()
        with torch.no_grad():
            zstar, fwd = anderson(solver_cell(self.W, inj), x.new_zeros(x.shape[0], HIDDEN), self.absolute_lam)
        self.solve_ms = (time.perf_counter() - t0) * 1e3
        fz = torch.tanh(F.linear(zstar, self.W) + inj)  # one tracked step of f from the fixed point
        if not self.implicit:  # JFB: the gradient through that step only
            loss = F.cross_entropy(F.linear(fz, self.head_w, self.head_b), y)
            loss.backward()
            self.iters = (fwd, 0)
            return loss
        leaf = zstar.detach().requires_grad_()
        loss = F.cross_entropy(F.linear(leaf, self.head_w, self.head_b), y)
        loss.backward()  # the head's gradients and dL/dz*
        grad = leaf.grad
        with torch.no_grad():
            d = 1 - fz * fz
            w = self.W.detach()
            # adjoint fixed point u = u J + dL/dz*, with u J = (u * tanh') W: two ops per evaluation
            u, bwd = anderson(lambda v: torch.addmm(grad, v * d, w), grad, self.absolute_lam)
        fz.backward(u)
        self.iters = (fwd, bwd)
        return loss


def mlp(init, name, layers):
    mods = []
    for i in range(layers):
        lin = torch.nn.Linear(1, 1)
        lin.weight = torch.nn.Parameter(load(init, f"{name}_{2 * i}").clone())
        lin.bias = torch.nn.Parameter(load(init, f"{name}_{2 * i + 1}").clone())
        mods += [lin, torch.nn.Tanh()]
    return torch.nn.Sequential(*mods[:-1])


class Explicit(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.iters = None

    def step_loss(self, x, y):
        loss = F.cross_entropy(self.net(x), y)
        loss.backward()
        return loss


def median(v):
    return float(np.median(v))


def main(argv):
    args = parse_args(argv)
    if args["threads"] > 0:
        torch.set_num_threads(args["threads"])
    torch.manual_seed(args["seed"])
    x_all = load(args["data"], "x")
    y_all = load(args["data"], "y").long()
    if x_all.ndim != 2 or x_all.shape[1] != INPUT or y_all.shape != (x_all.shape[0],):
        sys.exit(f"deq_torch.py: data: expected x (N, {INPUT}) and y (N), got {tuple(x_all.shape)} and "
                 f"{tuple(y_all.shape)}")
    batches = [(x_all[i:i + BATCH], y_all[i:i + BATCH]) for i in range(0, x_all.shape[0] - BATCH + 1, BATCH)]
    init = args["init"]
    models = {"deq_step_implicit": Deq(init, True), "deq_step_jfb": Deq(init, False),
              "mlp_step": Explicit(mlp(init, "mlp", 2)), "mlp3_step": Explicit(mlp(init, "mlp3", 3)),
              # TorchDEQ's default regularisation (absolute lam = 1e-4), to show what the relative one saves
              "deq_step_implicit_abslam": Deq(init, True, absolute_lam=True)}
    # foreach: one multi-tensor kernel per Adam op over all parameters instead of one per parameter
    if args["models"] != "all":
        chosen = args["models"].split(",")
        unknown = [m for m in chosen if m not in models]
        if unknown:
            sys.exit(f"deq_torch.py: models: unknown {', '.join(unknown)}; accepted: all or a comma-separated "
                     f"list of {', '.join(models)}")
        models = {k: models[k] for k in chosen}
    optims = {k: torch.optim.Adam(m.parameters(), lr=1e-3, foreach=True) for k, m in models.items()}
    print(f"# torch {torch.__version__}; intra-op threads {torch.get_num_threads()}; {args}")

    repeats, steps = args["repeats"], args["steps"]
    wall = {k: [] for k in models}
    cpu = {k: [] for k in models}
    iters = {k: [0, 0] for k in models}
    solve_ms, solve_gflops = [], []
    cursor = 0

    def one_step(name):
        nonlocal cursor
        x, y = batches[cursor % len(batches)]
        cursor += 1
        t0, c0 = time.perf_counter(), time.thread_time()
        optims[name].zero_grad(set_to_none=True)
        models[name].step_loss(x, y)
        optims[name].step()
        return (time.perf_counter() - t0) * 1e3, (time.thread_time() - c0) * 1e3

    for r in range(repeats):  # interleaved like the Java side, so load drifts hit every model alike
        for name, model in models.items():
            for _ in range(args["warmup"] if r == 0 else 0):
                one_step(name)
            ms, cms, solve, gflops = [], [], [], []
            for _ in range(steps):
                w, c = one_step(name)
                ms.append(w)
                cms.append(c)
                if model.iters:
                    iters[name][0] += model.iters[0]
                    iters[name][1] += model.iters[1]
                    solve.append(model.solve_ms)
                    # one f evaluation per iteration; a median over the solves, as DeqStepBenchmark takes
                    gflops.append(2.0 * BATCH * HIDDEN * HIDDEN * model.iters[0] / (model.solve_ms * 1e6))
            wall[name].append(median(ms))
            cpu[name].append(median(cms))
            if name == "deq_step_implicit":
                solve_ms.append(median(solve))
                solve_gflops.append(median(gflops))
    for name in models:
        extra = f" cpu_ms={median(cpu[name]):.4g}"
        if name.startswith("deq"):
            extra += f" iters={iters[name][0] / (repeats * steps):.3f}"
        if name.startswith("deq_step_implicit"):
            extra += f" bwd_iters={iters[name][1] / (repeats * steps):.3f}"
        print(bench(f"{name}_pytorch", wall[name], f"impl=pytorch steps={steps}{extra}"))
    if solve_ms:
        implicit_iters = iters["deq_step_implicit"][0] / (repeats * steps)
        print(bench("deq_forward_solve_pytorch", solve_ms,
                    f"impl=pytorch gflops={median(solve_gflops):.4g} iters={implicit_iters:.3f}"))
    print(matmul(repeats))


def matmul(repeats):
    """A plain (128x256)(256x256) matmul: per repeat the median of 200 products."""
    z = torch.randn(BATCH, HIDDEN)
    w = torch.randn(HIDDEN, HIDDEN)
    mm = []
    for _ in range(repeats):
        t = []
        for _ in range(200):
            t0 = time.perf_counter()
            z.matmul(w)
            t.append((time.perf_counter() - t0) * 1e3)
        mm.append(median(t))
    return bench("matmul_pytorch", mm, f"impl=pytorch gflops={2.0 * BATCH * HIDDEN * HIDDEN / (median(mm) * 1e6):.4g}")


def bench(name, samples, extra):
    return (f"BENCH name={name} median_ms={median(samples):.4f} spread_ms={max(samples) - min(samples):.4f} "
            f"repeats={len(samples)} {extra}")


if __name__ == "__main__":
    main(sys.argv[1:])
