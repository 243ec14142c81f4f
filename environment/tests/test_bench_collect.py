"""The BENCH line parser and the results table of environment/bench.sh, on hand-written logs.

Expected numbers are worked out by hand from the fake lines (e.g. 40 / 50 = 0.8), not taken from
the code under test."""
import csv
import os
import subprocess
import sys
import tempfile
import unittest

BENCH_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
sys.path.insert(0, BENCH_DIR)

from benchline import BenchLineError, format_line, parse_line, parse_text  # noqa: E402
from collect import COLUMNS, Best, Ref, Row, Target, table  # noqa: E402


class ParseLine(unittest.TestCase):
    def test_other_lines_are_ignored(self):
        for line in ["", "numpy 1.24.2, BLAS: libopenblas", "  BENCHMARK done", "VALUE nc1=0.5"]:
            self.assertIsNone(parse_line(line), line)

    def test_required_and_extra_keys(self):
        m = parse_line("BENCH name=mlp_step_ours median_ms=12.5 spread_ms=0.75 repeats=20 gflops=3e1 impl=ours")
        self.assertEqual((m.name, m.median_ms, m.spread_ms, m.repeats), ("mlp_step_ours", 12.5, 0.75, 20))
        self.assertEqual(m.extra, {"gflops": 30.0, "impl": "ours"})

    def test_malformed_lines_name_the_problem(self):
        cases = {
            "BENCH name=a spread_ms=1 repeats=3": "missing median_ms",
            "BENCH name=a median_ms=fast spread_ms=1 repeats=3": "median_ms must be a number, got 'fast'",
            "BENCH name=a median_ms=nan spread_ms=1 repeats=3": "median_ms must be finite and >= 0",
            "BENCH name=a median_ms=inf spread_ms=1 repeats=3": "median_ms must be finite and >= 0",
            "BENCH name=a median_ms=1 spread_ms=-1 repeats=3": "spread_ms must be finite and >= 0, got -1",
            "BENCH name=a median_ms=1 spread_ms=1 repeats=0": "repeats must be finite and >= 1, got 0",
            "BENCH name=a median_ms=1 spread_ms=1 repeats=2.5": "repeats must be a whole number >= 1, got 2.5",
            "BENCH name=a median_ms=1 median_ms=2 spread_ms=1 repeats=3": "key 'median_ms' given twice",
            "BENCH name=a median_ms=1 spread_ms=1 repeats=3 fast": "expected key=value, got 'fast'",
            "BENCH name=Deq-Step median_ms=1 spread_ms=1 repeats=3": "name must be snake_case",
        }
        for line, message in cases.items():
            with self.assertRaises(BenchLineError, msg=line) as e:
                parse_line(line)
            self.assertIn(message, str(e.exception))

    def test_format_line_round_trips(self):
        # median of {1, 2, 7} is 2, spread 7 - 1 = 6
        m = parse_line(format_line("kernel_start", [7.0, 1.0, 2.0], impl="ours"))
        self.assertEqual((m.name, m.median_ms, m.spread_ms, m.repeats, m.extra),
                         ("kernel_start", 2.0, 6.0, 3, {"impl": "ours"}))
        with self.assertRaisesRegex(ValueError, "times_ms: need at least one timing for x"):
            format_line("x", [])

    def test_parse_text_keeps_the_last_line_of_a_name(self):
        found = parse_text("hello\nBENCH name=a median_ms=1 spread_ms=0 repeats=1\n"
                           "BENCH name=a median_ms=3 spread_ms=0 repeats=1\n")
        self.assertEqual(list(found), ["a"])
        self.assertEqual(found["a"].median_ms, 3.0)


class Table(unittest.TestCase):
    ROWS = [
        Row("step ours/torch", Ref("java", "step_ours"), Ref("torch", "step_pytorch"), target=Target("<=", 0.8)),
        Row("slow ours/torch", Ref("java", "slow_ours"), Ref("torch", "step_pytorch"), target=Target("<=", 0.8)),
        Row("gflops", Ref("java", "solve_ours"), Ref("java", "matmul_ours"), key="gflops",
            target=Target(">=", 0.5)),
        Row("start", Ref("java", "start"), target=Target("<=", 1500, "ms")),
        Row("accuracy", Ref("java", "epoch_ours"), key="accuracy", target=Target(">=", 0.84)),
        Row("missing line", Ref("java", "absent_ours")),
        Row("never ran", Ref("nc", "nc_ours")),
        Row("skipped", Ref("epoch", "e")),
        Row("crashed", Ref("numpy", "n")),
        Row("timed out", Ref("slowsrc", "n")),
        Row("garbled", Ref("garbled", "n")),
        Row("both missing", Ref("nc", "nc_ours"), Ref("numpy", "n")),
        Row("java crash", Ref("jvm", "n")),
        Row("iterations", Ref("java", "deq_ours"), Ref("torch", "deq_pytorch"), key="iterations"),
        Row("per iteration", Ref("java", "deq_ours"), Ref("torch", "deq_pytorch"), key="ms_per_iteration"),
        Row("jfb per iteration", Ref("java", "jfb_ours"), key="ms_per_iteration", target=Target("<=", 0.9, "ms")),
        Row("vs best", Ref("java", "step_ours"), Best("twins", "step_pytorch", ("a", "b", "absent")),
            target=Target("<=", 0.8)),
        Row("vs best by key", Ref("java", "epoch_ours"), Best("twins", "epoch_pytorch", ("a", "b")), key="train"),
        Row("no candidate ran", Ref("java", "step_ours"), Best("twins", "step_pytorch", ("absent",))),
    ]

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.source("java", "exit 0", "JVM warming up\n"
                    "BENCH name=step_ours median_ms=40 spread_ms=2 repeats=20\n"
                    "BENCH name=slow_ours median_ms=60 spread_ms=2 repeats=20\n"
                    "BENCH name=solve_ours median_ms=5 spread_ms=1 repeats=20 gflops=12\n"
                    "BENCH name=matmul_ours median_ms=1 spread_ms=0.5 repeats=20 gflops=30\n"
                    "BENCH name=start median_ms=1400 spread_ms=100 repeats=5\n"
                    "BENCH name=epoch_ours median_ms=90000 spread_ms=0 repeats=1 accuracy=0.8\n"
                    "BENCH name=deq_ours median_ms=12 spread_ms=1 repeats=5 iters=12 bwd_iters=12\n"
                    "BENCH name=jfb_ours median_ms=10 spread_ms=1 repeats=5 iters=8\n")
        self.source("torch", "exit 0", "BENCH name=step_pytorch median_ms=50 spread_ms=4 repeats=20\n"
                    "BENCH name=deq_pytorch median_ms=30 spread_ms=1 repeats=5 iters=12 bwd_iters=8\n")
        self.source("epoch", "skipped: needs bench.sh --full", None)
        # variants.py's lines, one per candidate: b is the faster by median, a by the key train
        self.source("twins", "exit 0", "BENCH name=step_pytorch_a median_ms=64 spread_ms=1 repeats=2\n"
                    "BENCH name=step_pytorch_b median_ms=32 spread_ms=3 repeats=2\n"
                    "BENCH name=epoch_pytorch_a median_ms=900 spread_ms=0 repeats=1 train=50\n"
                    "BENCH name=epoch_pytorch_b median_ms=800 spread_ms=0 repeats=1 train=80\n")
        self.source("numpy", "exit 1", "Traceback (most recent call last):\nImportError: no numpy\n\n")
        self.source("slowsrc", "exit 124", "BENCH name=other median_ms=1 spread_ms=0 repeats=1\n")
        self.source("garbled", "exit 0", "BENCH name=n median_ms=1 repeats=1\n")
        self.source("jvm", "exit 1", 'Exception in thread "main" java.lang.IllegalStateException: outer\n'
                    "\tat org.deqnc.bench.X.main(X.java:5)\n"
                    "Caused by: java.lang.IllegalArgumentException: steps: must be >= 1, got 0\n"
                    "\tat org.deqnc.bench.X.parse(X.java:9)\n\t... 1 more\n")
        self.rows = {line["name"]: line for line in table(self.dir.name, self.ROWS)}

    def source(self, name, status, log):
        with open(os.path.join(self.dir.name, name + ".status"), "w") as f:
            f.write(status + "\n")
        if log is not None:
            with open(os.path.join(self.dir.name, name + ".log"), "w") as f:
                f.write(log)

    def test_ratio_at_the_limit_meets_the_target(self):
        row = self.rows["step ours/torch"]  # 40 / 50 = 0.8 <= 0.8
        self.assertEqual([row[c] for c in COLUMNS],
                         ["step ours/torch", "40.0", "2", "50.0", "4", "0.8", "<= 0.8", "yes", ""])

    def test_ratio_over_the_limit_misses(self):
        row = self.rows["slow ours/torch"]  # 60 / 50 = 1.2
        self.assertEqual((row["ratio_or_value"], row["met"]), ("1.2", "NO"))

    def test_key_ratio_and_key_value(self):
        row = self.rows["gflops"]  # 12 / 30 = 0.4 < 0.5
        self.assertEqual((row["ratio_or_value"], row["met"], row["note"]), ("0.4", "NO", "gflops 12 / 30"))
        row = self.rows["accuracy"]  # 0.8 < 0.84
        self.assertEqual((row["ours_median_ms"], row["ratio_or_value"], row["met"]), ("90000.0", "0.8", "NO"))

    def test_iteration_counts_and_cost_per_iteration(self):
        row = self.rows["iterations"]  # (12 + 12) / (12 + 8) = 1.2
        self.assertEqual((row["ratio_or_value"], row["note"]), ("1.2", "iterations 24 / 20"))
        row = self.rows["per iteration"]  # (12 / 24) / (30 / 20) = 0.5 / 1.5 = 0.333
        self.assertEqual((row["ratio_or_value"], row["note"]), ("0.333", "ms_per_iteration 0.5 / 1.5"))
        row = self.rows["jfb per iteration"]  # no bwd_iters: 10 / 8 = 1.25 > 0.9
        self.assertEqual((row["ratio_or_value"], row["met"]), ("1.25", "NO"))

    def test_the_counterpart_at_its_best_is_the_fastest_candidate(self):
        row = self.rows["vs best"]  # 40 / min(64, 32) = 1.25; the absent candidate is skipped
        self.assertEqual((row["counterpart_median_ms"], row["counterpart_spread_ms"], row["ratio_or_value"], row["met"],
                          row["note"]), ("32.0", "3", "1.25", "NO", "twin at its best: b"))
        row = self.rows["vs best by key"]  # ranked by the key: a's train 50 < b's 80; ours has no train key
        self.assertEqual(row["counterpart_median_ms"], "900.0")
        self.assertTrue(row["note"].startswith("not run: BENCH line epoch_ours: needs a numeric train="), row["note"])
        row = self.rows["no candidate ran"]
        self.assertEqual((row["note"], row["met"]), ("not run: twins printed no BENCH line name=step_pytorch_absent", "-"))

    def test_single_measurement_compares_its_median(self):
        row = self.rows["start"]  # 1400 <= 1500
        self.assertEqual((row["ours_median_ms"], row["ours_spread_ms"], row["ratio_or_value"], row["met"]),
                         ("1400.0", "100.0", "", "yes"))

    def test_rows_that_did_not_run_say_why(self):
        expected = {
            "missing line": "not run: java printed no BENCH line name=absent_ours",
            "never ran": "not run: nc was not run",
            "skipped": "not run: needs bench.sh --full",
            "crashed": "not run: numpy failed (exit 1): ImportError: no numpy",
            "timed out": "not run: slowsrc timed out",
            "garbled": "not run: garbled: BENCH line: missing spread_ms",
            "both missing": "not run: nc was not run; numpy failed (exit 1): ImportError: no numpy",
            "java crash": "not run: jvm failed (exit 1): Caused by: java.lang.IllegalArgumentException: steps",
        }
        for name, note in expected.items():
            self.assertTrue(self.rows[name]["note"].startswith(note), self.rows[name]["note"])
            self.assertEqual(self.rows[name]["met"], "-")

    def test_main_writes_the_csv(self):
        path = os.path.join(self.dir.name, "out", "bench.csv")
        done = subprocess.run([sys.executable, os.path.join(BENCH_DIR, "collect.py"), self.dir.name, "--csv", path],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(list(rows[0]), COLUMNS)
        self.assertIn("kernel_start (to kernel_info reply)", [r["name"] for r in rows])
        self.assertTrue(all(r["note"].startswith("not run: ") for r in rows), "no source logs in this dir")
        self.assertIn("ours median ms", done.stdout.splitlines()[0])

    def test_main_rejects_a_missing_log_dir(self):
        done = subprocess.run([sys.executable, os.path.join(BENCH_DIR, "collect.py"), "/nonexistent/logs"],
                              capture_output=True, text=True)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("log_dir: not a directory: /nonexistent/logs", done.stderr)


class Variants(unittest.TestCase):
    """environment/bench/variants.py on a fake benchmark that reports its environment and the load it saw."""

    FAKE = ("import os\n"
            "print('BENCH name=step median_ms=' + os.environ['FAKE_MS'] + ' spread_ms=0 repeats=1 impl=fake')\n")

    def run_variants(self, *args):
        return subprocess.run([sys.executable, os.path.join(BENCH_DIR, "variants.py"), *args, "--",
                               sys.executable, "-c", self.FAKE], capture_output=True, text=True)

    def test_lines_per_variant_and_load(self):
        done = self.run_variants("--rounds", "2", "--load", "1", "--variant", "a:FAKE_MS=4",
                                 "--variant", "b:FAKE_MS=6")
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = parse_text(done.stdout)
        self.assertEqual(sorted(lines), ["step_a", "step_a_loaded", "step_b", "step_b_loaded"])
        self.assertEqual((lines["step_a"].median_ms, lines["step_a"].repeats), (4.0, 2))
        # the fake's time does not depend on the load: slowdown 4 / 4 = 1
        self.assertEqual((lines["step_b_loaded"].median_ms, lines["step_b_loaded"].extra["slowdown"]), (6.0, 1.0))
        self.assertEqual(lines["step_b_loaded"].extra["load"], 1.0)

    def test_fastest_variant_environment_is_written(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "env.txt")
            done = self.run_variants("--rank", "step", "--fastest", path, "--variant", "slow:FAKE_MS=9,X=1",
                                     "--variant", "quick:FAKE_MS=3,X=2")
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(path) as f:
                self.assertEqual(f.read(), "FAKE_MS=3\nX=2\n")

    def test_bad_variant_is_refused_naming_the_form(self):
        done = self.run_variants("--variant", "Bad-Name:X=1")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("--variant: expected NAME[:KEY=VALUE,...] with a snake_case NAME, got 'Bad-Name:X=1'",
                      done.stderr)


class BenchScript(unittest.TestCase):
    """environment/bench.sh runs mains of the bench module, by the class names it gives."""

    def test_every_java_main_is_a_class_of_the_bench_module(self):
        root = os.path.dirname(os.path.dirname(BENCH_DIR))
        with open(os.path.join(root, "environment", "bench.sh")) as f:
            mains = [line.split()[2] for line in f if line.lstrip().startswith("java_main ")]
        self.assertGreaterEqual(len(mains), 2, mains)
        for main in mains:
            source = os.path.join(root, "bench", "src", "main", "java", *main.split(".")) + ".java"
            self.assertTrue(os.path.isfile(source), f"{main}: no {source}")


if __name__ == "__main__":
    unittest.main()
