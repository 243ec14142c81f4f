#!/usr/bin/python3
"""Makes the class-data-sharing archive that the java-deq kernel starts from.

The kernelspec's JVM reads `{resource_dir}/kernel.jsa` (-XX:SharedArchiveFile): the classes a kernel loads
until it has answered kernel_info and run its first cells, already parsed and verified. This script starts
the installed kernel once with -XX:ArchiveClassesAtExit instead, runs a magic and a Java cell, shuts it down
(the JVM writes the archive as it exits) and moves the archive into place.

An archive only serves the JVM and the jars it was made with: the JVM checks the class path, the jars' sizes
and times, and skips a stale or broken archive without a word (the kernelspec turns the cds log off), so
the kernel then starts as it would without one. Hence: run again after every install (environment/common.sh's
install_kernel does).

Usage: /usr/bin/python3 environment/kernel_cds.py [--kernel java-deq]
"""
import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kernel_client import run_cell, shutdown  # noqa: E402

ARCHIVE = "kernel.jsa"
USE_OPTION = "-XX:SharedArchiveFile="
# What the archive is made from: the start (kernel_info), the magic machinery and JShell's first cell.
TRAINING_CELLS = ("%help", "6 * 7")


def installed_argv(kernel):
    """(resource_dir, argv, env) of the kernelspec `kernel`, {resource_dir} filled in as Jupyter fills it."""
    spec = KernelSpecManager().get_kernel_spec(kernel)
    argv = [a.replace("{resource_dir}", spec.resource_dir) for a in spec.argv]
    return spec.resource_dir, argv, dict(spec.env)


def with_archive_option(argv, option):
    """argv with its -XX:SharedArchiveFile=… replaced by `option` (a whole argument)."""
    found = [i for i, a in enumerate(argv) if a.startswith(USE_OPTION)]
    if len(found) != 1:
        raise SystemExit(f"kernel_cds: expected one {USE_OPTION}… in the kernelspec's argv, found {len(found)}")
    return argv[:found[0]] + [option] + argv[found[0] + 1:]


@contextlib.contextmanager
def started(argv, env, timeout=60):
    """(km, kc) of a kernel run with `argv`, ready (its kernel_info answered); stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="deqnc-kernelspec-") as tmp:
        name = "java-deq-variant"
        os.makedirs(os.path.join(tmp, name))
        with open(os.path.join(tmp, name, "kernel.json"), "w") as f:
            json.dump({"argv": argv, "env": env, "display_name": name, "language": "java",
                       "interrupt_mode": "message"}, f)
        km = KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[tmp]))
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
            yield km, kc
        finally:
            kc.stop_channels()
            if km.is_alive():
                km.shutdown_kernel(now=True)


def make_archive(kernel):
    """Writes <resource_dir>/kernel.jsa for the installed kernelspec `kernel`; returns its path."""
    resource_dir, argv, env = installed_argv(kernel)
    target = os.path.join(resource_dir, ARCHIVE)
    partial = target + ".partial"
    with contextlib.suppress(FileNotFoundError):
        os.remove(partial)
    with started(with_archive_option(argv, "-XX:ArchiveClassesAtExit=" + partial), env) as (km, kc):
        for code in TRAINING_CELLS:
            reply, _ = run_cell(kc, code, timeout=60)
            if reply["status"] != "ok":
                raise SystemExit(f"kernel_cds: training cell {code!r} failed: {reply.get('evalue')}")
        reply_type, ended = shutdown(km, kc, timeout=60)  # the JVM writes the archive while it exits
    if not ended or not os.path.isfile(partial) or os.path.getsize(partial) == 0:
        raise SystemExit(f"kernel_cds: the kernel wrote no archive (shutdown: {reply_type}, ended: {ended})")
    os.replace(partial, target)
    return target


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="java-deq", help="installed kernelspec name (default java-deq)")
    args = ap.parse_args()
    if shutil.which("java") is None:
        raise SystemExit("kernel_cds: java not found on PATH")
    path = make_archive(args.kernel)
    print(f"kernel_cds: {path} ({os.path.getsize(path) / 2**20:.1f} MiB)")


if __name__ == "__main__":
    main()
