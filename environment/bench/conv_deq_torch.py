#!/usr/bin/python3
"""PyTorch-eager twin of org.deqnc.bench.ConvDeqStepBenchmark: one training step of a convolutional DEQ cell.

f(z) = tanh(W * z + U * x + b) on (32, 16, 32, 32) states (3x3 kernels, padding 1), Anderson on the flattened
state (deq_torch.anderson: m=5, relative Tikhonov lam=1e-4, rel tol 1e-3, at most 30 iterations), implicit
backward (adjoint fixed point u = u J + dL/dz* by the same Anderson, u J by autograd), global average pooling,
linear classifier, cross-entropy, Adam lr 1e-3 (foreach). Reads the images, labels and initial weights the Java
run wrote (export=, default out/bench/conv). Prints
  BENCH name=conv_deq_step_pytorch median_ms=<x> spread_ms=<max-min> repeats=<n> iters=<fwd> bwd_iters=<bwd>

Usage: conv_deq_torch.py [data=out/bench/conv] [steps=10] [warmup=3] [repeats=3] [threads=N]
"""
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from deq_torch import anderson, key_values

BATCH = 32
TOL, MAX_ITER = 1e-3, 30
DEFAULTS = {"data": "out/bench/conv", "steps": 10, "warmup": 3, "repeats": 3, "threads": 0}


def parse_args(argv):
    args = key_values("conv_deq_torch.py", argv, DEFAULTS)
    if not os.path.isfile(os.path.join(args["data"], "conv_0.npy")):
        sys.exit(f"conv_deq_torch.py: data: no conv_0.npy in '{args['data']}'; run ConvDeqStepBenchmark first")
    return args


class ConvDeq(torch.nn.Module):
    def __init__(self, directory):
        super().__init__()
        for i, name in enumerate(["W", "U", "b", "head_w", "head_b"]):
            self.register_parameter(name, torch.nn.Parameter(torch.from_numpy(np.load(f"{directory}/conv_{i}.npy"))))
        self.iters = (0, 0)

    def step_loss(self, x, y):
        inj = F.conv2d(x, self.U, self.b, padding=1)
        shape = inj.shape
        with torch.no_grad():
            w2, inj2 = 2 * self.W.detach(), 2 * inj.detach()

            def f(z):  # tanh(a) as 2 sigmoid(2 a) - 1 with 2 a from 2 W and 2 inj, as deq_torch.solver_cell and ours
                return F.conv2d(z.view(shape), w2, padding=1).add_(inj2).sigmoid_().mul_(2).sub_(1).view(shape[0], -1)

            zstar, fwd = anderson(f, inj2.new_zeros(shape[0], inj2[0].numel()), tol=TOL, max_iter=MAX_ITER)
        leaf = zstar.view(shape).requires_grad_()
        loss = F.cross_entropy(F.linear(leaf.mean(dim=(2, 3)), self.head_w, self.head_b), y)
        loss.backward()  # the head's gradients and dL/dz*
        grad = leaf.grad.reshape(shape[0], -1).clone()
        fz = torch.tanh(F.conv2d(leaf, self.W, padding=1) + inj)  # tracked f(z*): the Jacobian and the gradients

        def adjoint(v):  # u J + dL/dz*, u J by autograd through the tracked f(z*)
            (vj,) = torch.autograd.grad(fz, leaf, v.view(shape), retain_graph=True)
            return vj.view(shape[0], -1).add_(grad)

        u, bwd = anderson(adjoint, grad, tol=TOL, max_iter=MAX_ITER)
        fz.backward(u.view(shape), inputs=[self.W, self.U, self.b])
        self.iters = (fwd, bwd)
        return loss


def main(argv):
    args = parse_args(argv)
    if args["threads"] > 0:
        torch.set_num_threads(args["threads"])
    x = torch.from_numpy(np.load(os.path.join(args["data"], "x.npy")))
    y = torch.from_numpy(np.load(os.path.join(args["data"], "y.npy"))).long()
    model = ConvDeq(args["data"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True)
    print(f"# torch {torch.__version__}; intra-op threads {torch.get_num_threads()}; {args}")
    batches = x.shape[0] // BATCH
    cursor, fwd, bwd, medians = 0, 0, 0, []

    def step():
        nonlocal cursor
        b = cursor % batches
        cursor += 1
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        model.step_loss(x[b * BATCH:(b + 1) * BATCH], y[b * BATCH:(b + 1) * BATCH])
        opt.step()
        return (time.perf_counter() - t0) * 1e3

    for _ in range(args["warmup"]):
        step()
    for _ in range(args["repeats"]):
        ms = []
        for _ in range(args["steps"]):
            ms.append(step())
            fwd, bwd = fwd + model.iters[0], bwd + model.iters[1]
        medians.append(float(np.median(ms)))
    timed = args["repeats"] * args["steps"]
    print(f"BENCH name=conv_deq_step_pytorch median_ms={np.median(medians):.4f} "
          f"spread_ms={max(medians) - min(medians):.4f} repeats={len(medians)} impl=pytorch "
          f"iters={fwd / timed:.3f} bwd_iters={bwd / timed:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
