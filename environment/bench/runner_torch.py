#!/usr/bin/python3
"""PyTorch-eager twin of the train phase of org.deqnc.train.ExperimentRunner, as TrainEpochBenchmark runs it.

Reads what `TrainEpochBenchmark export=<dir>` wrote per model and encoder (<dir>/<model>_<encoder>/: the runner's
normalised training set x.npy and y.npy, each epoch's batch order order_<e>.npy, the initial parameters
param_<i>.npy in the runner's order with their names in params.txt, the settings in settings.txt) and trains
the same network on the same batches in the same order: encoder (mlp: flatten, linear, ReLU; cnn: two 3x3
convolutions with ReLU and 2x2 max pooling, then global average pooling), then the DEQ cell
f(z) = tanh(z W^T + x U^T + b) solved by Anderson with an implicit (adjoint Anderson) backward, or `depth` such
cells untied from z = 0 for the explicit model, then a linear classifier; cross-entropy, SGD with momentum and
weight decay (torch.optim.SGD, foreach), the runner's learning rate per epoch. The runner's evaluation passes, NC
report and checkpoint have no counterpart here: the comparison is of the train phase. Prints per directory:
  BENCH name=train_epoch_<model>_<encoder>_pytorch median_ms=<train phase> ... iters=<fwd> bwd_iters=<bwd> loss=<last>

Usage: runner_torch.py [data=out/bench/runner] [runs=deq_mlp,explicit_mlp,deq_cnn,explicit_cnn] [threads=N]
                       [memory_format=channels_last|contiguous]
memory_format: the order in which the cnn encoder keeps its images, weights and maps; channels-last, PyTorch's CPU
recipe for convolutions, trained faster on this project's machine, hence the default (docs/performance.md).
"""
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from deq_torch import anderson, key_values, solver_cell

DEFAULTS = {"data": "out/bench/runner", "runs": "explicit_mlp,deq_mlp,explicit_cnn,deq_cnn", "threads": 0,
            "memory_format": "channels_last"}
MEMORY_FORMATS = {"channels_last": torch.channels_last, "contiguous": torch.contiguous_format}


def read_run(directory):
    """(settings dict, named initial parameters, x, y, epoch orders) of one exported run."""
    if not os.path.isfile(os.path.join(directory, "settings.txt")):
        sys.exit(f"runner_torch.py: data: no settings.txt in '{directory}'; run TrainEpochBenchmark "
                 f"export=<dir> first")
    with open(os.path.join(directory, "settings.txt"), encoding="utf-8") as f:
        settings = dict(line.strip().split("=", 1) for line in f if line.strip())
    with open(os.path.join(directory, "params.txt"), encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    params = [(n, torch.from_numpy(np.load(f"{directory}/param_{i}.npy"))) for i, n in enumerate(names)]
    x = torch.from_numpy(np.load(f"{directory}/x.npy"))
    y = torch.from_numpy(np.load(f"{directory}/y.npy")).long()
    orders = [torch.from_numpy(np.load(f"{directory}/order_{e}.npy")).long() for e in range(int(settings["epochs"]))]
    return settings, params, x, y, orders


class Net(torch.nn.Module):
    """The runner's network on the exported parameters (taken in the runner's order, shapes checked)."""

    def __init__(self, settings, params, memory_format):
        super().__init__()
        self.s = settings
        self.encoder_kind = settings["encoder"]
        if settings["cell"] != "mlp" or settings["act"] != "tanh" or settings["stop_mode"] != "rel":
            sys.exit(f"runner_torch.py: settings: only cell=mlp act=tanh stop_mode=rel are twinned, got {settings}")
        self.memory_format = memory_format
        self.p = torch.nn.ParameterList([torch.nn.Parameter(
            t.clone(memory_format=memory_format) if t.dim() == 4 else t.clone()) for _, t in params])
        self.names = [n for n, _ in params]
        n_enc = 2 if self.encoder_kind == "mlp" else 4
        self.enc = list(self.p[:n_enc])
        self.cells = [tuple(self.p[i:i + 3]) for i in range(n_enc, len(self.p) - 2, 3)]
        self.head = tuple(self.p[-2:])
        self.deq = settings["model"] == "deq"
        self.iters = (0, 0)

    def encode(self, x):
        if self.encoder_kind == "mlp":
            return F.relu(F.linear(x.flatten(1), *self.enc))
        x = x.contiguous(memory_format=self.memory_format)
        h = F.max_pool2d(F.relu(F.conv2d(x, self.enc[0], self.enc[1], padding=1)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, self.enc[2], self.enc[3], padding=1)), 2)
        return h.mean(dim=(2, 3))

    def step_loss(self, x, y):
        """Loss of the batch with the parameters' .grad filled."""
        e = self.encode(x)
        if not self.deq:
            z = e.new_zeros(e.shape[0], self.cells[0][0].shape[0])
            for w, u, b in self.cells:
                z = torch.tanh(torch.addmm(F.linear(e, u, b), z, w.t()))
            loss = F.cross_entropy(F.linear(z, *self.head), y)
            loss.backward()
            return loss
        w, u, b = self.cells[0]
        inj = F.linear(e, u, b)
        s = self.s
        with torch.no_grad():
            zstar, fwd = anderson(solver_cell(w, inj), inj.new_zeros(inj.shape), tol=float(s["tol"]),
                                  max_iter=int(s["max_iter"]), m=int(s["m"]), lam=float(s["lam"]))
        fz = torch.tanh(torch.addmm(inj, zstar, w.t()))  # one tracked step from the fixed point
        leaf = zstar.detach().requires_grad_()
        loss = F.cross_entropy(F.linear(leaf, *self.head), y)
        loss.backward()
        grad = leaf.grad
        with torch.no_grad():
            d = 1 - fz * fz
            wd = w.detach()
            u_adj, bwd = anderson(lambda v: torch.addmm(grad, v * d, wd), grad, tol=float(s["b_tol"]),
                                  max_iter=int(s["b_max_iter"]), m=int(s["m"]), lam=float(s["lam"]))
        fz.backward(u_adj)
        self.iters = (fwd, bwd)
        return loss


def train(directory, memory_format):
    """Train-phase ms of the epochs after the warm-up ones (settings' warmup_epochs, as on the Java side), and the
    warm-up epochs' ms, the mean solver iterations per batch and the last epoch's mean loss as BENCH keys."""
    settings, params, x, y, orders = read_run(directory)
    net = Net(settings, params, memory_format)
    lrs = [float(v) for v in settings["lr_per_epoch"].split(",")]
    opt = torch.optim.SGD(net.parameters(), lr=lrs[0], momentum=float(settings["momentum"]),
                          weight_decay=float(settings["weight_decay"]), foreach=True)
    batch = int(settings["batch_size"])
    warmup = int(settings.get("warmup_epochs", 1))
    epoch_ms, warmup_ms, fwd, bwd, batches = [], [], 0, 0, 0
    for epoch, order in enumerate(orders):
        loss_sum = 0.0
        for group in opt.param_groups:
            group["lr"] = lrs[epoch]
        t0 = time.perf_counter()
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = net.step_loss(x[idx], y[idx])
            opt.step()
            loss_sum += loss.item() * len(idx)
            if epoch >= warmup and net.deq:
                fwd, bwd, batches = fwd + net.iters[0], bwd + net.iters[1], batches + 1
        (epoch_ms if epoch >= warmup else warmup_ms).append((time.perf_counter() - t0) * 1e3)
    iters = f"iters={fwd / batches:.2f} bwd_iters={bwd / batches:.2f}" if batches else "iters=na bwd_iters=na"
    warm = ",".join(f"{ms:.0f}" for ms in warmup_ms)
    return epoch_ms, f"warmup_train_ms={warm} {iters} loss={loss_sum / len(orders[-1]):.4f}"


def main(argv):
    args = key_values("runner_torch.py", argv, DEFAULTS)
    if args["memory_format"] not in MEMORY_FORMATS:
        sys.exit(f"runner_torch.py: memory_format: expected one of {', '.join(MEMORY_FORMATS)}, "
                 f"got '{args['memory_format']}'")
    if args["threads"] > 0:
        torch.set_num_threads(args["threads"])
    torch.manual_seed(1)
    print(f"# torch {torch.__version__}; intra-op threads {torch.get_num_threads()}; {args}")
    for run in args["runs"].split(","):
        epoch_ms, iters = train(os.path.join(args["data"], run), MEMORY_FORMATS[args["memory_format"]])
        med = float(np.median(epoch_ms))
        print(f"BENCH name=train_epoch_{run}_pytorch median_ms={med:.4f} spread_ms={max(epoch_ms) - min(epoch_ms):.4f} "
              f"repeats={len(epoch_ms)} train_median_ms={med:.4g} {iters} impl=pytorch")


if __name__ == "__main__":
    main(sys.argv[1:])
