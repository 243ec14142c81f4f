#!/usr/bin/python3
"""NC metrics in plain numpy: the baseline that org.deqnc.bench.NcBenchmark is compared with.

Same data and same formulas as the Java side (org.deqnc.nc, NcMetric's documentation):
  * data: the seed-free generator below, bit-identical to NcBenchmark's (splitmix64 of the element's
    index, so no random-number library is involved on either side);
  * metrics: counts, class means, class-mean global mean, Sigma_W (pooled scatter / N), Sigma_B;
    NC1 as pinv (rank <= K-1, relative tolerance 1e-10 on s_i^2) and top-(K-1) SVD, both through the
    SVD of the centred means, trace quotient and CDNV; NC2 equinorm, equiangularity (mean, unbiased std) and ETF
    distance for the centred means and for W; NC3 duality (and squared), W M~^T structure, bias, the variance of the
    duality cosines and of the dot products w_k.mu~_k (UNC3), and mean duality cosine; NC4 (NCC vs the network, and NCC vs the linear classifier), NCC accuracy,
    accuracy; the two K x K Gram matrices.
The timed call is report(); the data and the network predictions are made before timing, as in Java.
It is timed twice: nc_report_numpy needs Sigma_W only along the <= K eigenvectors of Sigma_B (the
algorithm org.deqnc.nc uses by default), nc_report_full_scatter_numpy forms the d x d Sigma_W first
(BLAS syrk, as published NC code does; WithinScatter.FULL on the Java side).

Prints `BENCH name=nc_report[_full_scatter]_numpy median_ms=... spread_ms=... repeats=... impl=numpy ...
peak_rss_mib=...` (peak RSS of the whole process so far) and, with --values, every metric as `VALUE key=value` (the format of NcBenchmark's `values`) so that a
driver can check both sides agree; NcBenchmark numpy=PATH runs this script and does that check itself.
Usage: /usr/bin/python3 nc_numpy.py [--n 60000] [--d 512] [--k 10] [--repeats 5] [--values]
"""
import argparse
import resource
import time

import numpy as np

MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def splitmix64(x):
    """splitmix64 finaliser of uint64 indices (wrapping arithmetic, as Java's long)."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def uniform(stream, start, count):
    """u in [0, 1) for indices stream * 2^40 + start + [0, count): the top 53 bits times 2^-53 (exact)."""
    idx = np.arange(start, start + count, dtype=np.uint64) + np.uint64(stream << 40)
    return (splitmix64(idx) >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def data(n, d, k):
    """Labels, features, classifier and bias, bit-identical to org.deqnc.bench.NcBenchData."""
    y = np.floor(uniform(0, 0, n) * k).astype(np.int64)
    centres = (2 * uniform(1, 0, k * d) - 1).reshape(k, d)
    h = np.empty((n, d))
    rows = 8192
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        noise = 2 * uniform(2, start * d, (stop - start) * d) - 1
        h[start:stop] = centres[y[start:stop]] + noise.reshape(stop - start, d)
    w = 0.1 * (2 * uniform(3, 0, k * d) - 1).reshape(k, d)
    b = 0.1 * (2 * uniform(4, 0, k) - 1)
    return y, h, w, b


def etf_distance(g):
    k = g.shape[0]
    target = (np.eye(k) - 1.0 / k) / np.sqrt(k - 1.0)
    return np.linalg.norm(g / np.linalg.norm(g) - target)


def shape_metrics(rows, prefix, out):
    k = rows.shape[0]
    norms = np.linalg.norm(rows, axis=1)
    out[f"nc2_equinorm_{prefix}"] = norms.std(ddof=1) / norms.mean()
    cos = (rows @ rows.T) / np.outer(norms, norms)
    dev = np.abs(cos[np.triu_indices(k, 1)] + 1.0 / (k - 1))
    out[f"nc2_equiangular_{prefix}"] = dev.mean()
    out[f"nc2_equiangular_{prefix}_std"] = dev.std(ddof=1)
    gram = rows @ rows.T
    out[f"nc2_etf_{prefix}"] = etf_distance(gram)
    return gram


def report(h, y, k, w, b, pred, scatter="axes", tol=1e-10):
    n, d = h.shape
    out = {}
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    counts = onehot.sum(axis=0)
    means = (onehot.T @ h) / counts[:, None]
    centred_h = h - means[y]
    class_var = (onehot.T @ np.einsum("ij,ij->i", centred_h, centred_h)) / counts
    mu_g = means.mean(axis=0)
    m = means - mu_g
    trace_w = np.sum(class_var * counts) / n
    trace_b = np.sum(m * m) / k
    out["trace_sigma_w"] = trace_w
    out["trace_sigma_b"] = trace_b
    # Sigma_B = M~^T M~ / K has eigenpairs (s_i^2 / K, v_i) from the SVD of M~, so
    # Tr(Sigma_W Sigma_B^+) = sum_i K v_i^T Sigma_W v_i / s_i^2 over the kept i.
    _, s, vt = np.linalg.svd(m, full_matrices=False)
    if scatter == "full":
        # Sigma_W as published NC code forms it (numpy hands Hc.T @ Hc to BLAS syrk).
        sigma_w = (centred_h.T @ centred_h) / n
        along = np.einsum("ij,jl,il->i", vt, sigma_w, vt)
    else:
        # Only along the <= K axes v_i: 2 N d K flops instead of N d^2, as org.deqnc.nc does by default.
        along = np.sum((centred_h @ vt.T) ** 2, axis=0) / n
    del centred_h
    q = np.maximum(0.0, along)
    kept = int(np.sum(s[: k - 1] ** 2 > tol * s[0] ** 2))
    out["nc1_pinv"] = np.sum(k * q[:kept] / s[:kept] ** 2) / k
    out["nc1_svd"] = np.sum(k * q[: k - 1] / s[: k - 1] ** 2) / k
    out["nc1_quotient"] = trace_w / trace_b
    dist2 = np.sum((means[:, None, :] - means[None, :, :]) ** 2, axis=2)
    iu = np.triu_indices(k, 1)
    out["nc1_cdnv"] = np.mean(((class_var[:, None] + class_var[None, :]) / (2 * dist2))[iu])
    gram_m = shape_metrics(m, "means", out)
    gram_w = shape_metrics(w, "classifier", out)
    wn = w / np.linalg.norm(w)
    mn = m / np.linalg.norm(m)
    out["nc3_duality"] = np.linalg.norm(wn - mn)
    out["nc3_duality_squared"] = out["nc3_duality"] ** 2
    out["nc3_structure"] = etf_distance(w @ m.T)
    out["nc3_bias"] = np.linalg.norm(w @ mu_g + b)
    dual_cos = np.sum(w * m, axis=1) / (np.linalg.norm(w, axis=1) * np.linalg.norm(m, axis=1))
    out["nc3_duality_cos_mean"] = dual_cos.mean()
    out["nc3_duality_cos_var"] = dual_cos.var(ddof=1)
    out["unc3_duality_dot_var"] = np.sum(w * m, axis=1).var(ddof=1)
    # Nearest class centre: argmin ||h - mu_k||^2 = argmin (|mu_k|^2 - 2 h.mu_k).
    ncc = np.argmin(np.sum(means * means, axis=1) - 2 * (h @ means.T), axis=1)
    linear = np.argmax(h @ w.T + b, axis=1)
    out["nc4_ncc_disagreement"] = np.mean(ncc != pred)
    out["nc4_linear_ncc_disagreement"] = np.mean(ncc != linear)
    out["ncc_accuracy"] = np.mean(ncc == y)
    out["accuracy"] = np.mean(pred == y)
    return out, gram_m, gram_w


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=60000)
    p.add_argument("--d", type=int, default=512)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--values", action="store_true", help="print every metric as VALUE key=value")
    a = p.parse_args()
    y, h, w, b = data(a.n, a.d, a.k)
    pred = np.argmax(h @ w.T + b, axis=1)
    print(f"numpy {np.__version__}, BLAS: {blas_name()}")
    for name, scatter in (("nc_report", "axes"), ("nc_report_full_scatter", "full")):
        report(h, y, a.k, w, b, pred, scatter)  # warm-up, like the Java side
        times = []
        for _ in range(a.repeats):
            start = time.perf_counter()
            values, _, _ = report(h, y, a.k, w, b, pred, scatter)
            times.append((time.perf_counter() - start) * 1e3)
        times.sort()
        median = times[len(times) // 2]
        print(f"BENCH name={name}_numpy median_ms={median:.1f} spread_ms={times[-1] - times[0]:.1f} "
              f"repeats={a.repeats} impl=numpy n={a.n} d={a.d} k={a.k} "
              f"peak_rss_mib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
        if scatter == "axes":
            first = values
    values = first
    if a.values:
        for key, val in values.items():
            print(f"VALUE {key}={float(val)!r}")


def blas_name():
    """The BLAS library numpy actually loaded (reference BLAS is ~10x slower than OpenBLAS)."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1].rsplit("/", 1)[-1] for line in f if "blas" in line.lower()}
    return ", ".join(sorted(libs)) or "unknown"


if __name__ == "__main__":
    main()
