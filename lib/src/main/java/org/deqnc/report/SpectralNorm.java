package org.deqnc.report;

import org.deqnc.engine.ComputationInterruptedException;

/**
 * The spectral norm ‖W‖₂ of a dense matrix, exact to rounding: the largest eigenvalue of the Gram
 * matrix WᵀW, reduced to tridiagonal form by Householder reflections and located by Sturm-sequence
 * bisection. Unlike a full SVD (about 30 s for 1024 × 1024 on one core) it costs two passes of
 * about n³ operations and checks for an interrupt after every row or reflection.
 */
final class SpectralNorm {

    private SpectralNorm() {
    }

    static double of(double[][] w) {
        double[][] g = gram(w);
        int n = g.length;
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[Math.max(0, n - 1)];
        tridiagonalize(g, diagonal, offDiagonal);
        return Math.sqrt(Math.max(0, largestEigenvalue(diagonal, offDiagonal)));
    }

    /** WᵀW (cols × cols). */
    private static double[][] gram(double[][] w) {
        int n = w[0].length;
        double[][] g = new double[n][n];
        for (double[] row : w) {
            ComputationInterruptedException.check("spectral norm: Gram matrix");
            for (int i = 0; i < n; i++) {
                double ri = row[i];
                if (ri == 0) {
                    continue;
                }
                double[] gi = g[i];
                for (int j = 0; j <= i; j++) {
                    gi[j] += ri * row[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                g[j][i] = g[i][j];
            }
        }
        return g;
    }

    /** Householder reduction of the symmetric {@code a} (overwritten) to a tridiagonal with the same eigenvalues. */
    private static void tridiagonalize(double[][] a, double[] d, double[] e) {
        int n = a.length;
        double[] v = new double[n];
        double[] q = new double[n];
        for (int k = 0; k < n - 2; k++) {
            ComputationInterruptedException.check("spectral norm: tridiagonal reduction");
            double norm = 0;
            for (int i = k + 1; i < n; i++) {
                norm = Math.hypot(norm, a[i][k]);
            }
            double alpha = a[k + 1][k] > 0 ? -norm : norm;
            double vv = 0;
            for (int i = k + 1; i < n; i++) {
                v[i] = a[i][k];
            }
            v[k + 1] -= alpha;
            for (int i = k + 1; i < n; i++) {
                vv += v[i] * v[i];
            }
            e[k] = vv == 0 ? a[k + 1][k] : alpha;
            if (vv == 0) {
                continue;
            }
            // A ← H A H with H = I − β v vᵀ: p = β A v, q = p − (β/2)(vᵀp) v, A ← A − v qᵀ − q vᵀ.
            double beta = 2 / vv;
            double vp = 0;
            for (int i = k + 1; i < n; i++) {
                double s = 0;
                double[] ai = a[i];
                for (int j = k + 1; j < n; j++) {
                    s += ai[j] * v[j];
                }
                q[i] = beta * s;
                vp += v[i] * q[i];
            }
            double c = beta / 2 * vp;
            for (int i = k + 1; i < n; i++) {
                q[i] -= c * v[i];
            }
            for (int i = k + 1; i < n; i++) {
                double[] ai = a[i];
                double vi = v[i];
                double qi = q[i];
                for (int j = k + 1; j < n; j++) {
                    ai[j] -= vi * q[j] + qi * v[j];
                }
            }
        }
        if (n >= 2) {
            e[n - 2] = a[n - 1][n - 2];
        }
        for (int i = 0; i < n; i++) {
            d[i] = a[i][i];
        }
    }

    /** Largest eigenvalue of the symmetric tridiagonal (d, e), by bisection on the Sturm count. */
    static double largestEigenvalue(double[] d, double[] e) {
        int n = d.length;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0);
            lo = Math.min(lo, d[i] - r);
            hi = Math.max(hi, d[i] + r);
        }
        while (true) {
            double mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi) {
                return hi;
            }
            if (countBelow(d, e, mid) == n) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
    }

    /** How many eigenvalues of the tridiagonal are below x (signs of the LDLᵀ pivots of T − xI). */
    private static int countBelow(double[] d, double[] e, double x) {
        int count = 0;
        double pivot = 1;
        for (int i = 0; i < d.length; i++) {
            double off = i > 0 ? e[i - 1] : 0;
            pivot = d[i] - x - (i > 0 ? off * off / pivot : 0);
            if (pivot == 0) {
                pivot = -Double.MIN_NORMAL;
            }
            if (pivot < 0) {
                count++;
            }
        }
        return count;
    }
}
