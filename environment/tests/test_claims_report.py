"""The claims report builder (environment/claims_report.py) on a small fixture of executed notebooks."""
import json
import os
import re
import tempfile
import unittest

import claims_fixture
import claims_report


class ClaimsReport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dirs = claims_fixture.make(self.tmp.name)
        self.count = claims_report.build(self.dirs["notebooks"], self.dirs["figures"], self.dirs["provenance"],
                                         self.dirs["report"])
        with open(os.path.join(self.dirs["report"], "index.html"), encoding="utf-8") as f:
            self.page = f.read()

    def tearDown(self):
        self.tmp.cleanup()

    def rows(self):
        return re.findall(r'<tr class="claim" data-verdict="([^"]*)">(.*?)</tr>', self.page, re.S)

    def test_one_row_per_claim_of_both_papers_with_its_verdict(self):
        self.assertEqual(self.count, claims_fixture.CLAIMS)
        rows = self.rows()
        self.assertEqual([v for v, _ in rows], ["supported", "partially", "not tested here",
                                                "not supported", "not tested here"])
        self.assertIn("<h2>Sun &amp; Shi, NeurIPS 2024</h2>", self.page)
        self.assertIn("<h2>Ling et al., ICML 2024</h2>", self.page)
        with open(os.path.join(self.dirs["report"], "claims.json"), encoding="utf-8") as f:
            self.assertEqual(len(json.load(f)), claims_fixture.CLAIMS)

    def test_claim_text_is_escaped_and_our_numbers_shown(self):
        self.assertIn("NC1 decreases along training &lt;b&gt;(Figure 3)&lt;/b&gt;", self.page)
        self.assertIn("final NC1 0.123 ± 0.004 (3 seeds)", self.page)
        self.assertNotIn("<b>(Figure 3)</b>", self.page)

    def test_thumbnails_link_to_the_notebook_html(self):
        first, second, third = [body for _, body in self.rows()[:3]]
        self.assertIn('<a href="../notebooks/20-experiment-balanced.html"><img class="thumb" src="../figures/20-nc1.png"',
                      first)
        # an interactive (.html) figure is shown through its PNG sibling
        self.assertIn('src="../figures/20-accuracy.png"', second)
        # no figure named: the first figure the provenance lists
        self.assertIn('src="../figures/20-accuracy.png"', third)
        # no HTML copy of notebook 30 and no provenance: the .ipynb is linked, figures found by its number
        ling = self.rows()[3][1]
        self.assertIn('href="../notebooks/30-ck-equivalence.ipynb"', ling)
        self.assertIn('src="../figures/30-ck-error-vs-p.png"', ling)

    def test_provenance_when_recorded_and_a_note_when_absent(self):
        prov = self.page.split('id="prov-20-experiment-balanced"', 1)[1].split("<h3", 1)[0]
        self.assertIn("0123456789abcdef0123456789abcdef01234567 (dirty tree)", prov)
        self.assertIn("java 17.0.13, djl 0.35.1, pytorch 2.7.1", prov)
        self.assertIn("83.2 s", prov)
        self.assertIn("1, 2, 3", prov)
        ling = self.page.split('id="prov-30-ck-equivalence"', 1)[1].split("<h3", 1)[0]
        self.assertIn("no provenance recorded", ling)

    def test_failed_and_claimless_notebooks_are_named(self):
        self.assertIn("Failed notebooks (their claims may be missing): 40-broken", self.page)
        self.assertIn("code cell 0: java.lang.IllegalStateException: boom", self.page)
        self.assertIn("Notebooks without a claim table: 00-quickstart", self.page)

    def test_an_unknown_verdict_is_a_one_line_error(self):
        path = os.path.join(self.dirs["notebooks"], "20-experiment-balanced.ipynb")
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        nb["cells"][1]["outputs"][0]["data"][claims_fixture.MIME]["claims"][0]["verdict"] = "refuted"
        with open(path, "w", encoding="utf-8") as f:
            json.dump(nb, f)
        with self.assertRaises(SystemExit) as e:
            claims_report.build(self.dirs["notebooks"], self.dirs["figures"], self.dirs["provenance"], self.dirs["report"])
        self.assertIn("unknown verdict 'refuted' (accepted: supported, partially, not supported, not tested here)",
                      str(e.exception))


if __name__ == "__main__":
    unittest.main()
