"""The regeneration tool (environment/run_notebooks.py, parameters.py): parameter parsing and Java literals
without a kernel, then one real run of two fixture notebooks (environment/tests/fixtures/): tricky values
injected from a YAML file and read back from the kernel, a failing notebook reported with its cell while the
other still runs, the provenance record complete, and every saved figure and table naming its origin."""
import contextlib
import io
import json
import os
import re
import shutil
import struct
import tempfile
import unittest
import xml.etree.ElementTree as ET

import nbformat

import parameters as P
import run_notebooks as R

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
ROUNDTRIP = os.path.join(FIXTURES, "parameters-roundtrip.ipynb")
FAILS = os.path.join(FIXTURES, "fails.ipynb")
TRICKY = 'say "hi" \\ back\\slash C:\\new Łódź 😀 tab\there\nsecond line */ // "" \\u0041'
SCHEMA = ["notebook", "parameters", "injected", "profile", "seeds", "git", "versions", "machine", "started",
          "duration_s", "status", "failed_cell", "error", "outputs"]


def params_cell(path):
    nb = nbformat.read(path, as_version=4)
    return P.declarations(nb.cells[P.parameters_cell_index(nb)].source)


class ParametersWithoutAKernel(unittest.TestCase):
    def test_declarations_of_every_shape(self):
        src = ('String profile = System.getenv().getOrDefault("DEQNC_PROFILE", "quick");\n'
               'if (!profile.equals("quick")) {\n    throw new IllegalArgumentException("x; y");\n}\n'
               'boolean full = profile.equals("full");\n'
               'int K = 10;   // classes; not = 11\n'
               'double E_H = 5, E_W = 1;\n'
               'int[] caps = {1, 10, 100};\n'
               'String text = """\n    a = 1; b\n    """;\n'
               'Map<String, Integer> m = Map.of("a", 1, "b", 2);\n'
               'KernelInputs.Tau0 tau = KernelInputs.Tau0.EMPIRICAL;\n'
               'String url = "http://h//p;q"; /* int hidden = 1; */\n'
               'System.out.println("profile: " + profile);\n')
        d = P.declarations(src)
        self.assertEqual(list(d), ["profile", "full", "K", "E_H", "E_W", "caps", "text", "m", "tau", "url"])
        self.assertEqual(d["url"].default, '"http://h//p;q"')
        self.assertEqual(d["caps"].java_type, "int[]")
        self.assertEqual(d["m"].java_type, "Map<String,Integer>")
        self.assertEqual(d["E_W"].default, "1")
        self.assertEqual(P.accepted(d), ["K", "E_H", "E_W", "caps", "text", "m", "tau", "url"])

    def test_unknown_name_is_one_line_naming_notebook_and_accepted_names(self):
        d = params_cell(FAILS)
        with self.assertRaises(P.ParameterError) as e:
            P.typed_values("fails.ipynb", d, {"step": "3"}, {"step"})
        self.assertEqual(str(e.exception), "fails.ipynb: unknown parameter 'step'; accepted names: steps")
        with self.assertRaises(P.ParameterError) as e:
            P.typed_values("x.ipynb", {}, {"a": 1}, ())
        self.assertIn("accepted names: none (the notebook has no cell tagged parameters)", str(e.exception))
        with self.assertRaises(P.ParameterError) as e:
            P.typed_values("x.ipynb", P.declarations('String profile = System.getenv("DEQNC_PROFILE");\nint K = 1;'),
                           {"profile": "full"}, {"profile"})
        self.assertIn("choose it with --profile", str(e.exception))
        self.assertEqual(len(str(e.exception).splitlines()), 1)

    def test_command_line_text_becomes_the_declared_type(self):
        d = params_cell(ROUNDTRIP)
        given = {"count": "7", "bigSeed": "9000000001", "rate": "1e-3", "verbose": "true", "sizes": "4, 5",
                 "ratios": "[0.5,2]", "names": "x,'y z'", "weights": "2", "unit": "MINUTES", "label": "3"}
        typed = P.typed_values("r.ipynb", d, given, set(given))
        self.assertEqual(typed, {"count": 7, "bigSeed": 9000000001, "rate": 0.001, "verbose": True, "sizes": [4, 5],
                                 "ratios": [0.5, 2.0], "names": ["x", "y z"], "weights": [2.0], "unit": "MINUTES",
                                 "label": "3"})
        src = P.injected_source(d, typed)
        for line in ['String label = "3";', "int count = 7;", "long bigSeed = 9000000001L;", "double rate = 0.001;",
                     "boolean verbose = true;", "int[] sizes = new int[] {4, 5};", "double[] ratios = new double[] {0.5, 2.0};",
                     'String[] names = new String[] {"x", "y z"};', "List<Double> weights = List.of(2.0);",
                     "java.util.concurrent.TimeUnit unit = java.util.concurrent.TimeUnit.MINUTES;"]:
            self.assertIn(line, src.splitlines())

    def test_wrong_values_are_one_line_errors(self):
        d = params_cell(ROUNDTRIP)
        cases = [({"count": "seven"}, "parameter 'count' (int): not an integer: 'seven'"),
                 ({"count": "3000000000"}, "3000000000 does not fit in a Java int"),
                 ({"verbose": "yes"}, "not a boolean: 'yes' (accepted: true, false)"),
                 ({"sizes": "1,x"}, "parameter 'sizes' (int[]): not an integer: 'x'")]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaises(P.ParameterError) as e:
                P.typed_values("r.ipynb", d, values, set(values))
            self.assertIn(message, str(e.exception))
        with self.assertRaises(P.ParameterError) as e:  # typed values from YAML are checked, not converted
            P.typed_values("r.ipynb", d, {"label": 5}, ())
        self.assertIn("expected a string for String, got 5", str(e.exception))

    def test_java_string_escapes(self):
        self.assertEqual(P.java_string('a"b\\c\nd\té😀'), '"a\\"b\\\\c\\nd\\t\\u00e9\\ud83d\\ude00"')
        self.assertTrue(all(ord(c) < 0x80 for c in P.java_string(TRICKY)))

    def test_selection_by_name_stem_and_glob(self):
        self.assertEqual([os.path.basename(p) for p in R.select(["00-quickstart"])], ["00-quickstart.ipynb"])
        self.assertTrue(all(os.path.basename(p).startswith("1") for p in R.select(["1*"])))
        self.assertFalse(any("coursework" in p for p in R.select([])))
        with self.assertRaises(SystemExit) as e:
            R.select(["99-nothing"])
        self.assertIn("no notebook matches '99-nothing'; notebooks: 00-quickstart.ipynb", str(e.exception))

    def test_unknown_parameter_stops_the_run_before_any_kernel(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = R.main([FAILS, "-p", "nosuch", "1"])
        self.assertEqual(status, 2)
        self.assertEqual(err.getvalue().strip(), "error: fails.ipynb: unknown parameter 'nosuch'; accepted names: steps")
        self.assertEqual(R.main([FAILS, "-p", "steps", "4", "--check"]), 0)
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(R.main([FAILS, "-p", "steps", "four", "--check"]), 2)


def png_text_chunks(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, i = {}, 8
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        if kind == b"tEXt":
            key, _, value = data[i + 8:i + 8 + n].partition(b"\0")
            chunks[key.decode("latin-1")] = value.decode("latin-1")
        i += 12 + n
    return chunks


class ReproduceWithARealKernel(unittest.TestCase):
    """One run of both fixtures through the command line (two kernel starts, about a minute)."""

    @classmethod
    def setUpClass(cls):
        cls.out_rel = f"out/test-regen-{os.getpid()}"
        cls.out_abs = os.path.join(R.ROOT, cls.out_rel)
        cls.tmp = tempfile.mkdtemp(prefix="deqnc-regen-")
        cls.values = {"label": TRICKY, "count": 12, "bigSeed": 9000000001, "rate": 2, "verbose": True,
                      "sizes": [3, 1, 4], "names": ["α", 'q"uote', ""], "tags": ["t1", "t 2"], "weights": [0.5, 3],
                      "unit": "MILLISECONDS", "outDir": cls.out_rel}
        yaml_file = os.path.join(cls.tmp, "params.yaml")
        with open(yaml_file, "w", encoding="utf-8") as f:
            f.write("parameters-roundtrip.ipynb:\n")
            for k, v in cls.values.items():
                f.write(f"  {k}: {json.dumps(v, ensure_ascii=False)}\n")  # JSON is YAML
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cls.status = R.main([FAILS, ROUNDTRIP, "-f", yaml_file, "--out", cls.tmp, "--profile", "full"])
        cls.stdout, cls.stderr = out.getvalue(), err.getvalue()
        cls.records = {}
        for stem in ("fails", "parameters-roundtrip"):
            with open(os.path.join(R.PROVENANCE_DIR, stem + ".json"), encoding="utf-8") as f:
                cls.records[stem] = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        shutil.rmtree(cls.out_abs, ignore_errors=True)
        for stem in ("fails", "parameters-roundtrip"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(R.PROVENANCE_DIR, stem + ".json"))

    def test_failure_names_notebook_cell_and_error_and_the_other_notebook_still_runs(self):
        self.assertEqual(self.status, 1, self.stdout + self.stderr)
        expected = ("fails.ipynb: cell 3 ('int reached = steps;'): IllegalStateException: "
                    "deliberate failure after 2 steps")
        self.assertIn("FAILED after", self.stderr)
        self.assertIn(expected, self.stderr)
        self.assertIn("error: 1 notebook(s) failed: fails.ipynb", self.stderr)
        failed = self.records["fails"]
        self.assertEqual((failed["status"], failed["failed_cell"], failed["error"]), ("failed", 3, expected))
        self.assertEqual(self.records["parameters-roundtrip"]["status"], "ok", self.records["parameters-roundtrip"]["error"])
        self.assertRegex(self.stdout, r"parameters-roundtrip\.ipynb\s+ok\s+[0-9.]+\s+\d+")
        executed = nbformat.read(os.path.join(self.tmp, "fails.ipynb"), as_version=4)
        self.assertIn("before the failure", executed.cells[2].outputs[0].text, "what ran before the failure is kept")

    def test_injected_values_round_trip_through_the_kernel(self):
        nb = nbformat.read(os.path.join(self.tmp, "parameters-roundtrip.ipynb"), as_version=4)
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        self.assertEqual(tags.index(["injected-parameters"]), tags.index(["parameters"]) + 1)
        printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        back = json.loads(re.search(r"^PARAMETERS (.*)$", printed, re.M).group(1))
        for name, value in self.values.items():
            self.assertEqual(back[name], float(value) if name == "rate" else value, name)
        self.assertEqual(back["weights"], [0.5, 3.0])
        self.assertEqual(back["profile"], "full", "--profile reaches the kernel as DEQNC_PROFILE")
        self.assertEqual(back["seed"], 1, "a parameter not given keeps its default")

    def test_provenance_record_is_complete(self):
        r = self.records["parameters-roundtrip"]
        self.assertEqual(list(r), SCHEMA)
        self.assertEqual(r["notebook"], "parameters-roundtrip.ipynb")
        self.assertEqual(r["profile"], "full")
        self.assertEqual(r["injected"]["label"], TRICKY)
        self.assertEqual(r["parameters"]["label"], TRICKY)
        self.assertEqual(r["parameters"]["ratios"], [1.5], "defaults are part of the effective parameters")
        self.assertEqual(r["parameters"]["unit"], "MILLISECONDS")
        self.assertEqual(r["seeds"], [1, 7, 9000000001], "seed and the injected bigSeed from the parameters, 7 noted by a run")
        self.assertRegex(r["git"]["commit"], r"^[0-9a-f]{40}$")
        self.assertIsInstance(r["git"]["dirty"], bool)
        self.assertRegex(r["versions"]["java"], r"^\d+")
        self.assertEqual((r["versions"]["djl"], r["versions"]["pytorch"]), ("0.35.1", "2.7.1"))
        self.assertIsInstance(r["machine"]["cores"], int)
        self.assertTrue(r["machine"]["cpu"])
        self.assertRegex(r["started"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertGreater(r["duration_s"], 0)
        self.assertEqual((r["failed_cell"], r["error"]), (None, None))
        expected = {f"{self.out_rel}/{n}" for n in ("figure.png", "figure.svg", "figure.html", "second.html",
                                                    "table.csv", "plotly-2.35.3.js")}
        self.assertEqual(set(r["outputs"]), expected)

    def test_every_figure_and_table_names_its_origin(self):
        def check(text, where):
            record = json.loads(text)
            self.assertEqual(record["notebook"], "parameters-roundtrip.ipynb", where)
            self.assertEqual(record["parameters"]["label"], TRICKY, where)
            self.assertEqual(record["parameters"]["count"], 12, where)
        check(png_text_chunks(os.path.join(self.out_abs, "figure.png"))["deqnc-provenance"], "png")
        svg = ET.parse(os.path.join(self.out_abs, "figure.svg")).getroot()
        check(svg.find("{http://www.w3.org/2000/svg}metadata").text, "svg")
        with open(os.path.join(self.out_abs, "figure.html"), encoding="utf-8") as f:
            html = f.read()
        check(re.search(r'<script type="application/json" id="deqnc-provenance">(.*?)</script>', html).group(1), "html")
        with open(os.path.join(self.out_abs, "table.csv.provenance.json"), encoding="utf-8") as f:
            check(f.read(), "csv sidecar")

    def test_html_figures_share_one_plotly_js(self):
        shared = [n for n in os.listdir(self.out_abs) if n.startswith("plotly")]
        self.assertEqual(shared, ["plotly-2.35.3.js"])
        for page in ("figure.html", "second.html"):
            with open(os.path.join(self.out_abs, page), encoding="utf-8") as f:
                html = f.read()
            self.assertIn('<script type="text/javascript" src="plotly-2.35.3.js"></script>', html)
            self.assertLess(len(html), 100_000)


if __name__ == "__main__":
    unittest.main()
