"""The coursework tooling (environment/coursework.py) on the assignments in notebooks/coursework/ and on a toy
assignment: student versions hold no solution text, reference solutions score full marks, untouched student
versions score zero, and a submission that loops forever or kills its kernel gets a score and a message.

DEQNC_TEST_COURSEWORK="cw1*,cw2*" grades only the matching assignments (while developing); unset, all of them."""
import fnmatch
import glob
import json
import os
import re
import sys
import tempfile
import time
import unittest

import nbformat

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import coursework  # noqa: E402  (environment/coursework.py)
from coursework_fixture import toy_assignment  # noqa: E402

ROOT = coursework.ROOT
ASSIGNMENTS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "coursework", "*.ipynb")))
SELECTED = [p for p in ASSIGNMENTS
            if not os.environ.get("DEQNC_TEST_COURSEWORK")
            or any(fnmatch.fnmatch(os.path.basename(p), g) for g in os.environ["DEQNC_TEST_COURSEWORK"].split(","))]
# Generous per-cell limit for the real assignments (coursework 3 trains two small networks in one cell).
ASSIGNMENT_TIMEOUT = 600


def marked_lines(cell, begin, end):
    """The stripped lines strictly inside the cell's marked regions."""
    lines = cell.source.splitlines()
    inside = set()
    for start, stop in coursework.regions(lines, begin, end, "cell"):
        inside.update(l.strip() for l in lines[start + 1:stop])
    return inside


class StudentVersionTest(unittest.TestCase):

    def test_there_are_at_least_three_valid_assignments(self):
        self.assertGreaterEqual(len(ASSIGNMENTS), 3)
        for path in ASSIGNMENTS:
            self.assertGreater(coursework.validate(nbformat.read(path, as_version=4), path), 0)

    def test_student_version_contains_no_solution_text_and_no_hidden_tests(self):
        for path in ASSIGNMENTS:
            with self.subTest(assignment=os.path.basename(path)):
                source = nbformat.read(path, as_version=4)
                student = coursework.student_version(source, path)
                secret = set()
                for cell in source.cells:
                    secret |= marked_lines(cell, coursework.BEGIN_SOLUTION, coursework.END_SOLUTION)
                    secret |= marked_lines(cell, coursework.BEGIN_HIDDEN, coursework.END_HIDDEN)
                # lines that also stand outside the regions (a closing brace, a blank) give nothing away
                visible = {l.strip() for c in student.cells for l in c.source.splitlines()}
                public = set()
                for cell in source.cells:
                    lines = cell.source.splitlines()
                    hidden = set()
                    for begin, end in ((coursework.BEGIN_SOLUTION, coursework.END_SOLUTION),
                                       (coursework.BEGIN_HIDDEN, coursework.END_HIDDEN)):
                        for start, stop in coursework.regions(lines, begin, end, "cell"):
                            hidden.update(range(start, stop + 1))
                    public |= {l.strip() for i, l in enumerate(lines) if i not in hidden}
                leaked = sorted((secret - public) & visible)
                self.assertEqual(leaked, [], "solution or hidden-test lines in the student version")
                self.assertGreater(len(secret - public), 20, "the check compares nothing")
                text = json.dumps(student)
                for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
                    self.assertNotIn(marker, text)
                for s, c in zip(source.cells, student.cells):
                    self.assertEqual(s.metadata["nbgrader"], c.metadata["nbgrader"], "nbgrader metadata kept as is")
                    if coursework.is_solution(s):
                        self.assertIn(coursework.CODE_STUB if s.cell_type == "code" else coursework.MARKDOWN_STUB, c.source)
                    if c.cell_type == "code":
                        self.assertEqual(c.outputs, [])

    def test_validate_rejects_a_malformed_assignment_with_the_cell_named(self):
        cases = [
            (lambda nb: setattr(nb.cells[2], "source", nb.cells[2].source.replace("    // END SOLUTION\n", "")),
             "cell 2 (add): line 2: a BEGIN marker without its END"),
            (lambda nb: nb.cells[5].metadata.nbgrader.update(grade_id="test-add"), "grade_id 'test-add' is used twice"),
            (lambda nb: nb.cells[5].metadata.nbgrader.pop("points"), "cell 5 (test-twice): a grade cell needs points > 0, got None"),
            (lambda nb: nb.cells[4].metadata.nbgrader.update(grade=True, points=1), "not both"),
            (lambda nb: nb.cells[1].metadata.nbgrader.update(solution=True), "cell 1 (imports): a solution cell needs a BEGIN SOLUTION"),
        ]
        for change, message in cases:
            nb = toy_assignment()
            change(nb)
            with self.assertRaises(coursework.CourseworkError) as caught:
                coursework.validate(nb, "toy.ipynb")
            self.assertIn(message, str(caught.exception))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(nb, folder, student, name):
    os.makedirs(os.path.join(folder, student), exist_ok=True)
    path = os.path.join(folder, student, name + ".ipynb")
    nbformat.write(nb, path)
    return path


class GradingTest(unittest.TestCase):
    """Runs the java-deq kernel; each grading starts one (or, after a loss, more) kernel processes."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="deqnc-coursework-")

    def grade(self, source_nb, submission_nb, student, **options):
        source = write(source_nb, self.tmp, "_source", "toy")
        submission = write(submission_nb, self.tmp, "submitted", "toy")
        return coursework.grade(source, submission, os.path.join(self.tmp, "graded"), student, **options)

    def statuses(self, score):
        return [(c["grade_id"], c["status"], c["score"]) for c in score["cells"]]

    def test_reference_solutions_score_full_marks(self):
        for path in SELECTED:
            with self.subTest(assignment=os.path.basename(path)):
                score = coursework.grade(path, path, self.tmp, "reference", timeout=ASSIGNMENT_TIMEOUT)
                failed = [(c["grade_id"], c["message"]) for c in score["cells"] if c["status"] != "passed"]
                self.assertEqual(failed, [])
                self.assertEqual(score["score"], score["max_score"])
                self.assertEqual(score["notes"], [])
                on_disk = json.loads(read(os.path.join(self.tmp, "reference", os.path.basename(path)[:-6] + ".json")))
                self.assertEqual(on_disk["score"], score["max_score"])

    def test_untouched_student_versions_score_zero(self):
        for path in SELECTED:
            with self.subTest(assignment=os.path.basename(path)):
                name = os.path.basename(path)[:-len(".ipynb")]
                student = write(coursework.student_version(nbformat.read(path, as_version=4), path), self.tmp, "blank", name)
                score = coursework.grade(path, student, self.tmp, "blank", timeout=ASSIGNMENT_TIMEOUT)
                self.assertEqual(score["score"], 0)
                self.assertGreater(score["max_score"], 0)
                for c in score["cells"]:
                    self.assertEqual(c["status"], "failed", c)
                    self.assertTrue(c["message"], c)
                # the stub's own message reaches the feedback, not only "failed"
                self.assertTrue(any("your code here" in c["message"] for c in score["cells"]))
                feedback = read(os.path.join(self.tmp, "blank", name + ".feedback.md"))
                self.assertIn(f"**Score: 0 / {score['max_score']:g}**", feedback)

    def test_an_infinite_loop_is_stopped_by_the_time_limit_and_scored(self):
        nb = toy_assignment()
        nb.cells[2].source = "int add(int a, int b) {\n    while (true) { }\n}"
        t0 = time.monotonic()
        score = self.grade(toy_assignment(), nb, "looper", timeout=10)
        self.assertLess(time.monotonic() - t0, 150)
        self.assertEqual(self.statuses(score), [("test-add", "timeout", 0), ("test-twice", "passed", 1),
                                                ("test-twice-hidden", "passed", 1)])
        self.assertEqual(score["score"], 2)
        self.assertEqual(score["cells"][0]["message"], "stopped at the time limit of 10 s")
        self.assertEqual(score["kernel_restarts"], 1)
        feedback = read(os.path.join(self.tmp, "graded", "looper", "toy.feedback.md"))
        self.assertIn("| test-add | 0 / 2 | timeout | stopped at the time limit of 10 s |", feedback)

    def test_a_kernel_killed_in_a_test_gets_a_score_and_the_next_tests_still_run(self):
        nb = toy_assignment()
        nb.cells[2].source = "int add(int a, int b) {\n    System.exit(3);\n    return 0;\n}"
        score = self.grade(toy_assignment(), nb, "exiter")
        self.assertEqual(self.statuses(score), [("test-add", "kernel died", 0), ("test-twice", "passed", 1),
                                                ("test-twice-hidden", "passed", 1)])
        self.assertIn("the kernel died", score["cells"][0]["message"])

    def test_after_too_many_kernel_losses_the_remaining_tests_score_zero_with_a_message(self):
        nb = toy_assignment()
        # the answer cell itself ends the kernel; then the kernel halts again inside a test
        nb.cells[2].source = "System.exit(1);\nint add(int a, int b) { return a + b; }"
        nb.cells[4].source = "int twice(int x) {\n    Runtime.getRuntime().halt(9);\n    return 0;\n}"
        score = self.grade(toy_assignment(), nb, "halter", max_restarts=1)
        self.assertEqual(self.statuses(score), [("test-add", "failed", 0), ("test-twice", "kernel died", 0),
                                                ("test-twice-hidden", "not run", 0)])
        self.assertIn("answer cell add: the kernel died (System.exit, a crash or the process was killed); "
                      "it is left out when the kernel restarts", score["notes"])
        self.assertIn("cannot find symbol", score["cells"][0]["message"])  # add was left out with its cell
        self.assertRegex(score["cells"][2]["message"], r"^not run: the kernel was lost 2 times \(last in test-twice: .*\); "
                                                       r"the remaining cells score 0$")

    def test_the_submission_s_tests_and_metadata_are_not_trusted_and_added_cells_run(self):
        nb = coursework.student_version(toy_assignment(), "toy")
        nb.cells[2].source = "int add(int a, int b) {\n    return a - b;\n}"            # wrong
        nb.cells[3].source = "// tests removed by the student"
        nb.cells[3].metadata.nbgrader["points"] = 100
        nb.cells[4].source = "int twice(int x) {\n    return helper(x);\n}"
        helper = nbformat.v4.new_code_cell("int helper(int x) { return x + x; }")       # a cell the student added
        nb.cells.insert(4, helper)
        score = self.grade(toy_assignment(), nb, "tamperer")
        self.assertEqual(score["max_score"], 4)
        self.assertEqual(self.statuses(score), [("test-add", "failed", 0), ("test-twice", "passed", 1),
                                                ("test-twice-hidden", "passed", 1)])
        self.assertEqual(score["cells"][0]["message"], "AssertionError: add(2, 3): expected 5, got -1")

    def test_a_missing_answer_cell_runs_as_its_stub_with_a_note(self):
        nb = toy_assignment()
        del nb.cells[4]  # the twice answer
        score = self.grade(toy_assignment(), nb, "forgetful")
        self.assertEqual(score["score"], 2)
        self.assertIn("answer cell twice is missing from the submission: its unanswered stub ran instead", score["notes"])
        self.assertIn("your code here", score["cells"][1]["message"])


if __name__ == "__main__":
    unittest.main()
