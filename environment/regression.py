#!/usr/bin/python3
"""Regression checks: the outputs of an executed notebook against committed reference outputs.

What is compared, per code cell: stream text (stdout, stderr), errors, the text/plain form of results and
displays, and the claims JSON (application/vnd.deqnc.claims+json). Rich forms (HTML, images, Plotly) are not
compared: tables and claims show their numbers in text/plain too, and figures draw the tables' numbers.
Before comparing, both sides are normalised so that what legitimately changes between runs does not count:
Java identity hash codes (`Foo@1a2b3c`), numbers with a fraction or exponent (rounded to DIGITS significant
digits; magnitudes below 1e-8, round-off residuals that differ between CPUs, read as <tiny>), timestamps,
dotted versions (17.0.13, 2.7.1), UUIDs and wall-clock durations (`12.3 s`, `450 ms`, `sweep seconds: 130.8`). References keep the
outputs as they were, so that a change of these rules needs no new references.
A cell tagged `no-regression` is not compared (timing prints, thread-dependent output); a cell tagged
`injected-parameters` (added by the regeneration tool) is skipped so that cell numbers stay those of the
committed notebook.

References live in environment/tests/reference/<notebook>.json. A notebook whose trained numbers depend on the
CPU's vector code paths (see code_paths) may also have environment/tests/reference/<paths>/<notebook>.json, which
a CPU with those code paths checks against instead.
  regression.py record out/notebooks/20-*.ipynb   (re)writes the references this CPU checks against
  regression.py record --code-paths out/...      writes a reference for this CPU's code paths only
  regression.py check out/notebooks/*.ipynb       compares; exit status 1 with a diff per changed cell
"""
import argparse
import difflib
import hashlib
import json
import os
import re
import sys

from parameters import INJECTED_TAG

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE_DIR = os.path.join(ROOT, "environment", "tests", "reference")
OPT_OUT_TAG = "no-regression"
CLAIMS_MIME = "application/vnd.deqnc.claims+json"
DIGITS = 6
# Below this magnitude a number is round-off (residuals, duality gaps, NC1 at an exact optimum): the notebooks'
# own checks bound it; its digits are not compared.
TINY = 1e-8
MAX_DIFF_LINES = 40

_HASH_CODE = re.compile(r"(?<=[\w$\]>])@[0-9a-f]{1,8}\b")
_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
_VERSION = re.compile(r"(?<![\w.])v?\d+\.\d+\.\d+(?:[.+-][\w.+-]*)?(?![\w])")
# a progress bar's clock ("elapsed 1:05", "ETA 0:12:40"), the label kept
_CLOCK = re.compile(r"(?i)(\b(?:elapsed|eta)[ \t]+)\d+(?::\d{2}){1,2}(?![\d:])")
# a number labelled as a time ("sweep seconds: 130.8", "elapsed: 12"), the label kept
_TIMED = re.compile(r"(?i)(\b(?:seconds|secs|millis|elapsed|wall[- ]?(?:clock|time)|duration|took)\b[^:\n]{0,30}:[ \t]*)"
                    r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_DURATION = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s?(?:ms|s|sec|seconds|min|minutes|h)\b")
# a number with a fraction or an exponent; integers (counts, sizes, seeds) are compared exactly
_FLOAT = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w.])")


def _round(match, digits):
    text = match.group(0)
    value = float(text)
    if value != 0 and abs(value) < TINY:
        return "<tiny>"
    rounded = f"{value:.{digits}g}"
    return "0" if rounded in ("-0", "+0") else rounded


def normalise(text, digits=DIGITS):
    """The text with run-to-run noise replaced by placeholders and numbers rounded to `digits` digits."""
    text = _TIMESTAMP.sub("<timestamp>", text)
    text = _UUID.sub("<uuid>", text)
    text = _HASH_CODE.sub("@<hash>", text)
    text = _CLOCK.sub(lambda m: m.group(1) + "<duration>", text)
    text = _DURATION.sub("<duration>", text)
    text = _TIMED.sub(lambda m: m.group(1) + "<duration>", text)
    text = _VERSION.sub("<version>", text)
    return _FLOAT.sub(lambda m: _round(m, digits), text)


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def _claims_text(value):
    data = json.loads(value) if isinstance(value, str) else value
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def cell_outputs(cell):
    """The compared text of one code cell's outputs, as it is (not normalised): a list of lines. Consecutive
    outputs to one stream are joined first: a kernel may split one print into several outputs."""
    lines = []
    streams = []  # [name, text] of consecutive stream outputs
    for o in cell.get("outputs", []) + [{"output_type": "end"}]:
        kind = o.get("output_type")
        if kind == "stream":
            if streams and streams[-1][0] == o.get("name"):
                streams[-1][1] += _text(o.get("text", ""))
            else:
                streams.append([o.get("name"), _text(o.get("text", ""))])
            continue
        for name, text in streams:
            lines.append(f"[{name}]")
            lines += text.splitlines()
        streams = []
        if kind == "error":
            lines.append(f"[error] {o.get('ename', '')}: {o.get('evalue', '')}")
        elif kind in ("execute_result", "display_data"):
            data = o.get("data", {})
            lines.append(f"[{kind}]")
            if "text/plain" in data:
                lines += _text(data["text/plain"]).splitlines()
            if CLAIMS_MIME in data:
                lines.append(f"[{CLAIMS_MIME}]")
                lines += _claims_text(data[CLAIMS_MIME]).splitlines()
    return lines


def compared_cells(nb):
    """(number, cell) of every code cell that counts: numbered among the code cells of the committed notebook
    (injected cells left out); opted-out cells are numbered but have outputs None."""
    cells = []
    number = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        if INJECTED_TAG in tags:
            continue
        cells.append((number, cell, OPT_OUT_TAG in tags))
        number += 1
    return cells


def _source_hash(cell):
    return hashlib.sha256(_text(cell.get("source", "")).encode("utf-8")).hexdigest()[:16]


def reference_of(nb, name, profile, digits=DIGITS):
    """The reference document for an executed notebook."""
    return {
        "notebook": name, "profile": profile, "digits": digits, "code_paths": code_paths(),
        "regenerate": f"environment/regression.py record out/notebooks/{name}.ipynb",
        "cells": [{"cell": n, "source_sha256": _source_hash(c), "skipped": skipped,
                   "outputs": None if skipped else cell_outputs(c)} for n, c, skipped in compared_cells(nb)],
    }


def _first_line(cell):
    first = next((l for l in _text(cell.get("source", "")).splitlines() if l.strip()), "")
    return first[:70]


def compare(nb, reference):
    """Differences between an executed notebook and its reference: a list of readable messages (empty when
    the notebook matches). Cells opted out on either side are not compared."""
    name = reference["notebook"]
    digits = reference.get("digits", DIGITS)
    cells = compared_cells(nb)
    how = f"if the change is intended: {reference.get('regenerate', 'environment/regression.py record')}"
    if len(cells) != len(reference["cells"]):
        return [f"{name}: {len(cells)} code cells, the reference has {len(reference['cells'])} ({how})"]
    problems = []
    for (n, cell, skipped), ref in zip(cells, reference["cells"]):
        if skipped or ref["skipped"]:
            continue
        ours = [normalise(line, digits) for line in cell_outputs(cell)]
        theirs = [normalise(line, digits) for line in ref["outputs"]]
        if ours == theirs:
            continue
        edited = " (its source changed since the reference was made)" if _source_hash(cell) != ref["source_sha256"] else ""
        diff = list(difflib.unified_diff(theirs, ours, "reference", "this run", lineterm="", n=1))
        if len(diff) > MAX_DIFF_LINES:
            diff = diff[:MAX_DIFF_LINES] + [f"... {len(diff) - MAX_DIFF_LINES} more diff lines"]
        problems.append(f"{name}: code cell {n} `{_first_line(cell)}` changed{edited}:\n" + "\n".join(diff))
    if problems:
        problems.append(how)
        recorded_on, here = reference.get("code_paths", "not recorded"), code_paths()
        if recorded_on != here:
            problems.append(f"the reference was made on a CPU with code paths {recorded_on}, this one has "
                            f"{here}: if only trained numbers moved, in their last digits, make one for "
                            f"this CPU with `environment/regression.py record --code-paths` (docs/claims-report.md)")
    return problems


def code_paths(cpuinfo="/proc/cpuinfo"):
    """The vector code paths this CPU gives libtorch's kernels, MKL and the JVM's Vector API: "avx512" with
    AVX-512 Foundation, "avx2", or "baseline" (also where /proc/cpuinfo cannot be read). The paths round
    differently in the last bits, and a notebook that trains through thousands of steps carries that into its
    printed digits: on an AVX2 EPYC the quick profile's accuracies of notebook 20 differed from an AVX-512
    EPYC's from the third digit."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        flags = []
    return "avx512" if "avx512f" in flags else "avx2" if "avx2" in flags else "baseline"


def reference_path(name, directory=REFERENCE_DIR, paths=None):
    """Where notebook `name`'s reference is: for code paths `paths`, or the one for every CPU (None)."""
    return os.path.join(directory, *([paths] if paths else []), name + ".json")


def checked_path(name, directory=REFERENCE_DIR, paths=None):
    """The reference a CPU with code paths `paths` (default: this CPU's) checks against: its own when there is
    one, else the one for every CPU."""
    own = reference_path(name, directory, paths or code_paths())
    return own if os.path.isfile(own) else reference_path(name, directory)


def load_reference(name, directory=REFERENCE_DIR, paths=None):
    """The committed reference notebook `name` (file stem) is checked against, or None when it has none."""
    path = checked_path(name, directory, paths)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def record(nb, name, profile, directory=REFERENCE_DIR, digits=DIGITS, own_paths=False):
    """Writes the reference of an executed notebook where this CPU checks against it, or, with `own_paths`, as
    the reference of this CPU's code paths only; returns its path."""
    paths = code_paths()
    path = reference_path(name, directory, paths) if own_paths else checked_path(name, directory, paths)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    reference = reference_of(nb, name, profile, digits)
    if path != reference_path(name, directory):
        reference["regenerate"] = f"environment/regression.py record --code-paths out/notebooks/{name}.ipynb"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(reference, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return path


def _read(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=("record", "check"))
    ap.add_argument("notebooks", nargs="+", help="executed notebooks (.ipynb)")
    ap.add_argument("--dir", default=REFERENCE_DIR, help="reference folder (default environment/tests/reference)")
    ap.add_argument("--profile", default=os.environ.get("DEQNC_PROFILE", "quick"),
                    help="the profile the notebooks ran with (recorded in the reference)")
    ap.add_argument("--digits", type=int, default=DIGITS, help="significant digits numbers are compared to")
    ap.add_argument("--code-paths", action="store_true",
                    help=f"record: a reference for this CPU's code paths only ({code_paths()} here)")
    args = ap.parse_args()
    failed = 0
    for path in args.notebooks:
        name = os.path.basename(path)[:-len(".ipynb")] if path.endswith(".ipynb") else None
        if name is None or not os.path.isfile(path):
            sys.exit(f"notebooks: '{path}' is not an executed notebook (accepted: existing .ipynb files)")
        nb = _read(path)
        if args.command == "record":
            print(f"recorded {record(nb, name, args.profile, args.dir, args.digits, args.code_paths)}")
            continue
        reference = load_reference(name, args.dir)
        if reference is None:
            print(f"no reference  {name}")
            continue
        problems = compare(nb, reference)
        failed += bool(problems)
        print(f"{'CHANGED' if problems else 'same   '}       {name}")
        for p in problems:
            print(p)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
