package org.deqnc.nc;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;

import java.util.Random;

/** Seeded test data: Gaussian class clouds and simplex-ETF geometry. */
final class SyntheticData {

    private SyntheticData() {
    }

    /** A random d×d orthogonal matrix (Q of a Gaussian matrix's QR). */
    static RealMatrix rotation(int d, long seed) {
        Random rnd = new Random(seed);
        double[][] g = new double[d][d];
        for (double[] row : g) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return new QRDecomposition(MatrixUtils.createRealMatrix(g)).getQ();
    }

    /**
     * The K vertices of a simplex ETF in R^d (d ≥ K), one per row: sqrt(K/(K−1)) (e_k − 1/K) padded with
     * zeros, so that |m_k| = 1 and cos(m_i, m_j) = −1/(K−1).
     */
    static double[][] simplexEtf(int k, int d) {
        double[][] m = new double[k][d];
        double scale = Math.sqrt((double) k / (k - 1));
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                m[i][j] = scale * ((i == j ? 1.0 : 0.0) - 1.0 / k);
            }
        }
        return m;
    }

    /** Labels with the given per-class counts, shuffled with {@code seed}. */
    static int[] labels(int[] counts, long seed) {
        int n = java.util.Arrays.stream(counts).sum();
        int[] y = new int[n];
        int p = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int i = 0; i < counts[k]; i++) {
                y[p++] = k;
            }
        }
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = y[i];
            y[i] = y[j];
            y[j] = t;
        }
        return y;
    }

    /** Features h_i = centres[y_i] + noise·N(0, I), row-major N×d. */
    static double[][] clouds(double[][] centres, int[] labels, double noise, long seed) {
        Random rnd = new Random(seed);
        int d = centres[0].length;
        double[][] h = new double[labels.length][d];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < d; j++) {
                h[i][j] = centres[labels[i]][j] + noise * rnd.nextGaussian();
            }
        }
        return h;
    }

    /** Gaussian K×d matrix with entries of standard deviation {@code scale}. */
    static double[][] gaussian(int rows, int cols, double scale, long seed) {
        Random rnd = new Random(seed);
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * rnd.nextGaussian();
            }
        }
        return m;
    }
}
