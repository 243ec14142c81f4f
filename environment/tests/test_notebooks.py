"""Every notebook runs headlessly with the java-deq kernel (quick profile), and its outputs show the
facts its text claims. Each notebook has a check below; a notebook without one fails the suite, so
a new notebook cannot land untested."""
import fnmatch
import glob
import importlib
import math
import os
import re
import tempfile
import unittest

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


def fang_balanced_optimum(k, e_h, e_w):
    """Fang et al.'s balanced layer-peeled optimum, written out here independently of the library."""
    return k * math.log(1 + (k - 1) * math.exp(-math.sqrt(e_h * e_w) * k / (k - 1)))


def check_quickstart(test, nb):
    cells = code_cells(nb)
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


def check_theory_balanced(test, nb):
    facts = printed_facts(nb)
    problem = re.search(r"LayerPeeledProblem\[K=(\d+), K_A=1, R=1.0, E_H=([0-9.]+), E_W=([0-9.]+)\]", all_stdout(nb))
    k, e_h, e_w = int(problem.group(1)), float(problem.group(2)), float(problem.group(3))
    expected = fang_balanced_optimum(k, e_h, e_w)
    # the printed closed form is the formula, and the certified solver reaches it to 1e-6 relative
    test.assertAlmostEqual(float(facts["closed form"]), expected, delta=1e-12 * expected)
    test.assertLess(abs(float(facts["certified solver loss"]) - expected) / expected, 1e-6)
    # the DEQ with ||W_D|| <= gamma has gain 1/(1 - gamma); its optimum is the closed form at E_H gain^2
    # (6 significant digits are printed in the table)
    gamma = float(re.search(r"DEQ: deq\(gamma=([0-9.]+)\)", all_stdout(nb)).group(1))
    deq = [r for r in result_table(nb, "attained losses") if r["model"] == "deq"][0]
    deq_optimum = fang_balanced_optimum(k, e_h / (1 - gamma) ** 2, e_w)
    test.assertLess(abs(float(deq["reduced_loss"]) - deq_optimum) / deq_optimum, 1e-5)
    test.assertLess(abs(float(deq["direct_loss"]) - deq_optimum) / deq_optimum, 1e-5)
    # NC1 -> 0 from a random start, ETF and self-duality at the optima
    test.assertGreater(float(facts["deq NC1 at the start"]), 1.0)
    test.assertLess(float(facts["deq NC1 at the end"]), 1e-6)
    test.assertLess(float(facts["worst NC2 (ETF distance) at the optima"]), 1e-6)
    test.assertLess(float(facts["worst NC3 (self-duality) at the optima"]), 1e-6)
    test.assertEqual(facts["DEQ loss below every explicit depth"], "true")
    test.assertEqual(len(svg_figures(nb)), 1)
    test.assertEqual(len(result_table(nb, "Claim vs our run")), 6)


def check_theory_imbalanced(test, nb):
    facts = printed_facts(nb)
    test.assertLess(float(facts["worst relative duality gap"]), 1e-9)
    test.assertLess(float(facts["R = 1 relative error vs closed form"]), 1e-6)
    rows = result_table(nb, "minority_cos_mean by R")
    ratios = [float(r["R"]) for r in rows]
    test.assertAlmostEqual(ratios[0], 1.0)
    test.assertAlmostEqual(ratios[-1], 1000.0, delta=1e-3)
    series = [name for name in rows[0] if name != "R"]
    test.assertEqual(sorted(series), sorted(f"{m} K_A={k}" for m in ("explicit", "deq") for k in (3, 5, 7)))
    for name in series:
        cos = [float(r[name]) for r in rows]
        # at R = 1 the classifiers form a simplex ETF: every pairwise cosine is -1/(K-1) = -1/9
        test.assertAlmostEqual(cos[0], -1 / 9, delta=1e-5, msg=name)
        # minority collapse only grows with the imbalance (6 printed digits, so a 1e-6 slack)
        for r, lo, hi in zip(ratios[1:], cos, cos[1:]):
            test.assertGreaterEqual(hi, lo - 1e-6, f"{name}: minority cosine decreases at R={r}")
        if name.startswith("explicit"):
            test.assertGreater(cos[-1], 0.5, f"{name}: no minority collapse by R=1000")
    test.assertEqual(len(svg_figures(nb)), 5)
    test.assertEqual(len(result_table(nb, "Claim vs our run")), 6)


CHECKS = {
    "00-quickstart.ipynb": check_quickstart,
    "10-theory-balanced.ipynb": check_theory_balanced,
    "11-theory-imbalanced.ipynb": check_theory_imbalanced,
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
                    nb, _, _ = execute(path, out, timeout=900)
                    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                              if o.output_type == "error"]
                    self.assertEqual(errors, [])
                    stderr = [o.text for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                              if o.output_type == "stream" and o.name == "stderr"]
                    self.assertEqual(stderr, [], "notebooks must not print to stderr")
                    CHECKS[name](self, nb)


if __name__ == "__main__":
    unittest.main()
