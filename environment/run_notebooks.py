#!/usr/bin/python3
"""Execute Java notebooks headlessly with their kernel (nbclient): select notebooks, choose a profile, override
parameters, and record the provenance of every run.

    run_notebooks.py [NOTEBOOK|GLOB ...] [--profile quick|full|paper] [-p NAME VALUE]... [-f params.yaml]

Used by environment/reproduce.sh (which documents the options; docs/regeneration.md has examples) and by the
notebook tests. Papermill's semantics, for Java: the cell tagged `parameters` holds the defaults, and the values
given here go into a cell tagged `injected-parameters` inserted right after it (environment/parameters.py). The
profile reaches the notebooks as DEQNC_PROFILE. The kernel starts in the repository root, so notebooks write
figures and tables under out/; each run writes out/provenance/<notebook>.json. A failing notebook is reported
with its cell and error, and the others still run. Cell timing metadata is not recorded, so a re-run with the
same seed gives the same notebook apart from timing-dependent text.
"""
import argparse
import datetime
import fnmatch
import glob
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parameters as params  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOK_DIR = os.path.join(ROOT, "notebooks")
PROFILES = ("quick", "full", "paper")
OUT = os.path.join(ROOT, "out")
PROVENANCE_DIR = os.path.join(OUT, "provenance")
# The kernel-side origin record (lib: org.deqnc.provenance.Origin) the figure writers embed in each file.
ORIGIN_CLASS = "org.deqnc.provenance.Origin"
NOTEBOOK_ENV, PARAMETERS_ENV, PROFILE_ENV = "DEQNC_NOTEBOOK", "DEQNC_PARAMETERS", "DEQNC_PROFILE"
SIDECAR_SUFFIX = ".provenance.json"
# Files the notebook writes that have no place inside for the record get a sidecar (figures carry it inside).
SIDECAR_EXTENSIONS = (".csv", ".tsv", ".txt")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Failure:
    """Where and why a notebook stopped: the cell (index in the executed notebook, first line) and one line."""

    def __init__(self, cell_index, first_line, error):
        self.cell_index, self.first_line, self.error = cell_index, first_line, error

    def describe(self, notebook):
        where = f"cell {self.cell_index} ({self.first_line!r})" if self.cell_index is not None else "before any cell"
        return f"{notebook}: {where}: {self.error}"


def one_line(text):
    lines = [l.strip() for l in _ANSI.sub("", text or "").splitlines() if l.strip()]
    return lines[0] if lines else ""


def _error_line(exc):
    if isinstance(exc, CellExecutionError):
        evalue, ename = one_line(getattr(exc, "evalue", "")), getattr(exc, "ename", "") or "error"
        return f"{ename}: {evalue}" if evalue and not evalue.startswith(ename) else (evalue or ename)
    if isinstance(exc, CellTimeoutError):
        return f"timed out: {one_line(str(exc))}"
    if isinstance(exc, DeadKernelError):
        return "the kernel died (out of memory, or killed)"
    return f"{type(exc).__name__}: {one_line(str(exc))}"


def prepare(nb, notebook, values=None, from_text=()):
    """Checks `values` against the notebook's parameters cell and inserts the injected-parameters cell.

    Returns (declarations, typed values, index of the cell after which the parameters are final, or None when the
    notebook has no parameters cell). Raises parameters.ParameterError with a one-line message."""
    values = values or {}
    nb.cells = [c for c in nb.cells if params.INJECTED_TAG not in c.metadata.get("tags", [])]
    index = params.parameters_cell_index(nb)
    decls = params.declarations(nb.cells[index].source) if index is not None else {}
    typed = params.typed_values(notebook, decls, values, from_text)
    if typed:
        cell = nbformat.v4.new_code_cell(params.injected_source(decls, typed), metadata={"tags": [params.INJECTED_TAG]})
        nb.cells.insert(index + 1, cell)
        index += 1
    return decls, typed, index


def _write_code(target, java_string):
    """A Java statement that writes the String expression `java_string`, evaluated in the kernel, to file `target`."""
    return f"java.nio.file.Files.writeString(java.nio.file.Path.of({json.dumps(target)}), {java_string});"


def _capture_code(notebook, decls, target):
    pairs = ", ".join(f"{json.dumps(n)}, {n}" for n in decls)
    return _write_code(target, f"{ORIGIN_CLASS}.capture({params.java_string(notebook)}{', ' if pairs else ''}{pairs})")


def run(path, out_dir, profile="quick", values=None, from_text=(), timeout=900, html=False, provenance_dir=PROVENANCE_DIR):
    """Executes one notebook; returns (executed notebook, provenance record, exception or None).

    The executed copy goes to out_dir (also when a cell fails: what ran is kept), the record to provenance_dir."""
    notebook = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    decls, typed, capture_after = prepare(nb, notebook, values, from_text)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "java-deq")
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": ROOT}})
    state = {"current": None}
    fd, capture_file = tempfile.mkstemp(prefix="deqnc-parameters-", suffix=".json")
    os.close(fd)
    fd, seeds_file = tempfile.mkstemp(prefix="deqnc-seeds-", suffix=".json")
    os.close(fd)
    last_code = max((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), default=None)

    def on_execute(cell, cell_index):
        state["current"] = cell_index

    async def on_executed(cell, cell_index, execute_reply):
        # Once the parameters (and injected) cells have run, read back every parameter's effective value; the
        # kernel keeps them as the origin its figure writers record. Silent: no output, no execution count.
        ok = bool(execute_reply) and execute_reply["content"].get("status") == "ok"
        if cell_index == capture_after and decls and ok:
            msg_id = client.kc.execute(_capture_code(notebook, decls, capture_file), silent=True, store_history=False)
            await client.async_wait_for_reply(msg_id)
        # After the last cell, or the one that failed: the seeds the runs in this kernel noted (some notebooks keep
        # theirs inside a configuration text, where the parameters cell does not show them).
        if execute_reply and (cell_index == last_code or not ok):  # no reply: a stuck or dead kernel
            msg_id = client.kc.execute(_write_code(seeds_file, f"String.valueOf({ORIGIN_CLASS}.seedsUsed())"), silent=True, store_history=False)
            await client.async_wait_for_reply(msg_id)

    client.on_cell_execute, client.on_cell_executed = on_execute, on_executed
    os.makedirs(out_dir, exist_ok=True)
    out_path = os.path.join(out_dir, notebook)
    env = {PROFILE_ENV: profile, NOTEBOOK_ENV: notebook, PARAMETERS_ENV: json.dumps(typed)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits them when nbclient starts it
    started = datetime.datetime.now(datetime.timezone.utc)
    started_ns, t0 = time.time_ns(), time.monotonic()
    error = None
    try:
        client.execute()
    except Exception as e:  # noqa: BLE001 - every failure is reported as this notebook's, the others still run
        error = e
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        nbformat.write(nb, out_path)
    seconds = time.monotonic() - t0
    if html:
        from nbconvert import HTMLExporter
        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(out_path[:-len(".ipynb")] + ".html", "w", encoding="utf-8") as f:
            f.write(body)
    effective = _effective(decls, typed, capture_file)
    used = _seeds_used(seeds_file)
    os.unlink(capture_file)
    os.unlink(seeds_file)
    failure = None
    if error is not None:
        i = state["current"]
        first = one_line(nb.cells[i].source) if i is not None else ""
        failure = Failure(i, first, _error_line(error))
    outputs = _written_under_out(started_ns, {os.path.abspath(out_path), os.path.abspath(out_path[:-6] + ".html")})
    for rel in outputs:
        if rel.endswith(SIDECAR_EXTENSIONS):
            with open(os.path.join(ROOT, rel + SIDECAR_SUFFIX), "w", encoding="utf-8") as f:
                f.write(json.dumps({"notebook": notebook, "parameters": effective}) + "\n")
    record = provenance(notebook, effective, typed, profile, started, seconds, failure, outputs, used)
    os.makedirs(provenance_dir, exist_ok=True)
    with open(os.path.join(provenance_dir, notebook[:-len(".ipynb")] + ".json"), "w", encoding="utf-8") as f:
        json.dump(record, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return nb, record, error


def execute(path, out_dir, timeout=900, html=False, **kwargs):
    """Runs every cell of the notebook at `path`; returns (executed notebook, output path, seconds).

    Raises the first failing cell's error (CellExecutionError etc.) after saving what ran so far."""
    profile = kwargs.pop("profile", os.environ.get(PROFILE_ENV, "quick"))
    nb, record, error = run(path, out_dir, profile=profile, timeout=timeout, html=html, **kwargs)
    if error is not None:
        raise error
    return nb, os.path.join(out_dir, os.path.basename(path)), record["duration_s"]


def _effective(decls, typed, capture_file):
    """Defaults overridden by the injected values: as the kernel read them back, or (when the notebook stopped
    before that) the defaults written as plain literals, the injected values, and null for the rest."""
    try:
        with open(capture_file, encoding="utf-8") as f:
            text = f.read()
        if text.strip():
            return json.loads(text)
    except (OSError, ValueError):
        pass
    return {name: typed[name] if name in typed else params.literal_default(d) for name, d in decls.items()}


def _written_under_out(since_ns, exclude):
    found = []
    for dirpath, dirnames, filenames in os.walk(OUT):
        if os.path.abspath(dirpath) == os.path.abspath(PROVENANCE_DIR):
            dirnames[:] = []
            continue
        for name in filenames:
            full = os.path.join(dirpath, name)
            if name.endswith(SIDECAR_SUFFIX) or os.path.abspath(full) in exclude:
                continue
            try:
                if os.stat(full).st_mtime_ns >= since_ns:
                    found.append(os.path.relpath(full, ROOT))
            except OSError:
                pass
    return sorted(found)


def _seeds_used(seeds_file):
    try:
        with open(seeds_file, encoding="utf-8") as f:
            used = json.loads(f.read() or "[]")
        return [v for v in used if isinstance(v, int)]
    except (OSError, ValueError):
        return []


def _is_seed_name(name):
    return name.lower() in ("seed", "seeds") or name.endswith(("Seed", "Seeds", "_seed", "_seeds"))


def _seeds(effective, used=()):
    """Every seed of the record, in increasing order: the parameters named like seeds (seed, seeds, dataSeed, ...)
    and the seeds the notebook's runs noted in the kernel; None when there are none."""
    found = set(used)
    for key, v in effective.items():
        if not _is_seed_name(key) or isinstance(v, bool):
            continue
        if isinstance(v, int):
            found.add(v)
        elif isinstance(v, list):
            found.update(x for x in v if isinstance(x, int) and not isinstance(x, bool))
    return sorted(found) or None


def provenance(notebook, effective, injected, profile, started, seconds, failure, outputs, seeds_used=()):
    return {
        "notebook": notebook,
        "parameters": effective,
        "injected": injected,
        "profile": profile,
        "seeds": _seeds(effective, seeds_used),
        "git": _git(),
        "versions": _versions(),
        "machine": _machine(),
        "started": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "duration_s": round(seconds, 3),
        "status": "ok" if failure is None else "failed",
        "failed_cell": None if failure is None else failure.cell_index,
        "error": None if failure is None else failure.describe(notebook),
        "outputs": outputs,
    }


def _command(*args):
    try:
        r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=30)
        return r.stdout + r.stderr if r.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def _git():
    commit = _command("git", "rev-parse", "HEAD")
    status = _command("git", "status", "--porcelain", "--untracked-files=no")
    return {"commit": commit.strip() if commit else None, "dirty": bool(status.strip()) if status is not None else None}


_VERSIONS = None


def _versions():
    """Java from the JVM the kernel runs on; DJL and PyTorch as the build pins them (pom.xml)."""
    global _VERSIONS
    if _VERSIONS is None:
        out = _command("java", "-XshowSettings:properties", "-version") or ""
        java = re.search(r"java\.runtime\.version = (\S+)", out)
        with open(os.path.join(ROOT, "pom.xml"), encoding="utf-8") as f:
            pom = f.read()
        prop = lambda name: (re.search(rf"<{re.escape(name)}>([^<]+)</", pom) or [None, None])[1]  # noqa: E731
        _VERSIONS = {"java": java.group(1) if java else None, "djl": prop("djl.version"), "pytorch": prop("pytorch.version")}
    return _VERSIONS


def _machine():
    cpu = platform.processor() or None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            cpu = m.group(1).strip() if m else cpu
    except OSError:
        pass
    gpu = _command("nvidia-smi", "--query-gpu=name", "--format=csv,noheader")
    return {"cpu": cpu, "cores": os.cpu_count(), "gpu": ", ".join(gpu.split("\n")).strip(", ") if gpu else None}


# --- command line ----------------------------------------------------------------------------------------------

def select(patterns):
    """The notebooks named by `patterns` (file names, stems or globs over notebooks/*.ipynb, or paths), in order."""
    available = sorted(glob.glob(os.path.join(NOTEBOOK_DIR, "*.ipynb")))
    if not patterns:
        return available
    chosen = []
    for pattern in patterns:
        if os.path.isfile(pattern) and pattern.endswith(".ipynb"):
            hits = [os.path.abspath(pattern)]
        else:
            name = os.path.basename(pattern)
            hits = [p for p in available if fnmatch.fnmatch(os.path.basename(p), name)
                    or fnmatch.fnmatch(os.path.basename(p)[:-len(".ipynb")], name)]
        if not hits:
            names = ", ".join(os.path.basename(p) for p in available)
            raise SystemExit(f"error: no notebook matches '{pattern}'; notebooks: {names}")
        chosen += [p for p in hits if p not in chosen]
    return chosen


def load_values(files, pairs):
    """(shared values, {notebook: values}, names given as text) from -f files (YAML) and -p pairs (text)."""
    shared, per_notebook = {}, {}
    for file in files or []:
        try:
            import yaml
        except ImportError:
            raise SystemExit("error: -f needs PyYAML (Debian: python3-yaml; environment/setup.sh installs it)") from None
        try:
            with open(file, encoding="utf-8") as f:
                data = yaml.safe_load(f) or {}
        except (OSError, yaml.YAMLError) as e:
            raise SystemExit(f"error: -f {file}: {one_line(str(e))}") from None
        if not isinstance(data, dict):
            raise SystemExit(f"error: -f {file}: must be a mapping of parameter names to values, got {type(data).__name__}")
        for key, value in data.items():
            if str(key).endswith(".ipynb"):
                if not isinstance(value, dict):
                    raise SystemExit(f"error: -f {file}: '{key}' must map parameter names to values")
                per_notebook.setdefault(key, {}).update(value)
            else:
                shared[str(key)] = value
    from_text = set()
    for name, value in pairs or []:
        shared[name] = value
        from_text.add(name)
    return shared, per_notebook, from_text


def summary(rows, out_dir):
    """One screen: what ran, how long, where everything went."""
    width = max([len(r["notebook"]) for r in rows] + [8])
    lines = ["", f"{'notebook':<{width}}  status   seconds  files", f"{'-' * width}  ------  --------  -----"]
    for r in rows:
        lines.append(f"{r['notebook']:<{width}}  {r['status']:<6}  {r['duration_s']:8.1f}  {len(r['outputs']):5d}")
    total = sum(r["duration_s"] for r in rows)
    ok = sum(r["status"] == "ok" for r in rows)
    lines.append(f"{ok} of {len(rows)} notebooks ok ({total:.0f} s in all). Where things are:")
    rel = lambda p: os.path.relpath(p, ROOT)  # noqa: E731
    lines.append(f"  {'executed notebooks':<24} {rel(out_dir)}/")
    for folder, what in (("figures", "figures (PNG/SVG/HTML)"), ("tables", "tables (CSV)")):
        d = os.path.join(OUT, folder)
        if os.path.isdir(d):
            lines.append(f"  {what:<24} {rel(d)}/ ({len(os.listdir(d))} files)")
    lines.append(f"  {'provenance':<24} {rel(PROVENANCE_DIR)}/<notebook>.json")
    for r in rows:
        if r["status"] != "ok":
            lines.append(f"FAILED {r['error']}")
    return "\n".join(lines)


def main(argv=None):
    """Runs the command line; exit status 0 when every notebook ran, 1 when one failed, 2 for a wrong argument
    (notebook name, profile, parameter), found before any kernel starts."""
    try:
        return _main(argv)
    except SystemExit as e:
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
            return 2
        raise


def _main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", help="names or globs over notebooks/*.ipynb (default: all), or paths")
    ap.add_argument("--profile", default=os.environ.get(PROFILE_ENV, "quick"),
                    help="quick (default), full or paper; reaches the notebooks as DEQNC_PROFILE")
    ap.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                    help="override a parameter (repeatable); VALUE is read as the declared Java type, lists as 1,2,3")
    ap.add_argument("-f", "--parameters-file", action="append", metavar="FILE",
                    help="YAML mapping of parameter names to values; a key NOTEBOOK.ipynb holds that notebook's own")
    ap.add_argument("--out", default=os.path.join(OUT, "notebooks"), help="where the executed copies go")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    ap.add_argument("--html", action="store_true", help="also write an HTML copy next to each notebook")
    ap.add_argument("--check", action="store_true",
                    help="only check the selection, profile and parameters (no kernel); exit status 2 if wrong")
    args = ap.parse_args(argv)
    if args.profile not in PROFILES:
        raise SystemExit(f"error: --profile: must be one of {', '.join(PROFILES)}, got '{args.profile}'")
    paths = select(args.notebooks)
    shared, per_notebook, from_text = load_values(args.parameters_file, args.parameter)
    unknown_sections = set(per_notebook) - {os.path.basename(p) for p in paths}
    if unknown_sections:
        raise SystemExit(f"error: -f: parameters for notebooks not selected: {', '.join(sorted(unknown_sections))}")
    # Every selected notebook's parameters are checked before the first one runs: a typo costs no kernel time.
    plan, problems = [], []
    for path in paths:
        name = os.path.basename(path)
        values = {**shared, **per_notebook.get(name, {})}
        try:
            prepare(nbformat.read(path, as_version=4), name, values, from_text)
            plan.append((path, values))
        except params.ParameterError as e:
            problems.append(f"error: {e}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    if args.check:
        return 0
    rows = []
    for i, (path, values) in enumerate(plan, 1):
        name = os.path.basename(path)
        print(f"==> [{i}/{len(plan)}] {name} (profile {args.profile}"
              + (f", {', '.join(f'{k}={v}' for k, v in values.items())}" if values else "") + ")", flush=True)
        _, record, _ = run(path, args.out, args.profile, values, from_text, args.timeout, args.html)
        rows.append(record)
        if record["status"] == "ok":
            print(f"    ok in {record['duration_s']:.1f} s, {len(record['outputs'])} files written", flush=True)
        else:
            print(f"    FAILED after {record['duration_s']:.1f} s: {record['error']}", file=sys.stderr, flush=True)
    print(summary(rows, args.out), flush=True)
    failed = [r["notebook"] for r in rows if r["status"] != "ok"]
    if failed:
        print(f"error: {len(failed)} notebook(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
