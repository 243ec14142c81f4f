"""A two-part toy assignment (cheap to run) for the autograder's failure tests: part 1 asks for add(a, b),
part 2 for twice(x); each part has a visible and a hidden test cell."""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def meta(grade_id, solution=False, grade=False, points=None):
    m = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3, "solution": solution,
         "task": False}
    if points is not None:
        m["points"] = points
    return {"nbgrader": m}


def toy_assignment():
    cells = [
        new_markdown_cell("# Toy assignment\nWrite `add` and `twice`.", metadata=meta("intro")),
        new_code_cell("import org.deqnc.grading.Check;", metadata=meta("imports")),
        new_code_cell("int add(int a, int b) {\n    // BEGIN SOLUTION\n    return a + b;\n    // END SOLUTION\n}",
                      metadata=meta("add", solution=True)),
        new_code_cell("Check.equal(add(2, 3), 5, \"add(2, 3)\");\n// BEGIN HIDDEN TESTS\n"
                      "Check.equal(add(-7, 7), 0, \"add(-7, 7)\");\n// END HIDDEN TESTS",
                      metadata=meta("test-add", grade=True, points=2)),
        new_code_cell("int twice(int x) {\n    // BEGIN SOLUTION\n    return 2 * x;\n    // END SOLUTION\n}",
                      metadata=meta("twice", solution=True)),
        new_code_cell("Check.equal(twice(4), 8, \"twice(4)\");", metadata=meta("test-twice", grade=True, points=1)),
        new_code_cell("// BEGIN HIDDEN TESTS\nCheck.equal(twice(-3), -6, \"twice(-3)\");\n// END HIDDEN TESTS",
                      metadata=meta("test-twice-hidden", grade=True, points=1)),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "java-deq", "display_name": "Java (deq-nc)",
                                                            "language": "java"}, "language_info": {"name": "java"}})
    for cell in nb.cells:
        cell.id = cell.metadata["nbgrader"]["grade_id"]
    nbformat.validate(nb)
    return nb
