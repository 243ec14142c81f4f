"""The regression check (environment/regression.py) on small fixture notebooks."""
import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

import regression

CLAIMS = {"title": "Claim vs our run", "paper": "Sun & Shi, NeurIPS 2024",
          "claims": [{"claim": "NC1 falls", "our_run": "0.1234 ± 0.0056", "verdict": "supported", "figure": None}]}


def cell(source, outputs, tags=None):
    return {"cell_type": "code", "execution_count": 1, "source": source, "outputs": outputs,
            "metadata": {"tags": tags} if tags else {}}


def stdout(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def result(text, extra=None):
    data = {"text/plain": text, "text/html": "<table><td>%s</td></table>" % text}
    data.update(extra or {})
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": data}


def executed():
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# fixture"},
        cell("int epochs = 3;", [], ["parameters"]),
        cell("var model = train(seed);", [result("org.deqnc.train.Model@1a2b3c4d")]),
        cell("System.out.println(nc1);", [stdout("NC1: 0.123456789\nseeds: 3\nfinished at 2026-12-06T19:02:11Z in 12.3 s\n"
                                                 "PyTorch 2.7.1 on Java 17.0.13\nsweep seconds: 130.8\n")]),
        cell("long t0 = System.nanoTime(); timing()", [stdout("epoch took 0.731 s, 4.5e+03 samples/s\n")], ["no-regression"]),
        cell("claims", [result("Claim vs our run (1 rows)", {regression.CLAIMS_MIME: CLAIMS})]),
    ]}


def text_of(nb, code_index):
    return [c for c in nb["cells"] if c["cell_type"] == "code"][code_index]["outputs"][0]


class RegressionCheck(unittest.TestCase):
    def setUp(self):
        self.reference = regression.reference_of(executed(), "99-fixture", "quick")

    def test_the_same_run_matches(self):
        self.assertEqual(regression.compare(executed(), self.reference), [])

    def test_a_changed_hash_code_timestamp_duration_and_version_are_ignored(self):
        nb = executed()
        text_of(nb, 1)["data"]["text/plain"] = "org.deqnc.train.Model@7f00ab"
        text_of(nb, 2)["text"] = ("NC1: 0.123456789\nseeds: 3\nfinished at 2026-12-07T08:15:00Z in 48.9 s\n"
                                  "PyTorch 2.7.2 on Java 17.0.14\nsweep seconds: 122\n")
        self.assertEqual(regression.compare(nb, self.reference), [])

    def test_float_noise_below_the_compared_digits_is_ignored(self):
        nb = executed()
        text_of(nb, 2)["text"] = text_of(nb, 2)["text"].replace("0.123456789", "0.1234568")
        self.assertEqual(regression.compare(nb, self.reference), [])

    def test_a_changed_number_fails_with_a_readable_diff(self):
        nb = executed()
        text_of(nb, 2)["text"] = text_of(nb, 2)["text"].replace("0.123456789", "0.1250")
        problems = regression.compare(nb, self.reference)
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("99-fixture: code cell 2 `System.out.println(nc1);` changed:", problems[0])
        self.assertIn("\n-NC1: 0.123457\n+NC1: 0.125\n", problems[0])
        self.assertIn("environment/regression.py record out/notebooks/99-fixture.ipynb", problems[1])

    def test_round_off_below_1e_8_is_not_compared_but_a_residual_that_grows_is(self):
        nb = executed()
        text_of(nb, 2)["text"] += "residual: 1.4e-15\n"
        reference = regression.reference_of(nb, "99-fixture", "quick")
        text_of(nb, 2)["text"] = text_of(nb, 2)["text"].replace("1.4e-15", "2.9e-16")
        self.assertEqual(regression.compare(nb, reference), [])
        text_of(nb, 2)["text"] = text_of(nb, 2)["text"].replace("2.9e-16", "3.1e-06")
        self.assertIn("+residual: 3.1e-06", regression.compare(nb, reference)[0])

    def test_one_print_split_into_several_stream_outputs_reads_the_same(self):
        nb = executed()
        first, second = "NC1: 0.123456789\nseeds: 3\nfinished at 2026-12-06T19:02:11Z in 12.3 s\nPyTorch ", "2.7.1 on Java 17.0.13\nsweep seconds: 130.8\n"
        [c for c in nb["cells"] if c["cell_type"] == "code"][2]["outputs"] = [stdout(first), stdout(second)]
        self.assertEqual(regression.compare(nb, self.reference), [])

    def test_a_changed_integer_fails(self):
        nb = executed()
        text_of(nb, 2)["text"] = text_of(nb, 2)["text"].replace("seeds: 3", "seeds: 4")
        self.assertIn("+seeds: 4", regression.compare(nb, self.reference)[0])

    def test_a_changed_claim_fails(self):
        nb = executed()
        changed = copy.deepcopy(CLAIMS)
        changed["claims"][0]["verdict"] = "not supported"
        text_of(nb, 4)["data"][regression.CLAIMS_MIME] = json.dumps(changed)  # a JSON string reads the same
        problems = regression.compare(nb, self.reference)
        self.assertIn('\n+   "verdict": "not supported"\n', problems[0])

    def test_rich_forms_are_not_compared(self):
        nb = executed()
        text_of(nb, 1)["data"]["text/html"] = "<div id=\"fig_0c1d\">other</div>"
        self.assertEqual(regression.compare(nb, self.reference), [])

    def test_a_cell_tagged_no_regression_is_not_compared(self):
        nb = executed()
        text_of(nb, 3)["text"] = "epoch took 0.2 s, 9.9e+03 samples/s, and a new line\n"
        self.assertEqual(regression.compare(nb, self.reference), [])

    def test_an_injected_parameters_cell_keeps_the_cell_numbers(self):
        nb = executed()
        nb["cells"].insert(2, cell("epochs = 5;", [], ["injected-parameters"]))
        self.assertEqual(regression.compare(nb, self.reference), [])

    def test_a_different_number_of_cells_says_how_to_regenerate(self):
        nb = executed()
        nb["cells"].append(cell("1 + 1", [result("2")]))
        problems = regression.compare(nb, self.reference)
        self.assertEqual(len(problems), 1)
        self.assertIn("6 code cells, the reference has 5", problems[0])

    def test_record_then_check_from_the_command_line(self):
        script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "regression.py")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "99-fixture.ipynb")
            with open(path, "w") as f:
                json.dump(executed(), f)
            refs = os.path.join(tmp, "reference")
            run = lambda *a: subprocess.run([sys.executable, script, *a, path, "--dir", refs],
                                            capture_output=True, text=True)
            self.assertEqual(run("record").returncode, 0)
            self.assertEqual(run("check").returncode, 0)
            nb = executed()
            text_of(nb, 2)["text"] = "NC1: 0.2\n"
            with open(path, "w") as f:
                json.dump(nb, f)
            changed = run("check")
            self.assertEqual(changed.returncode, 1)
            self.assertIn("CHANGED", changed.stdout)
            self.assertIn("+NC1: 0.2", changed.stdout)


class CodePathsTest(unittest.TestCase):
    """References kept per CPU code paths: which one a CPU checks against, where record writes, what a failure
    says when the reference came from other code paths."""

    def cpuinfo(self, tmp, flags):
        path = os.path.join(tmp, "cpuinfo")
        with open(path, "w") as f:
            f.write("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: " + flags + "\n\nprocessor\t: 1\n")
        return path

    def test_the_code_paths_come_from_the_cpu_flags(self):
        with tempfile.TemporaryDirectory() as tmp:
            with_avx512 = self.cpuinfo(tmp, "fpu sse2 avx avx2 fma avx512f avx512bw")
            self.assertEqual(regression.code_paths(with_avx512), "avx512")
            self.assertEqual(regression.code_paths(self.cpuinfo(tmp, "fpu sse2 avx avx2 fma")), "avx2")
            self.assertEqual(regression.code_paths(self.cpuinfo(tmp, "fpu sse2 avx")), "baseline")
            self.assertEqual(regression.code_paths(os.path.join(tmp, "missing")), "baseline")

    def test_a_cpu_checks_against_its_own_reference_when_there_is_one(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertIsNone(regression.load_reference("99-fixture", tmp, "avx2"))
            shared = regression.reference_of(executed(), "99-fixture", "quick")
            own = dict(shared, digits=4)
            for path, doc in ((regression.reference_path("99-fixture", tmp), shared),
                              (regression.reference_path("99-fixture", tmp, "avx2"), own)):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    json.dump(doc, f)
            self.assertEqual(regression.load_reference("99-fixture", tmp, "avx2")["digits"], 4)
            self.assertEqual(regression.load_reference("99-fixture", tmp, "avx512")["digits"], regression.DIGITS)

    def test_record_writes_where_this_cpu_checks_or_for_its_code_paths_when_asked(self):
        here = regression.code_paths()
        with tempfile.TemporaryDirectory() as tmp:
            shared = regression.record(executed(), "99-fixture", "quick", tmp)
            self.assertEqual(shared, regression.reference_path("99-fixture", tmp))
            own = regression.record(executed(), "99-fixture", "quick", tmp, own_paths=True)
            self.assertEqual(own, regression.reference_path("99-fixture", tmp, here))
            with open(own) as f:
                recorded = json.load(f)
            self.assertEqual(recorded["code_paths"], here)
            self.assertIn("record --code-paths", recorded["regenerate"])
            # once this CPU has its own reference, a plain record refreshes that one, not the shared one
            self.assertEqual(regression.record(executed(), "99-fixture", "quick", tmp), own)

    def test_a_failure_against_another_cpus_reference_names_both_code_paths(self):
        reference = regression.reference_of(executed(), "99-fixture", "quick")
        nb = executed()
        text_of(nb, 2)["text"] = "NC1: 0.2\n"
        reference["code_paths"] = regression.code_paths()
        self.assertFalse(any("code paths" in p for p in regression.compare(nb, reference)))
        reference["code_paths"] = "other"
        hint = regression.compare(nb, reference)[-1]
        self.assertIn("code paths other, this one has " + regression.code_paths(), hint)
        self.assertIn("record --code-paths", hint)


if __name__ == "__main__":
    unittest.main()
