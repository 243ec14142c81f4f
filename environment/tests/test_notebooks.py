"""Every notebook runs headlessly with the java-deq kernel (quick profile), and its outputs show the
facts its text claims. Each notebook has a check below; a notebook without one fails the suite, so
a new notebook cannot land untested."""
import glob
import math
import os
import re
import tempfile
import unittest

from run_notebooks import ROOT, execute

NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))


def outputs(nb, cell_index):
    return nb.cells[cell_index].get("outputs", [])


def stdout(nb, cell_index):
    return "".join(o.get("text", "") for o in outputs(nb, cell_index)
                   if o.output_type == "stream" and o.name == "stdout")


def code_cells(nb):
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]


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


CHECKS = {
    "00-quickstart.ipynb": check_quickstart,
}


class NotebooksRunHeadlessly(unittest.TestCase):
    def test_every_notebook_has_a_check(self):
        names = {os.path.basename(p) for p in NOTEBOOKS}
        self.assertTrue(names, "no notebooks found")
        self.assertEqual(names - set(CHECKS), set(), "notebooks without output checks")

    def test_notebooks(self):
        os.environ.setdefault("DEQNC_PROFILE", "quick")
        with tempfile.TemporaryDirectory() as out:
            for path in NOTEBOOKS:
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
