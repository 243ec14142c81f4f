package org.deqnc.theory.kernels;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;

import java.util.Arrays;

/** Eigenvalues of symmetric kernel matrices (Hipparchus) and the spectral-norm errors the paper reports. */
public final class Spectrum {

    private Spectrum() {
    }

    /** Eigenvalues in increasing order; the matrix is symmetrised first ((K + K^T)/2, to undo float rounding). */
    public static double[] eigenvalues(double[][] symmetric) {
        int n = symmetric.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (symmetric[i].length != n) {
                throw new IllegalArgumentException("matrix: must be square, row " + i + " has " + symmetric[i].length
                        + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                s[i][j] = (symmetric[i][j] + symmetric[j][i]) / 2;
            }
        }
        double[] ev = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(s, false)).getEigenvalues();
        Arrays.sort(ev);
        return ev;
    }

    /** ||K||_2 of a symmetric matrix, the largest |eigenvalue|. */
    public static double spectralNorm(double[][] symmetric) {
        double[] ev = eigenvalues(symmetric);
        return Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
    }

    /** ||empirical - equivalent||_2 / ||equivalent||_2. */
    public static double relativeError(double[][] empirical, double[][] equivalent) {
        int n = equivalent.length;
        if (empirical.length != n) {
            throw new IllegalArgumentException("empirical: must be " + n + "x" + n + " like the equivalent, got "
                    + empirical.length + " rows");
        }
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = empirical[i][j] - equivalent[i][j];
            }
        }
        return spectralNorm(d) / spectralNorm(equivalent);
    }
}
