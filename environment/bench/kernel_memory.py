#!/usr/bin/python3
"""Resident memory of the java-deq kernel over many small `%nc` cells, through the real Jupyter protocol.

Starts the kernelspec (as installed, or with --java-option/--env changes), builds a small feature matrix and
labels in one Java cell, then runs --cells `%nc H y` cells, reading the kernel process's resident set size
(VmRSS of /proc/PID/status) after every reply. The level after --warmup cells is the reference: the check is
that RSS stays within --tolerance (10 %) of it for the rest of the run (the kernel's RSS once grew to
2.3-2.5 GB over a few hundred such cells while the live heap stayed under 100 MB).

Prints one BENCH line, kernel_nc_cell (ms per cell), with the RSS after warm-up, its maximum and last value,
the largest growth in percent and a sampled series (every --every cells), and exits 1 when the growth exceeds
the tolerance.

Usage: /usr/bin/python3 kernel_memory.py [--kernel java-deq] [--cells 1000] [--warmup 100]
       [--java-option=-XX:+UseSerialGC ...] [--drop-option=-XX:+Use ...] [--env NAME=VALUE ...]
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # environment/: the kernel helpers the tests use

from benchline import format_line  # noqa: E402
from kernel_cds import installed_argv, started  # noqa: E402
from kernel_client import run_cell  # noqa: E402

# 2,000 samples of 64 features in 10 classes: a small report, as a notebook asks for many times over
SETUP_CELL = ("var rnd = new java.util.Random(1); double[][] H = new double[2000][64];"
              " for (double[] r : H) for (int j = 0; j < r.length; j++) r[j] = rnd.nextGaussian();"
              " int[] y = new int[H.length]; for (int i = 0; i < y.length; i++) y[i] = i % 10;")
NC_CELL = "%nc H y"


def rss_mib(pid):
    """Resident set size of process pid in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"kernel_memory: no VmRSS for process {pid}")


def with_changes(argv, env, java_options, dropped, env_changes):
    """argv without the options that start with a prefix in dropped, java_options right after the java
    executable; env updated with NAME=VALUE pairs."""
    argv = [argv[0]] + list(java_options) + [a for a in argv[1:] if not any(a.startswith(p) for p in dropped)]
    env = dict(env)
    for pair in env_changes:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"kernel_memory: --env takes NAME=VALUE, got {pair!r}")
        env[name] = value
    return argv, env


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="java-deq")
    ap.add_argument("--cells", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--every", type=int, default=100, help="cells between the printed series' points")
    ap.add_argument("--tolerance", type=float, default=0.10)
    ap.add_argument("--java-option", action="append", default=[])
    ap.add_argument("--drop-option", action="append", default=[],
                    help="leave out the kernelspec's JVM options that start with this (e.g. -XX:+Use to swap the GC)")
    ap.add_argument("--env", action="append", default=[])
    args = ap.parse_args()
    if not 0 < args.warmup < args.cells:
        raise SystemExit(f"kernel_memory: --warmup must be in 1..{args.cells - 1}, got {args.warmup}")
    _, argv, env = installed_argv(args.kernel)
    argv, env = with_changes(argv, env, args.java_option, args.drop_option, args.env)
    series, ms = [], []
    with started(argv, env, timeout=120) as (km, kc):
        pid = km.provisioner.process.pid
        reply, _ = run_cell(kc, SETUP_CELL, timeout=120)
        if reply["status"] != "ok":
            raise SystemExit(f"kernel_memory: setup cell failed: {reply.get('evalue')}")
        for i in range(args.cells):
            t0 = time.perf_counter()
            reply, _ = run_cell(kc, NC_CELL, timeout=120)
            ms.append((time.perf_counter() - t0) * 1e3)
            if reply["status"] != "ok":
                raise SystemExit(f"kernel_memory: cell {i + 1} failed: {reply.get('evalue')}")
            series.append(rss_mib(pid))
    base = series[args.warmup - 1]
    after = series[args.warmup:]
    growth = max(abs(r - base) for r in after) / base
    points = ",".join(f"{series[i - 1]:.0f}" for i in range(args.every, args.cells + 1, args.every))
    print(format_line("kernel_nc_cell", ms[args.warmup:], impl="ours", cells=args.cells,
                      rss_warm_mib=f"{base:.0f}", rss_max_mib=f"{max(after):.0f}",
                      rss_last_mib=f"{series[-1]:.0f}", rss_growth_pct=f"{100 * growth:.1f}",
                      rss_series_mib=points))
    if growth > args.tolerance:
        print(f"kernel_memory: RSS moved {100 * growth:.1f}% from its level after {args.warmup} cells "
              f"({base:.0f} MiB), more than {100 * args.tolerance:.0f}%", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
