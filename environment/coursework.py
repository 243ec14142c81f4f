#!/usr/bin/python3
"""Coursework for the Java notebooks: check an assignment, make its student version, grade submissions.

An assignment is a notebook (the instructor's version, with the reference solution) whose cells carry
nbgrader's metadata (`nbgrader`: solution, grade, grade_id, points, locked, schema_version). In Java code,
solution regions lie between `// BEGIN SOLUTION` and `// END SOLUTION` lines, and test lines hidden from
students between `// BEGIN HIDDEN TESTS` and `// END HIDDEN TESTS` (in Markdown: `### BEGIN SOLUTION` ...).

  coursework.py validate SOURCE.ipynb...               check metadata and markers
  coursework.py student SOURCE.ipynb... --out DIR      write the student versions
  coursework.py grade SOURCE.ipynb SUBMISSION... --out DIR [--timeout S] [--max-restarts N]

A SUBMISSION is a notebook or a folder searched for notebooks named like SOURCE (folder layout
SUBMISSIONS/<student>/<name>.ipynb; the student is the file's parent folder). Grading runs the instructor's
notebook with each solution cell taken from the submission (matched by grade_id), so the submission's test
cells, hidden tests and metadata are never trusted. Per submission it writes <student>/<name>.json (scores per
grade cell and in total), <student>/<name>.feedback.md and the executed <student>/<name>.ipynb, and a table
<name>-scores.csv of every student. See docs/coursework.md.
"""
import argparse
import copy
import csv
import datetime
import json
import os
import re
import sys
import time

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_VERSION = 3
CODE_STUB = 'throw new UnsupportedOperationException("your code here");'
MARKDOWN_STUB = "YOUR ANSWER HERE"
BEGIN_SOLUTION = re.compile(r"^(\s*)(?://|#+)\s*BEGIN SOLUTION\s*$")
END_SOLUTION = re.compile(r"^\s*(?://|#+)\s*END SOLUTION\s*$")
BEGIN_HIDDEN = re.compile(r"^\s*//\s*BEGIN HIDDEN TESTS\s*$")
END_HIDDEN = re.compile(r"^\s*//\s*END HIDDEN TESTS\s*$")
# Seconds a fresh kernel gets for its first cell, whatever the per-cell limit.
STARTUP_TIMEOUT = 120
# Whatever a grade cell prints after a failure, the feedback quotes at most this much of it.
MESSAGE_LIMIT = 600


class CourseworkError(Exception):
    """A malformed assignment or a bad argument: one line naming the notebook and the cell."""


def nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def is_solution(cell):
    return bool(nbgrader(cell).get("solution"))


def is_grade(cell):
    return bool(nbgrader(cell).get("grade"))


def grade_id(cell):
    return nbgrader(cell).get("grade_id")


def regions(lines, begin, end, where):
    """(start, stop) line index pairs of marked regions, markers included; unbalanced markers are an error."""
    found, start = [], None
    for i, line in enumerate(lines):
        if begin.match(line):
            if start is not None:
                raise CourseworkError(f"{where}: line {i + 1}: a region starts inside another (line {start + 1})")
            start = i
        elif end.match(line):
            if start is None:
                raise CourseworkError(f"{where}: line {i + 1}: an END marker without its BEGIN")
            found.append((start, i))
            start = None
    if start is not None:
        raise CourseworkError(f"{where}: line {start + 1}: a BEGIN marker without its END")
    return found


def validate(nb, name):
    """Checks the assignment's metadata and markers; returns its grade cells' total points."""
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):
        raise CourseworkError(f"{name}: needs nbformat 4.5 or later (cell ids, which match the cells a student adds "
                              f"to the instructor's), got {nb.nbformat}.{nb.nbformat_minor}")
    ids, total = set(), 0
    for index, cell in enumerate(nb.cells):
        meta = nbgrader(cell)
        limit = cell.metadata.get("coursework", {}).get("timeout")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise CourseworkError(f"{name}: cell {index}: metadata coursework.timeout must be a whole number of seconds >= 1, got {limit!r}")
        where = f"{name}: cell {index}" + (f" ({meta['grade_id']})" if meta.get("grade_id") else "")
        lines = cell.source.splitlines()
        solutions = regions(lines, BEGIN_SOLUTION, END_SOLUTION, where)
        hidden = regions(lines, BEGIN_HIDDEN, END_HIDDEN, where)
        if not meta:
            if solutions or hidden:
                raise CourseworkError(f"{where}: has solution or hidden-test markers but no nbgrader metadata")
            continue
        gid = meta.get("grade_id")
        if not gid or not isinstance(gid, str):
            raise CourseworkError(f"{where}: nbgrader metadata needs a grade_id")
        if gid in ids:
            raise CourseworkError(f"{where}: grade_id {gid!r} is used twice; each cell needs its own")
        ids.add(gid)
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise CourseworkError(f"{where}: nbgrader schema_version must be {SCHEMA_VERSION}, got {meta.get('schema_version')!r}")
        if meta.get("solution") and meta.get("grade"):
            raise CourseworkError(f"{where}: a cell is either an answer (solution) or a test (grade), not both: "
                                  "manually graded answers are not supported")
        if meta.get("solution") and not solutions:
            raise CourseworkError(f"{where}: a solution cell needs a BEGIN SOLUTION / END SOLUTION region")
        if not meta.get("solution") and solutions:
            raise CourseworkError(f"{where}: solution markers in a cell whose nbgrader.solution is false")
        if hidden and not meta.get("grade"):
            raise CourseworkError(f"{where}: hidden tests belong in grade cells only")
        if meta.get("grade"):
            if cell.cell_type != "code":
                raise CourseworkError(f"{where}: grade cells must be code cells (tests), got {cell.cell_type}")
            points = meta.get("points")
            if not isinstance(points, (int, float)) or isinstance(points, bool) or not points > 0:
                raise CourseworkError(f"{where}: a grade cell needs points > 0, got {points!r}")
            if not meta.get("locked"):
                raise CourseworkError(f"{where}: a grade cell must be locked")
            total += points
    if total == 0:
        raise CourseworkError(f"{name}: no grade cells (nbgrader.grade true with points)")
    return total


def replace_regions(lines, found, replacement):
    out, last = [], 0
    for start, stop in found:
        out.extend(lines[last:start])
        if replacement is not None:
            out.append(replacement(lines[start]))
        last = stop + 1
    out.extend(lines[last:])
    return out


def student_cell(cell):
    """The cell as a student gets it: solution regions become a stub, hidden tests go, outputs are cleared."""
    cell = copy.deepcopy(cell)
    lines = cell.source.splitlines()
    if is_solution(cell):
        if cell.cell_type == "code":
            stub = lambda begin: BEGIN_SOLUTION.match(begin).group(1) + CODE_STUB
        else:
            stub = lambda begin: MARKDOWN_STUB
        lines = replace_regions(lines, regions(lines, BEGIN_SOLUTION, END_SOLUTION, "cell"), stub)
    if is_grade(cell):
        lines = replace_regions(lines, regions(lines, BEGIN_HIDDEN, END_HIDDEN, "cell"), None)
    cell.source = "\n".join(lines)
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def student_version(nb, name):
    validate(nb, name)
    out = copy.deepcopy(nb)
    out.cells = [student_cell(c) for c in nb.cells]
    return out


def assemble(source, submission):
    """The notebook to grade: the instructor's cells, each solution cell's source taken from the submission
    cell with the same grade_id, and the code cells the student added placed after the cell they followed.

    Returns (notebook, notes); each assembled cell carries metadata `coursework.origin`."""
    # Each source cell is known by its cell id, or by its grade_id where it has none; a submission cell is the
    # source cell with its grade_id (the id a student cannot see changed) or else its cell id.
    key = lambda c: c.get("id") or grade_id(c)
    by_grade_id = {grade_id(c): c for c in source.cells if grade_id(c)}
    by_id = {c.get("id"): c for c in source.cells if c.get("id")}
    answers, added, anchor = {}, {}, None
    for cell in submission.cells:
        known = by_grade_id.get(grade_id(cell)) or by_id.get(cell.get("id"))
        if known is not None:
            anchor = key(known)
            if is_solution(known) and grade_id(cell) == grade_id(known):
                answers.setdefault(grade_id(known), cell)
        elif cell.cell_type == "code" and cell.source.strip():
            added.setdefault(anchor, []).append(cell)
    notes = []
    cells = [mark(copy.deepcopy(c), "added") for c in added.get(None, [])]
    for cell in source.cells:
        cell = copy.deepcopy(cell)
        gid = grade_id(cell)
        if is_solution(cell):
            if gid in answers:
                cell.source = answers[gid].source
                mark(cell, "answer")
            else:
                cell = mark(student_cell(cell), "stub")
                notes.append(f"answer cell {gid} is missing from the submission: its unanswered stub ran instead")
        else:
            mark(cell, "test" if is_grade(cell) else "instructor")
        cells.append(cell)
        cells.extend(mark(copy.deepcopy(extra), "added") for extra in added.get(key(cell), []))
    nb = copy.deepcopy(source)
    nb.cells = cells
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    return nb, notes


def mark(cell, origin):
    cell.metadata.setdefault("coursework", {})["origin"] = origin
    return cell


def error_text(cell):
    """One readable message from a cell's error output: the exception and its message, no stack trace."""
    for o in cell.get("outputs", []):
        if o.output_type == "error":
            text = (o.get("evalue") or "").strip() or "\n".join(o.get("traceback", []))
            text = re.sub(r"\x1b\[[0-9;]*m", "", text)
            ename = o.get("ename") or "error"
            message = text if text.startswith(ename) else f"{ename}: {text}"
            return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + " …"
    return None


class Kernel:
    """One kernel process running cells of `nb` through nbclient; killed, not asked, when it is closed."""

    def __init__(self, nb, kernel_name, timeout, cwd):
        from nbclient import NotebookClient
        self.client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                                     interrupt_on_timeout=False, record_timing=False, shutdown_kernel="immediate",
                                     resources={"metadata": {"path": cwd}})
        self.client.create_kernel_manager()
        self.client.start_new_kernel()
        self.client.start_new_kernel_client()

    def run(self, cell, index, timeout=None):
        """Runs one cell (within `timeout` seconds if given, else the client's); returns None, 'timeout' or 'died'."""
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        limit = self.client.timeout
        if timeout is not None:
            self.client.timeout = timeout
        try:
            self.client.execute_cell(cell, index)
            return None
        except CellTimeoutError:
            return "timeout"
        except DeadKernelError:
            return "died"
        finally:
            self.client.timeout = limit

    def close(self):
        try:
            self.client._cleanup_kernel()
        except Exception:  # a dead or hung kernel: its process is gone or killed either way
            pass


def grade(source_path, submission_path, out_dir, student, timeout=120, max_restarts=2, kernel_name=None):
    """Grades one submission; writes the score JSON, the feedback and the executed notebook; returns the score dict."""
    name = os.path.splitext(os.path.basename(source_path))[0]
    source = nbformat.read(source_path, as_version=4)
    max_score = validate(source, source_path)
    try:
        submission = nbformat.read(submission_path, as_version=4)
        nb, notes = assemble(source, submission)
    except Exception as e:  # an unreadable file still gets a score: zero, with the reason
        nb, notes = assemble(source, nbformat.v4.new_notebook())
        notes.insert(0, f"the submission could not be read as a notebook ({type(e).__name__}: {e}); every answer is the stub")
    kernel_name = kernel_name or source.metadata.get("kernelspec", {}).get("name", "java-deq")
    results, ran_ok, restarts, lost = {}, [], 0, None
    started = time.monotonic()
    kernel = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        gid = grade_id(cell)
        origin = cell.metadata["coursework"]["origin"]
        if lost:
            if is_grade(cell):
                results[gid] = result(cell, "not run", f"not run: {lost}")
            continue
        if kernel is None:
            kernel, replay_problem = start_kernel(nb, kernel_name, timeout, ran_ok)
            if replay_problem:
                lost = replay_problem
                if is_grade(cell):
                    results[gid] = result(cell, "not run", f"not run: {lost}")
                continue
        limit = cell_timeout(cell, timeout)
        t0 = time.monotonic()
        failure = kernel.run(cell, index, timeout=limit)
        seconds = time.monotonic() - t0
        if failure:
            kernel.close()
            kernel = None
            what = (f"stopped at the time limit of {limit} s" if failure == "timeout"
                    else "the kernel died (System.exit, a crash or the process was killed)")
            where = gid or f"cell {index}"
            if is_grade(cell):
                results[gid] = result(cell, failure if failure == "timeout" else "kernel died", what, seconds)
            else:
                notes.append(f"{origin} cell {where}: {what}; it is left out when the kernel restarts")
            restarts += 1
            if restarts > max_restarts:
                lost = f"the kernel was lost {restarts} times (last in {where}: {what}); the remaining cells score 0"
            continue
        message = error_text(cell)
        if is_grade(cell):
            results[gid] = result(cell, "failed" if message else "passed", message or "", seconds)
        else:
            if message:
                notes.append(f"{origin} cell {gid or index}: {message}")
            else:
                ran_ok.append(index)
    if kernel is not None:
        kernel.close()
    cells = [results.get(grade_id(c)) or result(c, "not run", "not run") for c in nb.cells if is_grade(c)]
    score = {
        "assignment": name,
        "student": student,
        "source": os.path.relpath(source_path, ROOT) if os.path.commonpath([ROOT, os.path.abspath(source_path)]) == ROOT else source_path,
        "submission": submission_path,
        "score": sum(c["score"] for c in cells),
        "max_score": max_score,
        "cells": cells,
        "notes": notes,
        "kernel_restarts": restarts,
        "timeout_s": timeout,
        "seconds": round(time.monotonic() - started, 1),
        "graded_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    target = os.path.join(out_dir, student)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(score, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(target, name + ".feedback.md"), "w", encoding="utf-8") as f:
        f.write(feedback(score))
    nbformat.write(nb, os.path.join(target, name + ".ipynb"))
    return score


def start_kernel(nb, kernel_name, timeout, ran_ok):
    """A fresh kernel with the cells that ran cleanly before replayed; (kernel, None) or (None, why not)."""
    try:
        kernel = Kernel(copy.deepcopy(nb), kernel_name, timeout, ROOT)
    except Exception as e:
        return None, f"the kernel '{kernel_name}' did not start ({type(e).__name__}: {e})"
    # A fresh JVM compiles its first cell slowly, and a busy machine replays more slowly than the first run: neither
    # is the submission's doing, so the warm-up and the replays get more time than the per-cell limit.
    warm_up = nbformat.v4.new_code_cell("0")
    if kernel.run(warm_up, 0, timeout=max(STARTUP_TIMEOUT, timeout)) or error_text(warm_up):
        kernel.close()
        return None, f"the kernel '{kernel_name}' did not answer a first cell within {max(STARTUP_TIMEOUT, timeout)} s"
    for index in ran_ok:
        replay = copy.deepcopy(nb.cells[index])
        if kernel.run(replay, index, timeout=2 * cell_timeout(replay, timeout) + STARTUP_TIMEOUT) or error_text(replay):
            kernel.close()
            return None, f"replaying cell {grade_id(nb.cells[index]) or index} after a restart failed"
    return kernel, None


def cell_timeout(cell, default):
    """The cell's time limit: `metadata.coursework.timeout` of the instructor's cell (for a slow set-up cell), else
    the default. Assembled cells carry the instructor's metadata only, so a submission cannot raise it."""
    return cell.metadata.get("coursework", {}).get("timeout", default)


def result(cell, status, message, seconds=0.0):
    meta = nbgrader(cell)
    points = meta.get("points", 0)
    return {"grade_id": meta.get("grade_id"), "status": status, "score": points if status == "passed" else 0,
            "max_score": points, "message": message, "seconds": round(seconds, 1)}


def feedback(score):
    lines = [f"# Feedback: {score['assignment']} ({score['student']})", "",
             f"**Score: {fmt(score['score'])} / {fmt(score['max_score'])}**", "",
             "| test cell | points | status | message |", "|---|---|---|---|"]
    for c in score["cells"]:
        message = c["message"].replace("|", "\\|").replace("\n", "<br>")
        lines.append(f"| {c['grade_id']} | {fmt(c['score'])} / {fmt(c['max_score'])} | {c['status']} | {message} |")
    if score["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in score["notes"]]
    lines += ["", f"Graded {score['graded_at']} with a time limit of {score['timeout_s']} s per cell; "
              f"kernel restarts: {score['kernel_restarts']}.", ""]
    return "\n".join(lines)


def fmt(x):
    return f"{x:g}"


def submissions(paths, name):
    """(student, path) pairs: a notebook names its student by its parent folder; a folder is searched."""
    found = []
    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                if name + ".ipynb" in filenames:
                    found.append((os.path.basename(dirpath), os.path.join(dirpath, name + ".ipynb")))
        elif os.path.isfile(p):
            found.append((os.path.basename(os.path.dirname(os.path.abspath(p))), p))
        else:
            raise CourseworkError(f"submission: no file or folder {p}")
    if not found:
        raise CourseworkError(f"submission: no notebook named {name}.ipynb under {', '.join(paths)}")
    students = [s for s, _ in found]
    twice = sorted({s for s in students if students.count(s) > 1})
    if twice:
        raise CourseworkError(f"submission: more than one {name}.ipynb for student(s) {', '.join(twice)}")
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check assignments' metadata and markers")
    v.add_argument("sources", nargs="+")
    s = sub.add_parser("student", help="write student versions (solutions and hidden tests removed)")
    s.add_argument("sources", nargs="+")
    s.add_argument("--out", required=True)
    g = sub.add_parser("grade", help="grade submissions of one assignment")
    g.add_argument("source")
    g.add_argument("submissions", nargs="+")
    g.add_argument("--out", required=True)
    g.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    g.add_argument("--max-restarts", type=int, default=2, help="kernel restarts per submission before the rest scores 0")
    g.add_argument("--kernel", help="kernel name (default: the notebook's)")
    args = ap.parse_args(argv)
    try:
        if args.command == "validate":
            for path in args.sources:
                total = validate(nbformat.read(path, as_version=4), path)
                print(f"ok    {path}: {fmt(total)} points")
        elif args.command == "student":
            os.makedirs(args.out, exist_ok=True)
            for path in args.sources:
                target = os.path.join(args.out, os.path.basename(path))
                if os.path.abspath(target) == os.path.abspath(path):
                    raise CourseworkError(f"--out: {args.out} would overwrite the source {path}; choose another folder")
                nbformat.write(student_version(nbformat.read(path, as_version=4), path), target)
                print(f"wrote {target}")
        else:
            if args.timeout < 1 or args.max_restarts < 0:
                raise CourseworkError("--timeout must be >= 1 and --max-restarts >= 0")
            name = os.path.splitext(os.path.basename(args.source))[0]
            rows = []
            for student, path in submissions(args.submissions, name):
                score = grade(args.source, path, args.out, student, args.timeout, args.max_restarts, args.kernel)
                rows.append(score)
                print(f"{student}: {fmt(score['score'])} / {fmt(score['max_score'])}  ({score['seconds']} s) -> "
                      f"{os.path.join(args.out, student, name)}.json", flush=True)
            table = os.path.join(args.out, name + "-scores.csv")
            with open(table, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["student", "score", "max_score"] + [c["grade_id"] for c in rows[0]["cells"]])
                for r in rows:
                    w.writerow([r["student"], fmt(r["score"]), fmt(r["max_score"])] + [fmt(c["score"]) for c in r["cells"]])
            print(f"wrote {table}")
    except CourseworkError as e:
        sys.exit(f"error: {e}")
    except (OSError, nbformat.reader.NotJSONError) as e:  # a missing or unreadable assignment notebook
        sys.exit(f"error: {e}")


if __name__ == "__main__":
    main()
