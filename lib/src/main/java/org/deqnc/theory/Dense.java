package org.deqnc.theory;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;

import java.util.Random;

/**
 * The handful of dense row-major matrix operations the theory solvers need. The problems are tiny (K x K with
 * K around 10), so plain arrays beat any tensor library here; Hipparchus supplies the SVD.
 */
final class Dense {

    private Dense() {
    }

    static double[][] zeros(int rows, int cols) {
        return new double[rows][cols];
    }

    /** {@code value * I_n}. */
    static double[][] identity(int n, double value) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, value);
        return diagonal(d);
    }

    static double[][] diagonal(double[] diagonal) {
        double[][] m = new double[diagonal.length][diagonal.length];
        for (int i = 0; i < diagonal.length; i++) {
            m[i][i] = diagonal[i];
        }
        return m;
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    static double[][] gaussian(int rows, int cols, Random rng) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return m;
    }

    /** a * b. */
    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int inner = b.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] ci = c[i];
            for (int l = 0; l < inner; l++) {
                double ail = a[i][l];
                if (ail != 0) {
                    double[] bl = b[l];
                    for (int j = 0; j < m; j++) {
                        ci[j] += ail * bl[j];
                    }
                }
            }
        }
        return c;
    }

    /** a * b^T: row i of the result holds the inner products of row i of a with the rows of b. */
    static double[][] multiplyTransposed(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                c[i][j] = dot(a[i], b[j]);
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** Frobenius inner product. */
    static double inner(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += dot(a[i], b[i]);
        }
        return s;
    }

    static double frobenius(double[][] a) {
        return Math.sqrt(inner(a, a));
    }

    static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    /** a + alpha * b, as a new matrix. */
    static double[][] axpy(double[][] a, double alpha, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + alpha * b[i][j];
            }
        }
        return c;
    }

    static double[][] scale(double[][] a, double alpha) {
        return axpy(zeros(a.length, a[0].length), alpha, a);
    }

    static SingularValueDecomposition svd(double[][] a) {
        return new SingularValueDecomposition(MatrixUtils.createRealMatrix(a));
    }

    /** Largest singular value (spectral norm). */
    static double spectralNorm(double[][] a) {
        return svd(a).getNorm();
    }

    /** Means of consecutive row groups: group g holds the next {@code counts[g]} rows. */
    static double[][] groupMeans(double[][] rows, int[] counts) {
        double[][] means = new double[counts.length][rows[0].length];
        for (int g = 0, row = 0; g < counts.length; g++) {
            for (int i = 0; i < counts[g]; i++, row++) {
                for (int j = 0; j < means[g].length; j++) {
                    means[g][j] += rows[row][j] / counts[g];
                }
            }
        }
        return means;
    }

    /** U diag(s) V^T. */
    static double[][] compose(RealMatrix u, double[] s, RealMatrix v) {
        return multiplyTransposed(multiply(u.getData(), diagonal(s)), v.getData());
    }

    /** Frobenius-ball projection: radial shrink to the given radius when outside. */
    static double[][] projectFrobeniusBall(double[][] a, double radius) {
        double n = frobenius(a);
        return n <= radius ? copy(a) : scale(a, radius / n);
    }

    /** Spectral-ball projection: clip every singular value at the bound (exact Euclidean projection). */
    static double[][] projectSpectralBall(double[][] a, double bound) {
        SingularValueDecomposition svd = svd(a);
        double[] s = svd.getSingularValues();
        if (s[0] <= bound) {
            return copy(a);
        }
        double[] clipped = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            clipped[i] = Math.min(s[i], bound);
        }
        return compose(svd.getU(), clipped, svd.getV());
    }

    /**
     * Nuclear-ball projection (exact Euclidean projection onto {@code ||Z||_* <= radius}): the singular values are
     * projected onto the l1-ball of non-negative vectors, by the sort-and-threshold rule.
     */
    static double[][] projectNuclearBall(double[][] a, double radius) {
        SingularValueDecomposition svd = svd(a);
        double[] s = svd.getSingularValues();
        double total = 0;
        for (double v : s) {
            total += v;
        }
        if (total <= radius) {
            return copy(a);
        }
        // s is sorted descending: find the largest rho with s[rho] > (sum_{i<=rho} s_i - radius) / (rho + 1).
        double cumulative = 0;
        double theta = 0;
        for (int i = 0; i < s.length; i++) {
            cumulative += s[i];
            double candidate = (cumulative - radius) / (i + 1);
            if (s[i] > candidate) {
                theta = candidate;
            }
        }
        double[] shrunk = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            shrunk[i] = Math.max(s[i] - theta, 0);
        }
        return compose(svd.getU(), shrunk, svd.getV());
    }
}
