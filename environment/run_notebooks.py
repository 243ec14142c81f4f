#!/usr/bin/python3
"""Execute Java notebooks headlessly with their kernel (nbclient), writing executed copies.

Used by environment/reproduce.sh and by the notebook tests. The kernel starts in the repository
root, so notebooks write figures and tables under out/. Cell timing metadata is not recorded, so a
re-run with the same seed gives the same notebook apart from timing-dependent text.
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def execute(path, out_dir, timeout=900, html=False):
    """Runs every cell of the notebook at `path`; returns (executed notebook, output path, seconds).

    Raises CellExecutionError on the first failing cell, after saving what ran so far."""
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "java-deq")
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": ROOT}})
    os.makedirs(out_dir, exist_ok=True)
    out_path = os.path.join(out_dir, os.path.basename(path))
    t0 = time.monotonic()
    try:
        client.execute()
    finally:
        nbformat.write(nb, out_path)
    seconds = time.monotonic() - t0
    if html:
        from nbconvert import HTMLExporter
        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(out_path[:-len(".ipynb")] + ".html", "w", encoding="utf-8") as f:
            f.write(body)
    return nb, out_path, seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "notebooks"))
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    ap.add_argument("--html", action="store_true", help="also write an HTML copy next to each notebook")
    args = ap.parse_args()
    failed = []
    for path in args.notebooks:
        try:
            _, out_path, seconds = execute(path, args.out, args.timeout, args.html)
            print(f"ok    {path} -> {out_path} ({seconds:.1f} s)", flush=True)
        except CellExecutionError as e:
            failed.append(path)
            print(f"FAIL  {path}: a cell raised an error (partial output saved in {args.out})\n{e}", file=sys.stderr, flush=True)
    if failed:
        sys.exit(f"{len(failed)} notebook(s) failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
