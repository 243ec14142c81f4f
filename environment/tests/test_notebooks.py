"""Every notebook runs headlessly with the java-deq kernel (quick profile), and its outputs show the
facts its text claims. Each notebook has a check below; a notebook without one fails the suite, so
a new notebook cannot land untested."""
import fnmatch
import glob
import importlib
import json
import math
import os
import re
import tempfile
import unittest

import regression
from run_notebooks import ROOT, execute

NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
# DEQNC_TEST_NOTEBOOKS="2*.ipynb,30-*" executes only the notebooks whose names match (while developing);
# unset, every notebook runs, as in CI.
SELECTED = [p for p in NOTEBOOKS
            if not os.environ.get("DEQNC_TEST_NOTEBOOKS")
            or any(fnmatch.fnmatch(os.path.basename(p), g) for g in os.environ["DEQNC_TEST_NOTEBOOKS"].split(","))]


def outputs(nb, cell_index):
    return nb.cells[cell_index].get("outputs", [])


def stdout(nb, cell_index):
    return "".join(o.get("text", "") for o in outputs(nb, cell_index)
                   if o.output_type == "stream" and o.name == "stdout")


def code_cells(nb):
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def all_stdout(nb):
    return "".join(stdout(nb, i) for i in code_cells(nb))


def printed_facts(nb):
    """Every `name: value` line the notebook printed, value as text (numbers, true/false)."""
    return dict(re.findall(r"^([^:\n]+): ([-+0-9.eE]+|true|false)[ \t]*$", all_stdout(nb), re.M))


def result_table(nb, title):
    """The text/plain rendering of the table whose caption starts with `title`, as a list of row dicts.

    Columns are cut at the dashed rule under the header (fixed-width layout), so empty cells stay empty."""
    for i in code_cells(nb):
        for o in outputs(nb, i):
            text = o.get("data", {}).get("text/plain", "") if o.output_type in ("execute_result", "display_data") else ""
            if text.startswith(title):
                lines = text.splitlines()
                rule = lines[2]
                spans = [m.span() for m in re.finditer(r"-+", rule)]
                header = [lines[1][a:b if k < len(spans) - 1 else None].strip() for k, (a, b) in enumerate(spans)]
                rows = []
                for line in lines[3:]:
                    cells = [line[a:spans[k + 1][0] if k < len(spans) - 1 else None].strip() for k, (a, _) in enumerate(spans)]
                    rows.append(dict(zip(header, cells)))
                return rows
    raise AssertionError(f"no table output titled {title!r}")


def svg_figures(nb):
    return [o for i in code_cells(nb) for o in outputs(nb, i)
            if o.output_type == "display_data" and "<svg" in o.data.get("image/svg+xml", "")]


def check_quickstart(test, nb):
    cells = [i for i in code_cells(nb) if not {"parameters", "injected-parameters"} & set(nb.cells[i].metadata.get("tags", []))]
    # 1. the plain Java cell printed and returned 42
    test.assertIn("computed 42", stdout(nb, cells[0]))
    result = [o for o in outputs(nb, cells[0]) if o.output_type == "execute_result"][0]
    test.assertEqual(result.data["text/plain"], "42")
    # 2. %help shows a table of magics, HTML with a text fallback
    help_out = [o for o in outputs(nb, cells[1]) if o.output_type == "display_data"][0]
    test.assertIn("<table", help_out.data["text/html"])
    test.assertIn("%help", help_out.data["text/plain"])
    # 3. the DJL trace renders as an HTML table with a text/plain fallback
    table = [o for o in outputs(nb, cells[2]) if o.output_type == "execute_result"][0]
    test.assertIn("<table", table.data["text/html"])
    test.assertIn("PyTorch 2.7.1", table.data["text/plain"])
    # 4. the claims: converged, fixed-point equation satisfied, contraction bound respected
    text = stdout(nb, cells[3])
    facts = dict(re.findall(r"^([a-z -]+): ([0-9.eE+-]+)", text, re.M))
    test.assertLess(float(facts["final residual"]), 1e-12)
    test.assertLess(float(facts["fixed-point error"]), 1e-12)
    test.assertLessEqual(float(facts["worst contraction ratio"]), 0.5)
    # Banach: residual_k <= 0.5^(k-1) residual_1, so reaching 1e-12 from ~5.5 takes at most ~43 steps
    test.assertLessEqual(int(facts["iterations"]), math.ceil(math.log(1e-12 / 5.5) / math.log(0.5)) + 1)


CHECKS = {
    "00-quickstart.ipynb": check_quickstart,
}


def _collect_notebook_checks():
    """Notebook groups keep their checks in their own module, checks_<group>.py beside this file, each with a
    CHECKS dict of notebook file name -> check(test, nb); they are gathered here so that one test runs them all."""
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "checks_*.py"))):
        module = importlib.import_module(os.path.basename(path)[:-len(".py")])
        clash = set(CHECKS) & set(module.CHECKS)
        if clash:
            raise RuntimeError(f"{path}: notebooks already checked elsewhere: {sorted(clash)}")
        CHECKS.update(module.CHECKS)


_collect_notebook_checks()


class NotebooksRunHeadlessly(unittest.TestCase):
    def test_every_notebook_has_a_check(self):
        names = {os.path.basename(p) for p in NOTEBOOKS}
        self.assertTrue(names, "no notebooks found")
        self.assertEqual(names - set(CHECKS), set(), "notebooks without output checks")

    def test_notebooks(self):
        os.environ.setdefault("DEQNC_PROFILE", "quick")
        with tempfile.TemporaryDirectory() as out:
            for path in SELECTED:
                name = os.path.basename(path)
                with self.subTest(notebook=name):
                    nb, _, seconds = execute(path, out, timeout=900)
                    print(f"{name}: {seconds:.0f} s (load average {os.getloadavg()[0]:.1f})", flush=True)
                    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                              if o.output_type == "error"]
                    self.assertEqual(errors, [])
                    stderr = [o.text for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                              if o.output_type == "stream" and o.name == "stderr"]
                    self.assertEqual(stderr, [], "notebooks must not print to stderr")
                    CHECKS[name](self, nb)
                    self.check_claims_are_machine_readable(nb)
                    self.check_regression(nb, name[:-len(".ipynb")])

    def check_claims_are_machine_readable(self, nb):
        """Every "Claim vs our run" table shown carries its JSON copy with the same rows (org.deqnc.report.Claims),
        so the claims report (environment/claims_report.py) lists every claim."""
        for i in code_cells(nb):
            for o in outputs(nb, i):
                data = o.get("data", {}) if o.output_type in ("execute_result", "display_data") else {}
                caption = re.match(r"Claim vs our run \((\d+) rows", data.get("text/plain", ""))
                if caption:
                    self.assertIn(regression.CLAIMS_MIME, data, "a claim table shown without Claims' JSON copy")
                    claims = data[regression.CLAIMS_MIME]
                    claims = json.loads(claims) if isinstance(claims, str) else claims
                    self.assertEqual(len(claims["claims"]), int(caption.group(1)))

    def check_regression(self, nb, stem):
        """Deterministic cells match the committed reference (environment/regression.py), when the notebook has
        one for this profile; DEQNC_RECORD_REFERENCES=1 (re)writes the references from this run instead."""
        profile = os.environ["DEQNC_PROFILE"]
        if os.environ.get("DEQNC_RECORD_REFERENCES") == "1":
            regression.record(nb, stem, profile)
            return
        reference = regression.load_reference(stem)
        if reference is not None and reference["profile"] == profile:
            problems = regression.compare(nb, reference)
            if problems:
                self.fail("regression check against environment/tests/reference:\n" + "\n".join(problems))


if __name__ == "__main__":
    unittest.main()
