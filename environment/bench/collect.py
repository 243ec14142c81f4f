#!/usr/bin/python3
"""Reads the benchmark logs environment/bench.sh wrote and prints the one results table (and CSV).

For every source (one benchmark command) the log directory holds `<source>.log` (its stdout and
stderr) and `<source>.status`: `exit <code>` after it ran, or `skipped: <reason>`. Each table row
compares BENCH lines (see benchline.py) named in ROWS; a row whose lines are missing says why,
as `not run: <reason>`.

Usage: /usr/bin/python3 collect.py LOG_DIR [--csv out/bench.csv]
"""
import argparse
import csv
import os
import re
import sys
from dataclasses import dataclass

from benchline import BenchLineError, parse_text


@dataclass(frozen=True)
class Ref:
    """A BENCH line `name` printed by the benchmark command `source`."""
    source: str
    name: str


@dataclass(frozen=True)
class Best:
    """A counterpart at its best on this workload: of the BENCH lines `name`_<candidate> that variants.py printed
    for `source` (one per configuration in `candidates`), the one with the lowest value of what the row compares
    (its key, else the median)."""
    source: str
    name: str
    candidates: tuple


@dataclass(frozen=True)
class Target:
    op: str  # "<=" or ">="
    limit: float
    unit: str = ""

    def met(self, x):
        return x <= self.limit if self.op == "<=" else x >= self.limit

    def __str__(self):
        return f"{self.op} {self.limit:g}{' ' + self.unit if self.unit else ''}"


@dataclass(frozen=True)
class Row:
    """One table line. `key` None: the quantity is ours' median (no counterpart) or the ratio of the
    medians; `key` set: the quantity is ours' value of that key, or the ratio of both sides' values."""
    label: str
    ours: Ref
    counterpart: Ref = None
    key: str = None
    target: Target = None

    def quantity(self, ours, counterpart):
        """(quantity, note) from the Measurements of both sides (counterpart None without one)."""
        if self.key is None:
            if counterpart is None:
                return ours.median_ms, ""
            return ours.median_ms / counterpart.median_ms, ""
        mine = _key_value(ours, self.key)
        if counterpart is None:
            return mine, f"{self.key}={mine:g}"
        theirs = _key_value(counterpart, self.key)
        return mine / theirs, f"{self.key} {mine:g} / {theirs:g}"


def _key_value(m, key):
    """The numeric value of `key` on m; two derived keys: iterations = iters + bwd_iters (solver iterations per
    step, forward and backward), ms_per_iteration = median_ms / iterations."""
    if key in DERIVED:
        iterations = _key_value(m, "iters") + (_key_value(m, "bwd_iters") if "bwd_iters" in m.extra else 0.0)
        return iterations if key == "iterations" else m.median_ms / iterations
    value = m.extra.get(key)
    if not isinstance(value, float):
        raise BenchLineError(f"BENCH line {m.name}: needs a numeric {key}=, got {value!r}")
    return value


DEQ, TORCH, NC, NUMPY = "deq_java", "deq_torch", "nc_java", "nc_numpy"
KERNEL, NOTEBOOKS, EPOCH = "kernel", "notebooks", "epoch_java"
TORCH_CONFIG, RUNNER, RUNNER_TORCH = "torch_config", "runner_java", "runner_torch"
CONV, CONV_TORCH, LOAD, LOAD_TORCH = "conv_java", "conv_torch", "load_java", "load_torch"
DERIVED = ("iterations", "ms_per_iteration")
# TorchDEQ 0.1.0 on this model, quiet 2-core machine, as the project measured it earlier on this machine
# (it cannot be installed here: it is on PyPI only): implicit step 39.4-40.7 ms over 21.8 + 21.4 iterations.
TORCHDEQ_MS_PER_ITERATION = 0.94
TWIN_CANDIDATES = ("t2_active", "t2_passive", "t2_blas1_passive", "t1_blas2", "t1")
RUNS = ("explicit_mlp", "deq_mlp", "explicit_cnn", "deq_cnn")
LOADED = ("deq_step_implicit", "deq_step_jfb", "mlp3_step")

ROWS = [
    Row("deq_step_implicit ours/pytorch", Ref(DEQ, "deq_step_implicit_ours"),
        Ref(TORCH, "deq_step_implicit_pytorch"), target=Target("<=", 0.5)),
    Row("deq_step_jfb ours/pytorch", Ref(DEQ, "deq_step_jfb_ours"),
        Ref(TORCH, "deq_step_jfb_pytorch"), target=Target("<=", 0.5)),
    # equal counts check that both sides run the same algorithm on the same numbers
    Row("deq_step_implicit iterations fwd+bwd ours/pytorch", Ref(DEQ, "deq_step_implicit_ours"),
        Ref(TORCH, "deq_step_implicit_pytorch"), key="iterations"),
    Row("deq_step_implicit ms per iteration ours/pytorch", Ref(DEQ, "deq_step_implicit_ours"),
        Ref(TORCH, "deq_step_implicit_pytorch"), key="ms_per_iteration"),
    Row("deq_step_implicit ms per iteration, pytorch twin", Ref(TORCH, "deq_step_implicit_pytorch"),
        key="ms_per_iteration", target=Target("<=", TORCHDEQ_MS_PER_ITERATION, "ms")),
    # the relative Tikhonov lambda against TorchDEQ's absolute default, both on the twin
    Row("deq_step_implicit iterations fwd+bwd, relative lam", Ref(TORCH, "deq_step_implicit_pytorch"),
        key="iterations"),
    Row("deq_step_implicit iterations fwd+bwd, absolute lam 1e-4", Ref(TORCH, "deq_step_implicit_abslam_pytorch"),
        key="iterations"),
    # The explicit counterpart of the DEQ (784 -> 256, one 256 x 256 cell, -> 10) is the MLP with the
    # same layers unrolled once: 784 -> 256 -> 256 -> 10 (mlp3).
    Row("deq_implicit/mlp step, ours", Ref(DEQ, "deq_step_implicit_ours"),
        Ref(DEQ, "mlp3_step_ours"), target=Target("<=", 5)),
    Row("deq_jfb/mlp step, ours", Ref(DEQ, "deq_step_jfb_ours"),
        Ref(DEQ, "mlp3_step_ours"), target=Target("<=", 3.5)),
    Row("mlp3_step ours/pytorch", Ref(DEQ, "mlp3_step_ours"),
        Ref(TORCH, "mlp3_step_pytorch"), target=Target("<=", 0.8)),
    # Floors: what libtorch alone spends of our step, everything else counted as free (DeqStepBenchmark.floors).
    # A step target at or below its floor cannot be met by any implementation on this stack.
    Row("deq_step_implicit floor/pytorch (libtorch ops alone)", Ref(DEQ, "deq_step_implicit_floor_ours"),
        Ref(TORCH, "deq_step_implicit_pytorch")),
    Row("deq_step_jfb floor/pytorch (libtorch ops alone)", Ref(DEQ, "deq_step_jfb_floor_ours"),
        Ref(TORCH, "deq_step_jfb_pytorch")),
    Row("mlp3_step matrix products/pytorch (libtorch ops alone)", Ref(DEQ, "mlp3_products_ours"),
        Ref(TORCH, "mlp3_step_pytorch")),
    *[Row(f"train_epoch_{run} ours/pytorch (train phase)", Ref(RUNNER, f"train_epoch_{run}_ours"),
          Best(RUNNER_TORCH, f"train_epoch_{run}_pytorch", TWIN_CANDIDATES),
          key="train_median_ms", target=Target("<=", 0.8))
      for run in RUNS],
    Row("conv_deq_step ours/pytorch", Ref(CONV, "conv_deq_step_ours"),
        Best(CONV_TORCH, "conv_deq_step_pytorch", TWIN_CANDIDATES), target=Target("<=", 0.8)),
    *[Row(f"pytorch twin deq_step_implicit, {c}", Ref(TORCH_CONFIG, f"deq_step_implicit_pytorch_{c}"))
      for c in TWIN_CANDIDATES],
    *[Row(f"pytorch twin conv_deq_step, {c}", Ref(CONV_TORCH, f"conv_deq_step_pytorch_{c}"))
      for c in TWIN_CANDIDATES],
    *[r for name in LOADED for r in (
        Row(f"{name} slowdown under load, ours", Ref(LOAD, f"{name}_ours_kernel_loaded"), key="slowdown"),
        Row(f"{name} slowdown under load, pytorch", Ref(LOAD_TORCH, f"{name}_pytorch_best_loaded"), key="slowdown"),
        Row(f"{name} slowdown under load ours/pytorch", Ref(LOAD, f"{name}_ours_kernel_loaded"),
            Ref(LOAD_TORCH, f"{name}_pytorch_best_loaded"), key="slowdown", target=Target("<=", 1.0)))],
    Row("forward_solve/matmul GFLOP/s, ours", Ref(DEQ, "deq_forward_solve_ours"),
        Ref(DEQ, "matmul_ours"), key="gflops", target=Target(">=", 0.5)),
    # the ratio above if Anderson's own work cost nothing: per iteration only the cell's addmm and sigmoid
    Row("forward_solve ceiling, matmul/cell ms, ours", Ref(DEQ, "matmul_ours"), Ref(DEQ, "deq_cell_ours")),
    Row("nc_report ours/numpy", Ref(NC, "nc_report_ours"),
        Ref(NUMPY, "nc_report_numpy"), target=Target("<=", 1.0)),
    Row("nc_report peak memory ours/numpy", Ref(NC, "nc_report_ours"),
        Ref(NUMPY, "nc_report_numpy"), key="peak_rss_mib"),
    Row("kernel_start (to kernel_info reply)", Ref(KERNEL, "kernel_start"), target=Target("<=", 1500, "ms")),
    Row("kernel_first_java_cell", Ref(KERNEL, "kernel_first_java_cell")),
    Row("kernel_magic_cell (%help)", Ref(KERNEL, "kernel_magic_cell"), target=Target("<=", 60, "ms")),
    Row("kernel_java_cell (6 * 7)", Ref(KERNEL, "kernel_java_cell")),
    Row("kernel_shutdown", Ref(KERNEL, "kernel_shutdown")),
    Row("notebooks_quick (all, end to end)", Ref(NOTEBOOKS, "notebooks_quick"), target=Target("<=", 600_000, "ms")),
    Row("epoch accuracy deq_implicit", Ref(EPOCH, "deq_epoch_implicit_ours"), key="accuracy",
        target=Target(">=", 0.84)),
    Row("epoch accuracy deq_jfb", Ref(EPOCH, "deq_epoch_jfb_ours"), key="accuracy", target=Target(">=", 0.84)),
    Row("epoch accuracy mlp3", Ref(EPOCH, "mlp3_epoch_ours"), key="accuracy", target=Target(">=", 0.84)),
]

STACK_TAIL = re.compile(r"\.\.\. \d+ more\Z")  # Java's "... 12 more" after "Caused by:"
COLUMNS = ["name", "ours_median_ms", "ours_spread_ms", "counterpart_median_ms", "counterpart_spread_ms",
           "ratio_or_value", "target", "met", "note"]


class Source:
    """What one benchmark command left in the log directory: its measurements, or why there are none."""

    def __init__(self, log_dir, source):
        self.source, self.measurements, self.problem = source, {}, None
        status_path = os.path.join(log_dir, source + ".status")
        if not os.path.exists(status_path):
            self.problem = f"{source} was not run"
            return
        with open(status_path, encoding="utf-8") as f:
            status = f.read().strip()
        if status.startswith("skipped:"):
            self.problem = status[len("skipped:"):].strip()
            return
        log_path = os.path.join(log_dir, source + ".log")
        text = ""
        if os.path.exists(log_path):
            with open(log_path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        try:
            self.measurements = parse_text(text)
        except BenchLineError as e:
            self.problem = f"{source}: {e}"
            return
        if status == "exit 124":
            self.problem = f"{source} timed out"
        elif status != "exit 0":
            message = _last_message(text)
            self.problem = f"{source} failed ({status})" + (f": {message[:160]}" if message else "")

    def get(self, name):
        """(Measurement, None) or (None, reason)."""
        if name in self.measurements:
            return self.measurements[name], None
        return None, self.problem or f"{self.source} printed no BENCH line name={name}"


def _last_message(text):
    """The last output line that is not a stack frame: the error of a Python or Java failure."""
    lines = [line.strip() for line in text.splitlines()]
    messages = [line for line in lines if line and not line.startswith("at ") and not STACK_TAIL.match(line)]
    return messages[-1] if messages else ""


def table(log_dir, rows=ROWS):
    """One dict per row, keyed by COLUMNS, with numbers formatted for display."""
    sources = {}

    def lookup(ref, key=None):
        """(Measurement, None, chosen candidate or None) or (None, reason, None); a Best ranks by key."""
        if ref.source not in sources:
            sources[ref.source] = Source(log_dir, ref.source)
        if isinstance(ref, Ref):
            return (*sources[ref.source].get(ref.name), None)
        found, reasons = [], []
        for candidate in ref.candidates:
            m, why = sources[ref.source].get(f"{ref.name}_{candidate}")
            if m is None:
                reasons.append(why)
                continue
            try:
                found.append((m.median_ms if key is None else _key_value(m, key), candidate, m))
            except BenchLineError as e:
                reasons.append(str(e))
        if not found:
            return None, reasons[0], None
        _, candidate, m = min(found, key=lambda f: f[0])
        return m, None, candidate

    out = []
    for row in rows:
        line = dict.fromkeys(COLUMNS, "")
        line["name"] = row.label
        line["target"] = str(row.target) if row.target else ""
        ours, why, _ = lookup(row.ours)
        counterpart, why_counterpart, chosen = lookup(row.counterpart, row.key) if row.counterpart else (None, None, None)
        if ours is not None:
            line["ours_median_ms"], line["ours_spread_ms"] = _ms(ours.median_ms), _ms(ours.spread_ms)
        if counterpart is not None:
            line["counterpart_median_ms"] = _ms(counterpart.median_ms)
            line["counterpart_spread_ms"] = _ms(counterpart.spread_ms)
        if why and why_counterpart and why_counterpart != why:
            why = f"{why}; {why_counterpart}"
        why = why or why_counterpart
        if why is None:
            try:
                value, line["note"] = row.quantity(ours, counterpart)
                if chosen is not None:
                    line["note"] = "; ".join(filter(None, [line["note"], f"twin at its best: {chosen}"]))
            except (BenchLineError, ZeroDivisionError) as e:
                why = str(e) if isinstance(e, BenchLineError) else "counterpart is zero"
        if why is not None:
            line["note"], line["met"] = f"not run: {why}", "-"
        else:
            if row.key is not None or row.counterpart is not None:  # else the target is on the median shown
                line["ratio_or_value"] = f"{value:.3g}"
            line["met"] = ("yes" if row.target.met(value) else "NO") if row.target else "-"
        out.append(line)
    return out


def _ms(x):
    return f"{x:.1f}" if x >= 10 else f"{x:.3g}"


def render(lines):
    """The rows as an aligned text table."""
    headers = ["name", "ours median ms", "spread", "counterpart median ms", "spread", "ratio/value",
               "target", "met", "note"]
    cells = [headers] + [[line[c] for c in COLUMNS] for line in lines]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers) - 1)]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths)) + "  " + r[-1] for r in cells)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log_dir", help="directory with <source>.log and <source>.status files")
    ap.add_argument("--csv", help="also write the table here as CSV")
    args = ap.parse_args()
    if not os.path.isdir(args.log_dir):
        sys.exit(f"collect.py: log_dir: not a directory: {args.log_dir}")
    lines = table(args.log_dir)
    print(render(lines))
    if args.csv:
        os.makedirs(os.path.dirname(os.path.abspath(args.csv)), exist_ok=True)
        with open(args.csv, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(lines)


if __name__ == "__main__":
    main()
