package org.deqnc.data;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.DiagonalMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;

/**
 * One class covariance of a {@link GaussianMixture}, stored diagonally when it is diagonal (the common
 * synthetic case, where a p x p eigendecomposition would dominate the cost), with its symmetric square root.
 */
final class Covariance {

    private final double[] diagonal;   // non-null iff diagonal
    private final double[][] full;     // non-null iff not diagonal
    private final double[][] root;     // symmetric square root of full

    private Covariance(double[] diagonal, double[][] full, double[][] root) {
        this.diagonal = diagonal;
        this.full = full;
        this.root = root;
    }

    static Covariance diagonal(double[] variances, String name) {
        for (int i = 0; i < variances.length; i++) {
            if (!(variances[i] >= 0) || !Double.isFinite(variances[i])) {
                throw new IllegalArgumentException(name + ": variance " + i + " must be finite and >= 0, got " + variances[i]);
            }
        }
        return new Covariance(variances.clone(), null, null);
    }

    static Covariance full(double[][] matrix, String name) {
        int p = matrix.length;
        double scale = 0;
        for (double[] row : matrix) {
            if (row.length != p) {
                throw new IllegalArgumentException(name + ": must be square " + p + "x" + p + ", found a row of length " + row.length);
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + ": entries must be finite, got " + v);
                }
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(matrix[i][j] - matrix[j][i]) > 1e-12 * Math.max(scale, 1)) {
                    throw new IllegalArgumentException(name + ": must be symmetric, entry (" + i + "," + j + ") = " + matrix[i][j]
                            + " but (" + j + "," + i + ") = " + matrix[j][i]);
                }
            }
        }
        EigenDecompositionSymmetric eigen = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(matrix));
        double[] values = eigen.getEigenvalues();
        double largest = 0;
        for (double v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        double[] sqrt = new double[p];
        for (int i = 0; i < p; i++) {
            // round-off may leave tiny negative eigenvalues on a singular but valid covariance
            if (values[i] < -1e-10 * Math.max(largest, 1)) {
                throw new IllegalArgumentException(name + ": must be positive semi-definite, has eigenvalue "
                        + (float) values[i]);   // float: round-off digits of the eigensolver are noise
            }
            sqrt[i] = Math.sqrt(Math.max(values[i], 0));
        }
        RealMatrix v = eigen.getV();
        double[][] root = v.multiply(new DiagonalMatrix(sqrt)).multiplyTransposed(v).getData();
        double[][] copy = new double[p][];
        for (int i = 0; i < p; i++) {
            copy[i] = matrix[i].clone();
        }
        return new Covariance(null, copy, root);
    }

    int dimension() {
        return diagonal != null ? diagonal.length : full.length;
    }

    double entry(int i, int j) {
        if (diagonal != null) {
            return i == j ? diagonal[i] : 0;
        }
        return full[i][j];
    }

    double trace() {
        double s = 0;
        for (int i = 0; i < dimension(); i++) {
            s += entry(i, i);
        }
        return s;
    }

    /** tr(this * other) for symmetric matrices: the sum of the element-wise product. */
    double traceProduct(Covariance other) {
        if (diagonal != null || other.diagonal != null) {
            Covariance diag = diagonal != null ? this : other;
            Covariance rest = diag == this ? other : this;
            double s = 0;
            for (int i = 0; i < dimension(); i++) {
                s += diag.diagonal[i] * rest.entry(i, i);
            }
            return s;
        }
        double s = 0;
        for (int i = 0; i < dimension(); i++) {
            for (int j = 0; j < dimension(); j++) {
                s += full[i][j] * other.full[i][j];
            }
        }
        return s;
    }

    /** out = C^{1/2} xi. */
    void applyRoot(double[] xi, double[] out) {
        int p = dimension();
        if (diagonal != null) {
            for (int i = 0; i < p; i++) {
                out[i] = Math.sqrt(diagonal[i]) * xi[i];
            }
            return;
        }
        for (int i = 0; i < p; i++) {
            double s = 0;
            double[] row = root[i];
            for (int k = 0; k < p; k++) {
                s += row[k] * xi[k];
            }
            out[i] = s;
        }
    }
}
