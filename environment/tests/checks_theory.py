"""Output checks of the theory notebooks (10-12), collected by test_notebooks.py through CHECKS.

Notebook 12's check re-solves spot points with SciPy's SLSQP (Debian's python3-scipy): an independent algorithm in
another language, compared with the notebook's certified (and, for the budgeted DEQ, local) solutions."""
import math
import re


def _helpers():
    # Imported when a check runs: test_notebooks imports this module while it is itself being imported.
    import test_notebooks
    return test_notebooks


def fang_balanced_optimum(k, e_h, e_w):
    """Fang et al.'s balanced layer-peeled optimum, written out here independently of the library."""
    return k * math.log(1 + (k - 1) * math.exp(-math.sqrt(e_h * e_w) * k / (k - 1)))


def _weighted_ce(logits, weights):
    """Fang et al.'s weighted cross-entropy on a K x K logit matrix (row k: class mean k) and its gradient."""
    import numpy as np
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z); p /= p.sum(axis=1, keepdims=True)
    k = logits.shape[0]
    loss = -np.sum(weights * np.log(p[np.arange(k), np.arange(k)]))
    g = p.copy(); g[np.arange(k), np.arange(k)] -= 1
    return loss, g * weights[:, None]

def _scipy_minority_spread(k, k_a, r, e_h, e_w):
    """Largest distance between two minority classifiers over the largest classifier norm, at SciPy's optimum."""
    import numpy as np
    _, (h, w, _) = scipy_peeled_optimum(k, k_a, r, e_h, e_w, return_point=True)
    minority = w[k_a:]
    spread = max(np.linalg.norm(a - b) for i, a in enumerate(minority) for b in minority[i + 1:])
    return spread / np.linalg.norm(w, axis=1).max()


def scipy_peeled_optimum(k, k_a, r, e_h, e_w, gamma=None, e_d=None, starts=4, seed=0, return_point=False,
                         per_sample=False):
    """Best SLSQP solve of Fang's class-mean program (gamma None) or of the linear DEQ with W_D = diag(s) aligned,
    0 <= s <= gamma, sum s^2 <= E_D, features f_k = h0_k / (1 - s).
    per_sample: the per-sample budget (1/N) sum_i ||h0_i||^2 <= E_H with n_k = R (majority) and 1 (minority)
    samples, written on class means (samples of a class coincide at an optimum, by Jensen): sum_k n_k ||h0_k||^2
    <= N E_H, the loss unchanged (class k weighs n_k / n_A = 1 or 1/R).
    An aligned W_D loses nothing (docs/theory.md): for any W_D the singular values of (I - W_D)^-1 are at most
    1/(1 - s_i(W_D)), and larger gains only enlarge the reachable set. Returns the best feasible loss."""
    import numpy as np
    from scipy.optimize import minimize
    weights = np.array([1.0 if c < k_a else 1.0 / r for c in range(k)])
    budget_weights = weights / weights.mean() if per_sample else np.ones(k)
    deq = gamma is not None
    n = 2 * k * k + (k if deq else 0)
    def unpack(x):
        h, w = x[:k * k].reshape(k, k), x[k * k:2 * k * k].reshape(k, k)
        return h, w, (x[2 * k * k:] if deq else np.zeros(k))
    def f(x):
        h, w, s = unpack(x)
        gain = 1 / (1 - s)
        feats = h * gain
        loss, g = _weighted_ce(feats @ w.T, weights)
        gf = g @ w
        grad = np.concatenate([(gf * gain).ravel(), (g.T @ feats).ravel(), (np.sum(gf * h, axis=0) * gain ** 2) if deq else []])
        return loss, grad
    row_weights = np.repeat(budget_weights, k)
    cons = [{"type": "ineq", "fun": lambda x: k * e_h - x[:k * k] @ (row_weights * x[:k * k]),
             "jac": lambda x: np.concatenate([-2 * row_weights * x[:k * k], np.zeros(n - k * k)])},
            {"type": "ineq", "fun": lambda x: k * e_w - x[k * k:2 * k * k] @ x[k * k:2 * k * k],
             "jac": lambda x: np.concatenate([np.zeros(k * k), -2 * x[k * k:2 * k * k], np.zeros(n - 2 * k * k)])}]
    bounds = None
    if deq:
        cons.append({"type": "ineq", "fun": lambda x: e_d - x[2 * k * k:] @ x[2 * k * k:],
                     "jac": lambda x: np.concatenate([np.zeros(2 * k * k), -2 * x[2 * k * k:]])})
        bounds = [(None, None)] * (2 * k * k) + [(0, gamma)] * k
    rng = np.random.default_rng(seed)
    best, point = np.inf, None
    for _ in range(starts):
        x0 = rng.standard_normal(n) * 0.3
        if deq:
            x0[2 * k * k:] = rng.uniform(0, min(gamma, np.sqrt(e_d / k)), k)
        res = minimize(f, x0, jac=True, method="SLSQP", bounds=bounds, constraints=cons,
                       options={"maxiter": 3000, "ftol": 1e-14})
        h, w, s = unpack(res.x)
        feasible = h.ravel() @ (row_weights * h.ravel()) <= k * e_h * (1 + 1e-6) and w.ravel() @ w.ravel() <= k * e_w * (1 + 1e-6) \
            and (not deq or (s @ s <= e_d * (1 + 1e-6) and s.max() <= gamma + 1e-9))
        if feasible and f(res.x)[0] < best:
            best, point = f(res.x)[0], (h, w, s)
    return (best, point) if return_point else best


def check_theory_balanced(test, nb):
    h = _helpers()
    facts = h.printed_facts(nb)
    problem = re.search(r"LayerPeeledProblem\[K=(\d+), K_A=1, R=1.0, E_H=([0-9.]+), E_W=([0-9.]+)\]", h.all_stdout(nb))
    k, e_h, e_w = int(problem.group(1)), float(problem.group(2)), float(problem.group(3))
    expected = fang_balanced_optimum(k, e_h, e_w)
    # the printed closed form is the formula, and the certified solver reaches it to 1e-6 relative
    test.assertAlmostEqual(float(facts["closed form"]), expected, delta=1e-12 * expected)
    test.assertLess(abs(float(facts["certified solver loss"]) - expected) / expected, 1e-6)
    # the DEQ with ||W_D|| <= gamma has gain 1/(1 - gamma); its optimum is the closed form at E_H gain^2
    # (6 significant digits are printed in the table)
    gamma = float(re.search(r"DEQ: deq\(gamma=([0-9.]+)\)", h.all_stdout(nb)).group(1))
    deq = [r for r in h.result_table(nb, "attained losses") if r["model"] == "deq"][0]
    deq_optimum = fang_balanced_optimum(k, e_h / (1 - gamma) ** 2, e_w)
    test.assertLess(abs(float(deq["reduced_loss"]) - deq_optimum) / deq_optimum, 1e-5)
    test.assertLess(abs(float(deq["direct_loss"]) - deq_optimum) / deq_optimum, 1e-5)
    # NC1 -> 0 from a random start, ETF and self-duality at the optima
    test.assertGreater(float(facts["deq NC1 at the start"]), 1.0)
    test.assertLess(float(facts["deq NC1 at the end"]), 1e-6)
    test.assertLess(float(facts["worst NC2 (ETF distance) at the optima"]), 1e-6)
    test.assertLess(float(facts["worst NC3 (self-duality) at the optima"]), 1e-6)
    # the comparator's bound decides the order: below beta = gamma by construction, beaten by beta = 1 as soon as
    # its gain L + 1 exceeds 1/(1 - gamma), tied by an explicit layer of equal gain
    test.assertEqual(facts["DEQ loss below every explicit depth with beta = gamma"], "true")
    test.assertEqual(int(facts["first depth at which beta = 1 beats the DEQ"]),
                     next(n for n in range(1, 100) if n + 1 > 1 / (1 - gamma) + 1e-12))
    test.assertLess(float(facts["equal-gain explicit vs DEQ relative loss difference"]), 1e-6)
    test.assertEqual(len(h.svg_figures(nb)), 1)
    claims = h.result_table(nb, "Claim vs our run")
    test.assertEqual(len(claims), 6)
    # an explicit layer of equal gain ties (checked above), so the lower-loss claim is no DEQ property
    test.assertEqual(claims[-1]["verdict"], "not supported")


def check_theory_imbalanced(test, nb):
    h = _helpers()
    facts = h.printed_facts(nb)
    test.assertLess(float(facts["worst relative duality gap"]), 1e-9)
    test.assertLess(float(facts["R = 1 relative error vs closed form"]), 1e-6)
    rows = h.result_table(nb, "minority_cos_mean by R")
    ratios = [float(r["R"]) for r in rows]
    test.assertEqual(ratios, [1.0, 10.0, 50.0, 100.0, 1000.0])
    series = [name for name in rows[0] if name != "R"]
    test.assertEqual(sorted(series), sorted(f"{m} K_A={k}" for m in ("lpm", "explicit", "deq") for k in (3, 5, 7)))
    for name in series:
        cos = [float(r[name]) for r in rows]
        # at R = 1 the classifiers form a simplex ETF: every pairwise cosine is -1/(K-1) = -1/9
        test.assertAlmostEqual(cos[0], -1 / 9, delta=1e-5, msg=name)
        # minority collapse only grows with the imbalance (6 printed digits, so a 1e-6 slack)
        for r, lo, hi in zip(ratios[1:], cos, cos[1:]):
            test.assertGreaterEqual(hi, lo - 1e-6, f"{name}: minority cosine decreases at R={r}")
        if name.startswith("lpm"):
            test.assertGreater(cos[-1], 0.5, f"{name}: no minority collapse by R=1000")
        if name.startswith("deq"):
            # equal gain: the explicit layer's curve is the DEQ's
            twin = [float(r[name.replace("deq", "explicit")]) for r in rows]
            test.assertEqual(cos, twin, name)
    # Fang's R* (all minority classifiers equal), checked on both sides with SciPy's independent solve
    for k_a in (5, 7):
        r_star = float(facts[f"R* lpm K_A={k_a}"])
        test.assertEqual(facts[f"R* deq K_A={k_a}"], facts[f"R* explicit K_A={k_a}"])
        test.assertGreater(_scipy_minority_spread(10, k_a, r_star / 1.2, 5, 1), 1e-2, f"K_A={k_a} below R*")
        test.assertLess(_scipy_minority_spread(10, k_a, r_star * 1.2, 5, 1), 1e-3, f"K_A={k_a} above R*")
    test.assertEqual(len(h.svg_figures(nb)), 5)
    test.assertEqual(len(h.result_table(nb, "Claim vs our run")), 6)


def check_theory_matched_budgets(test, nb):
    h = _helpers()
    facts = h.printed_facts(nb)
    # Step 1: with only ||W_D||_2 <= gamma the DEQ's own optimisation lands on Fang's optimum at E_H/(1-gamma)^2
    test.assertLess(float(facts["reduction worst relative difference"]), 1e-6)
    gamma, e_d, e_h, e_w = map(float, re.search(r"spot gamma E_D E_H E_W: (\S+) (\S+) (\S+) (\S+)",
                                                h.all_stdout(nb)).groups())
    spots = [r for r in _printed_table(h.all_stdout(nb), "spot values")
             if (r["K_A"], float(r["R"])) in (("3", 10.0), ("7", 100.0))]
    test.assertEqual(len(spots), 6)
    for row in spots:
        k_a, r, ours = int(row["K_A"]), float(row["R"]), float(row["objective"])
        if row["model"] == "deq":
            # local on both sides: SciPy's best start lies in our certified bracket and agrees with our solution
            theirs = scipy_peeled_optimum(10, k_a, r, e_h, e_w, gamma, e_d)
            test.assertGreaterEqual(theirs, float(row["lower_bound"]) - 1e-6, row)
            test.assertLessEqual(theirs, float(row["upper_bound"]) + 1e-6, row)
            test.assertLess(abs(theirs - ours) / ours, 1e-3, row)
        else:
            budget = e_h / (1 - gamma) ** 2 if row["model"] == "deq_gain" else e_h
            theirs = scipy_peeled_optimum(10, k_a, r, budget, e_w)
            test.assertLess(abs(theirs - ours) / ours, 1e-6, row)
    claims = h.result_table(nb, "Claim vs our run")
    test.assertEqual(len(claims), 7)
    test.assertTrue(all(c["verdict"] in ("supported", "not supported", "not tested here") for c in claims))
    # matched gain: every layer of the same gain is the same Fang model, so no advantage can appear there
    test.assertEqual(claims[0]["verdict"], "not supported")
    test.assertIn(claims[-1]["verdict"], ("supported", "not supported"))
    figures = [o for i in h.code_cells(nb) for o in h.outputs(nb, i)
               if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})]
    test.assertEqual(len(figures), 4)
    # Condition axis: gamma, E_D and E_H*E_W each moved; no point nearer the ETF than Fang at equal effective budget
    test.assertGreaterEqual(int(facts["conditions on the axis besides the main one"]), 6)
    test.assertEqual(int(facts["axis points nearer the ETF than Fang at equal effective budget"]), 0)
    # Per-sample form: samples collapse onto their class means; at the larger budget Fang's per-sample optimum is
    # nearer SELI than the ETF and the per-class one the reverse; SciPy's per-sample solve agrees with ours
    test.assertLess(float(facts["per-sample fang worst within-class spread"]), 1e-3)
    forms = h.result_table(nb, "budget forms")
    for f in forms:
        # the text: a per-sample solve whose samples have not collapsed stopped at a vanishing loss
        if f["form"] == "per_sample" and float(f["within_class_spread"]) > 1e-3:
            test.assertLess(float(f["objective"]), 1e-5, f)
    budgets = sorted({float(re.search(r"E_H=([0-9.]+)", f["condition"]).group(1)) for f in forms})
    large = [f for f in forms if f["model"] == "fang" and f"E_H={budgets[-1]}" in f["condition"]]
    test.assertEqual(len(large), 4)
    for f in large:
        seli, etf = float(f["seli_distance"]), float(f["etf_distance"])
        if f["form"] == "per_sample":
            test.assertLess(seli, etf, f)
        else:
            test.assertLess(etf, seli, f)
    small = next(f for f in forms if f["model"] == "fang" and f["form"] == "per_sample" and float(f["R"]) == 10
                 and f"E_H={budgets[0]}" in f["condition"])
    theirs = scipy_peeled_optimum(10, 3, 10, budgets[0], e_w, per_sample=True)
    test.assertLess(abs(theirs - float(small["objective"])) / theirs, 1e-4, small)
    # R* of the other variants is a closed bracket; the ReLU DEQ's statement "cannot be certified" still holds
    other = h.result_table(nb, "collapse thresholds R*, other variants")
    test.assertEqual({r["model"] for r in other}, {"explicit", "deq_wd", "explicit_tied_wd"})
    for row in other:
        below, above = float(row["R_below"] or "nan"), float(row["R_above"] or "nan")
        if not math.isnan(below) and not math.isnan(above):
            test.assertLess(below, above, row)
            test.assertLess(above / below, 1.1, row)
    relu = re.search(r"relu K_A=7 R=50 loss (\S+), certified lower bound (\S+)", h.all_stdout(nb))
    test.assertGreaterEqual(float(relu.group(1)), float(relu.group(2)) - 1e-9)
    test.assertTrue(float(facts["relu stationarity"]) > 1e-6 or float(facts["relu spread over starts"]) > 1e-3)


def _printed_table(text, title):
    """Rows of a Tablesaw table printed with printAll() ('|'-separated), found by its title line."""
    lines = text[text.index(title):].splitlines()
    header = [c.strip() for c in lines[1].split("|")]
    rows = []
    for line in lines[3:]:
        if "|" not in line:
            break
        rows.append(dict(zip(header, (c.strip() for c in line.split("|")))))
    return rows


CHECKS = {
    "10-theory-balanced.ipynb": check_theory_balanced,
    "11-theory-imbalanced.ipynb": check_theory_imbalanced,
    "12-theory-matched-budgets.ipynb": check_theory_matched_budgets,
}
