#!/usr/bin/python3
"""Latency of the java-deq kernel as a Jupyter front end sees it, over ZeroMQ with jupyter_client.

Each of --starts kernels is started, timed up to its kernel_info reply (what a notebook waits for
before it can run anything), then runs one Java cell (its first: JShell's cold start), --cells
magic-only cells (`%help`) and --cells plain Java cells (`6 * 7`) in turn, each timed from
execute_request to the execute_reply with the kernel back to idle, and is shut down, timed from
shutdown_request to the end of its process. Prints one BENCH line per measurement:
kernel_start, kernel_first_java_cell, kernel_magic_cell, kernel_java_cell, kernel_shutdown.

Usage: /usr/bin/python3 kernel_bench.py [--kernel java-deq] [--starts 5] [--cells 20]
"""
import argparse
import os
import sys
import time

from jupyter_client.manager import start_new_kernel

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # environment/: the kernel helpers the tests use

from benchline import format_line  # noqa: E402
from kernel_client import run_cell, shutdown  # noqa: E402

MAGIC_CELL = "%help"
JAVA_CELL = "6 * 7"


def timed_cell(kc, code):
    """Milliseconds from execute_request to reply-and-idle; exits with the error if the cell failed."""
    t0 = time.perf_counter()
    reply, _ = run_cell(kc, code)
    ms = (time.perf_counter() - t0) * 1e3
    if reply["status"] != "ok":
        sys.exit(f"kernel_bench: cell {code!r} failed: {reply.get('ename')}: {reply.get('evalue')}")
    return ms


def measure(kernel, starts, cells):
    """{BENCH name: [ms, ...]} over `starts` kernel lifetimes."""
    times = {k: [] for k in ("kernel_start", "kernel_first_java_cell", "kernel_magic_cell",
                             "kernel_java_cell", "kernel_shutdown")}
    for _ in range(starts):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name=kernel)  # returns after the kernel_info reply
        times["kernel_start"].append((time.perf_counter() - t0) * 1e3)
        try:
            times["kernel_first_java_cell"].append(timed_cell(kc, JAVA_CELL))
            for _ in range(cells):
                times["kernel_magic_cell"].append(timed_cell(kc, MAGIC_CELL))
                times["kernel_java_cell"].append(timed_cell(kc, JAVA_CELL))
            t0 = time.perf_counter()
            reply_type, ended = shutdown(km, kc, timeout=10)
            if reply_type != "shutdown_reply" or not ended:
                sys.exit(f"kernel_bench: shutdown failed: reply {reply_type}, process ended: {ended}")
            times["kernel_shutdown"].append((time.perf_counter() - t0) * 1e3)
        finally:
            kc.stop_channels()
            if km.is_alive():
                km.shutdown_kernel(now=True)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="java-deq", help="kernelspec name (default java-deq)")
    ap.add_argument("--starts", type=int, default=5, help="kernel lifetimes to time (default 5)")
    ap.add_argument("--cells", type=int, default=20, help="cells of each kind per kernel (default 20)")
    args = ap.parse_args()
    if args.starts < 1 or args.cells < 1:
        ap.error(f"--starts and --cells: must be >= 1, got {args.starts} and {args.cells}")
    for name, ms in measure(args.kernel, args.starts, args.cells).items():
        print(format_line(name, ms, impl="ours"), flush=True)


if __name__ == "__main__":
    main()
