#!/usr/bin/python3
"""How fast an interrupt stops each long phase of the java-deq kernel (kernel_client.INTERRUPT_PHASES and a
%%experiment mid-training), over ZeroMQ with jupyter_client: seconds from interrupt_request to the cell's
execute_reply, and the cell worker threads alive just after (1: nothing left computing). One kernel runs
every repeat. Prints one BENCH line per phase: interrupt_<phase> median_ms=… spread_ms=… threads_after=…

Usage: /usr/bin/python3 interrupt_latency.py [--kernel java-deq] [--repeats 3]
"""
import argparse
import os
import sys
import tempfile

from jupyter_client.manager import start_new_kernel

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # environment/: the kernel helpers the tests use

from benchline import format_line  # noqa: E402
from kernel_client import INTERRUPT_PHASES, cell_threads, interrupt_during, run_cell, training_cell  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kernel", default="java-deq")
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    km, kc = start_new_kernel(kernel_name=a.kernel)
    try:
        for phase, (setup, code, after_s) in INTERRUPT_PHASES.items():
            if setup:
                run_cell(kc, setup, 120)
            ms, threads = [], []
            for _ in range(a.repeats):
                reply, seconds = interrupt_during(km, kc, code, after_s)
                if reply.get("ename") != "Interrupted":
                    sys.exit(f"interrupt_latency: {phase}: expected Interrupted, got {reply.get('ename')}: {reply.get('evalue')}")
                ms.append(seconds * 1e3)
                threads.append(cell_threads(kc))
            print(format_line(f"interrupt_{phase}", ms, threads_after=max(threads)), flush=True)
        ms, threads = [], []
        for i in range(a.repeats):
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "run")
                checkpoint = os.path.join(out, "checkpoint.bin")
                _, seconds = interrupt_during(km, kc, training_cell(out), 0.1 + 0.2 * i, lambda: os.path.exists(checkpoint))
                ms.append(seconds * 1e3)
                threads.append(cell_threads(kc))
        print(format_line("interrupt_training", ms, threads_after=max(threads)), flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
