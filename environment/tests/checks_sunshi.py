"""Output checks of Sun & Shi's experiment notebooks (20-22), collected by test_notebooks.py through CHECKS.

Each check recomputes what it can from the per-cell numbers the notebook printed (grid completeness, seed-by-seed
differences, NC trends) and compares the notebook's verdicts with that, instead of trusting its own booleans."""
import itertools
import math
import re

VERDICTS = {"supported", "not supported", "not tested here"}


def _helpers():
    # Imported when a check runs: test_notebooks imports this module while it is itself being imported.
    import test_notebooks
    return test_notebooks


def _png_outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.output_type in ("execute_result", "display_data") and "image/png" in o.get("data", {})]


def _claims(test, nb, rows):
    claims = _helpers().result_table(nb, "Claim vs our run")
    test.assertEqual(len(claims), rows)
    for c in claims:
        test.assertIn(c["verdict"], VERDICTS, c["claim"])
    return claims


def _verdict(claims, prefix):
    return [c["verdict"] for c in claims if c["claim"].startswith(prefix)]


def _norm(text):
    """'10.0' and '10' name the same axis value."""
    try:
        v = float(text)
        return str(int(v)) if v == int(v) else text
    except ValueError:
        return text


def _table(nb, title):
    return [{k: _norm(v) for k, v in r.items()} for r in _helpers().result_table(nb, title)]


def _cells(test, nb, axes, expected):
    """The 'grid cells' table: every combination of the axes' values present exactly once, all completed."""
    rows = _table(nb, "grid cells")
    seen = sorted(tuple(r[a] for a in axes) for r in rows)
    test.assertEqual(seen, sorted(itertools.product(*expected)), "grid cells missing or repeated")
    for r in rows:
        test.assertEqual(r["status"], "completed", r)
    return rows


def _paired(rows, by, metric, base="explicit", treatment="deq"):
    """{group: [treatment - baseline per seed]} from per-cell rows."""
    value = {(tuple(r[b] for b in by), r["seed"], r["model"]): float(r[metric]) for r in rows}
    out = {}
    for (group, seed, model) in value:
        if model == treatment:
            out.setdefault(group, []).append(value[(group, seed, treatment)] - value[(group, seed, base)])
    return out


def check_balanced(test, nb):
    rows = _cells(test, nb, ("model", "depth", "seed"), (("explicit", "deq"), ("1", "4"), ("1", "2", "3")))
    # the DEQ ignores depth: its two runs per seed are the same run
    for seed in ("1", "2", "3"):
        a, b = [next(r for r in rows if r["model"] == "deq" and r["depth"] == d and r["seed"] == seed) for d in ("1", "4")]
        test.assertEqual((a["test_acc"], a["nc1"], a["train_loss"]), (b["test_acc"], b["nc1"], b["train_loss"]))
    # NC1 decreases over training on balanced data, for every seed of both models
    trend = _table(nb, "NC first and last epoch")
    test.assertEqual(len(trend), 12)
    for r in trend:
        test.assertLess(float(r["nc1_last"]), float(r["nc1_first"]), r)
    test.assertEqual({r["model"] for r in trend}, {"explicit", "deq"})
    claims = _claims(test, nb, 8)
    nc23 = all(float(r[f"nc{k}_last"]) < float(r[f"nc{k}_first"]) for r in trend for k in (2, 3))
    test.assertEqual(_verdict(claims, "NC2 and NC3 decrease"), ["supported" if nc23 else "not supported"])
    # Table 1's verdicts follow the seed-by-seed test-accuracy differences of the printed cells
    for (depth,), diffs in _paired(rows, ("depth",), "test_acc").items():
        test.assertEqual(len(diffs), 3)
        verdict = [c["verdict"] for c in claims
                   if c["claim"].startswith("The DEQ's test accuracy is higher") and c["claim"].endswith(f"L={depth}")]
        test.assertEqual(verdict, ["supported" if min(diffs) > 0 else "not supported"], f"depth {depth}")
    test.assertEqual(len(_png_outputs(nb)), 3)


def check_imbalanced(test, nb):
    rows = _cells(test, nb, ("model", "K_A", "R", "seed"),
                  (("explicit", "deq"), ("3", "5", "7"), ("10", "50", "100"), ("1", "2")))
    facts = _helpers().printed_facts(nb)
    gaps = _paired(rows, ("K_A", "R"), "test_acc_minority")
    test.assertEqual(len(gaps), 9)
    wins = sum(min(d) > 0 for d in gaps.values())
    printed = re.search(r"minority-accuracy wins \(all seeds\): (\d+) of 9", _helpers().all_stdout(nb))
    test.assertEqual(int(printed.group(1)), wins)
    claims = _claims(test, nb, 6)
    test.assertEqual(_verdict(claims, "The DEQ's minority-class"), ["supported" if wins == 9 else "not supported"])
    collapse = [{k: v if k == "minority_classifier_cos" else _norm(v) for k, v in r.items()}
                for r in _helpers().result_table(nb, "minority collapse at the last epoch")]
    test.assertEqual(len(collapse), 18)
    cos = {(r["model"], r["K_A"], r["R"]): float(r["minority_classifier_cos"].split(" ")[0]) for r in collapse}
    grows = all(cos[(m, k, "100")] > cos[(m, k, "10")] for m in ("explicit", "deq") for k in ("3", "5", "7"))
    test.assertEqual(facts["minority cosine grows with R for every model and K_A"], "true" if grows else "false")
    test.assertEqual(_verdict(claims, "Minority collapse is present"), ["supported" if grows else "not supported"])
    _check_minority_collapse_per_epoch(test, nb, collapse)
    test.assertEqual(len(_png_outputs(nb)), 4)


def _check_minority_collapse_per_epoch(test, nb, last_epoch):
    """Issue 18: the minority-collapse measures per epoch under both global-mean conventions, at K_A=3, R=10."""
    def mean(text):
        return float(text.split(" ")[0])
    rows = _table(nb, "minority collapse per epoch, K_A = 3, R = 10")
    epochs = sorted({int(r["epoch"]) for r in rows})
    test.assertEqual(epochs, list(range(1, 9)), "every epoch of the quick profile")
    test.assertEqual(sorted((r["model"], int(r["epoch"])) for r in rows),
                     sorted(itertools.product(("explicit", "deq"), epochs)), "one row per model and epoch")
    for r in rows:
        test.assertEqual((r["K_A"], r["R"]), ("3", "10"), r)
        for m in ("minority_classifier_cos", "W_norm_ratio", "minority_means_cos_class_balanced",
                  "minority_means_cos_sample_weighted", "means_norm_ratio_class_balanced",
                  "means_norm_ratio_sample_weighted"):
            test.assertTrue(math.isfinite(mean(r[m])), (m, r))
        # with 3 majority classes of 300 images and 7 of 30, the sample-weighted global mean is not the class-balanced one
        test.assertNotEqual(r["means_norm_ratio_class_balanced"], r["means_norm_ratio_sample_weighted"], r)
    # the last epoch of the per-epoch table is the last-epoch table's row (both are means over the same seeds)
    for model in ("explicit", "deq"):
        last = next(r for r in rows if r["model"] == model and int(r["epoch"]) == epochs[-1])
        table = next(r for r in last_epoch if (r["model"], r["K_A"], r["R"]) == (model, "3", "10"))
        for m in ("minority_classifier_cos", "means_norm_ratio_sample_weighted", "means_norm_ratio_class_balanced"):
            test.assertAlmostEqual(mean(last[m]), mean(table[m]), places=3, msg=(model, m))


def check_geometry(test, nb):
    rows = _cells(test, nb, ("model", "seed"), (("explicit", "deq"), ("1", "2")))
    # t-SNE lowered its KL divergence for both models
    kl = re.findall(r"^(\w+) t-SNE KL: ([0-9.]+) -> ([0-9.]+)$", _helpers().all_stdout(nb), re.M)
    test.assertEqual(sorted(m for m, _, _ in kl), ["deq", "explicit"])
    for model, start, end in kl:
        test.assertLess(float(end), float(start), model)
    separation = _table(nb, "separation per cell")
    test.assertEqual(len(separation), len(rows))
    nc1 = _paired(separation, (), "nc1_test", base="deq", treatment="explicit")[()]
    claims = _claims(test, nb, 3)
    test.assertEqual(_verdict(claims, "Figure 2: the DEQ's features are better separated"),
                     ["supported" if min(nc1) > 0 else "not supported"])
    test.assertEqual(len(_png_outputs(nb)), 2 + 6)  # two t-SNE scatters, three Gram heat-maps per model


CHECKS = {
    "20-experiment-balanced.ipynb": check_balanced,
    "21-experiment-imbalanced.ipynb": check_imbalanced,
    "22-feature-geometry.ipynb": check_geometry,
}
