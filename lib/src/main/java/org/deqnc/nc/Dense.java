package org.deqnc.nc;

/** Small dense-matrix helpers on K×d and K×K {@code double[][]} (row per class); no decompositions here. */
final class Dense {

    private Dense() {
    }

    static double frobenius(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** A Bᵀ for row-per-class A (m×d) and B (n×d); exactly symmetric when A == B. */
    static double[][] timesTransposed(double[][] a, double[][] b) {
        double[][] g = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                g[i][j] = a == b && j < i ? g[j][i] : dot(a[i], b[j]);
            }
        }
        return g;
    }

    static double[] rowNorms(double[][] a) {
        double[] n = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            n[i] = norm(a[i]);
        }
        return n;
    }

    /** cos(a_i, a_j) for every pair i &lt; j with both rows selected ({@code selected == null}: all rows). */
    static double[] pairwiseCosines(double[][] a, boolean[] selected) {
        double[] norms = rowNorms(a);
        int count = 0;
        for (int i = 0; i < a.length; i++) {
            count += isSelected(selected, i) ? 1 : 0;
        }
        double[] cos = new double[count * (count - 1) / 2];
        int p = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                if (isSelected(selected, i) && isSelected(selected, j)) {
                    cos[p++] = dot(a[i], a[j]) / (norms[i] * norms[j]);
                }
            }
        }
        return cos;
    }

    /** The entries of {@code values} at selected positions. */
    static double[] select(double[] values, boolean[] selected) {
        return java.util.stream.IntStream.range(0, values.length)
                .filter(i -> selected[i]).mapToDouble(i -> values[i]).toArray();
    }

    /** ‖X/‖X‖_F − (I − 11ᵀ/K)/√(K−1)‖_F for a K×K matrix X: distance to the unit-norm simplex-ETF Gram. */
    static double etfDistance(double[][] x) {
        int k = x.length;
        double scale = frobenius(x);
        double s = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double target = ((i == j ? 1.0 : 0.0) - 1.0 / k) / Math.sqrt(k - 1.0);
                double diff = x[i][j] / scale - target;
                s += diff * diff;
            }
        }
        return Math.sqrt(s);
    }

    /** ‖A/‖A‖_F − B/‖B‖_F‖_F. */
    static double normalisedDistance(double[][] a, double[][] b) {
        double na = frobenius(a);
        double nb = frobenius(b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double diff = a[i][j] / na - b[i][j] / nb;
                s += diff * diff;
            }
        }
        return Math.sqrt(s);
    }

    /** A S for row-per-class A (m×d) and a row-major d×d S. */
    static double[][] timesSquare(double[][] a, double[] s) {
        int d = a[0].length;
        double[][] out = new double[a.length][d];
        for (int r = 0; r < a.length; r++) {
            for (int i = 0; i < d; i++) {
                double ai = a[r][i];
                for (int j = 0; j < d; j++) {
                    out[r][j] += ai * s[i * d + j];
                }
            }
        }
        return out;
    }

    /** Row-major copy of a matrix with rows of equal length. */
    static double[] flatten(double[][] a) {
        int cols = a[0].length;
        double[] flat = new double[a.length * cols];
        for (int r = 0; r < a.length; r++) {
            System.arraycopy(a[r], 0, flat, r * cols, cols);
        }
        return flat;
    }

    /** The rows of a row-major matrix with {@code cols} columns. */
    static double[][] rows(double[] flat, int cols) {
        double[][] a = new double[flat.length / cols][];
        for (int r = 0; r < a.length; r++) {
            a[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return a;
    }

    private static boolean isSelected(boolean[] selected, int i) {
        return selected == null || selected[i];
    }

    /** factor · a, a new array. */
    static double[] scaled(double[] a, double factor) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * factor;
        }
        return out;
    }
}
