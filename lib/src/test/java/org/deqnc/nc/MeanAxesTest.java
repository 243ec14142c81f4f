package org.deqnc.nc;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MeanAxes}' own SVD against hipparchus's general SVD (an independent implementation: Householder
 * bidiagonalisation and implicit QR), and against matrices whose singular triplets are known by construction.
 */
class MeanAxesTest {

    @ParameterizedTest
    @CsvSource({"10, 64, 1", "10, 64, 2", "4, 4, 3", "10, 3, 4", "7, 2, 5", "1, 5, 6", "5, 1, 7", "100, 128, 8"})
    void agreesWithAGeneralSvd(int k, int d, long seed) {
        double[][] m = gaussian(k, d, seed);
        SingularValueDecomposition ref = new SingularValueDecomposition(MatrixUtils.createRealMatrix(m));
        MeanAxes ours = MeanAxes.of(copy(m));
        double[] s = ref.getSingularValues();
        assertArrayEquals(s, ours.singularValues(), 1e-12 * s[0]);
        for (int i = 0; i < s.length; i++) {
            // up to sign; random singular values are apart, so each axis is determined
            double cos = Math.abs(Dense.dot(ours.axes()[i], ref.getV().getColumn(i)));
            assertEquals(1, cos, 1e-9, "axis " + i);
        }
        assertOrthonormal(ours.axes());
        assertEigenvectorsOfGram(m, ours);
    }

    /** Centred means have rank K − 1: the top K − 1 triplets are determined, the last value is rounding. */
    @Test
    void centredMeansHaveOneZeroDirection() {
        int k = 10;
        double[][] m = gaussian(k, 64, 11);
        for (int j = 0; j < 64; j++) {
            double mean = 0;
            for (double[] row : m) {
                mean += row[j] / k;
            }
            for (double[] row : m) {
                row[j] -= mean;
            }
        }
        MeanAxes ours = MeanAxes.of(copy(m));
        double[] s = new SingularValueDecomposition(MatrixUtils.createRealMatrix(m)).getSingularValues();
        for (int i = 0; i < k - 1; i++) {
            assertEquals(s[i], ours.singularValues()[i], 1e-12 * s[0]);
        }
        assertTrue(ours.singularValues()[k - 1] < 1e-14 * s[0], ours.singularValues()[k - 1] + "");
        assertOrthonormal(ours.axes());
    }

    /**
     * Rows D·Qᵀ with Q orthogonal: singular values exactly the diagonal D, axes the first columns of Q. The tiny
     * one, 1e-12 of the largest, comes out to high relative accuracy, which NC1's no-tolerance variant divides by.
     */
    @Test
    void tinySingularValuesKeepTheirRelativeAccuracy() {
        double[] diag = {3, 1, 1e-6, 1e-12};
        double[][] q = orthonormalColumns(6, 4, 21);
        double[][] m = new double[4][6];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                m[i][j] = diag[i] * q[j][i];
            }
        }
        MeanAxes ours = MeanAxes.of(copy(m));
        for (int i = 0; i < 4; i++) {
            assertEquals(diag[i], ours.singularValues()[i], 1e-13 * diag[i], "s_" + i);
            double[] column = new double[6];
            for (int j = 0; j < 6; j++) {
                column[j] = q[j][i];
            }
            assertEquals(1, Math.abs(Dense.dot(ours.axes()[i], column)), 1e-12, "axis " + i);
        }
    }

    /** Identical rows and a zero row give exact zeros, whose axes are completed to an orthonormal set. */
    @Test
    void exactlyZeroSingularValuesGetOrthonormalAxes() {
        double[][] m = {{1, 2, 0, 0}, {1, 2, 0, 0}, {0, 0, 0, 0}};
        MeanAxes ours = MeanAxes.of(copy(m));
        assertArrayEquals(new double[] {Math.sqrt(10), 0, 0}, ours.singularValues(), 1e-15);
        assertOrthonormal(ours.axes());
        assertEquals(1, Math.abs(Dense.dot(ours.axes()[0], new double[] {1 / Math.sqrt(5), 2 / Math.sqrt(5), 0, 0})),
                1e-15);
    }

    @Test
    void anAllZeroMatrixHasTheIdentitysAxes() {
        MeanAxes ours = MeanAxes.of(new double[2][3]);
        assertArrayEquals(new double[2], ours.singularValues());
        assertOrthonormal(ours.axes());
    }

    private static void assertOrthonormal(double[][] axes) {
        for (int i = 0; i < axes.length; i++) {
            for (int j = 0; j < axes.length; j++) {
                assertEquals(i == j ? 1 : 0, Dense.dot(axes[i], axes[j]), 1e-12, "v_" + i + "·v_" + j);
            }
        }
    }

    /** M̃ᵀM̃ v_i = s_i² v_i, to rounding relative to s_1². */
    private static void assertEigenvectorsOfGram(double[][] m, MeanAxes axes) {
        double top = axes.singularValues()[0] * axes.singularValues()[0];
        for (int i = 0; i < axes.axes().length; i++) {
            double[] v = axes.axes()[i];
            double[] mv = new double[m.length];
            for (int r = 0; r < m.length; r++) {
                mv[r] = Dense.dot(m[r], v);
            }
            double s2 = axes.singularValues()[i] * axes.singularValues()[i];
            for (int j = 0; j < v.length; j++) {
                double g = 0;
                for (int r = 0; r < m.length; r++) {
                    g += m[r][j] * mv[r];
                }
                assertEquals(s2 * v[j], g, 1e-12 * top, "(M^T M v_" + i + ")_" + j);
            }
        }
    }

    private static double[][] gaussian(int rows, int cols, long seed) {
        return SyntheticData.gaussian(rows, cols, 1.0, seed);
    }

    /** An n×p matrix with orthonormal columns (hipparchus's SVD of a Gaussian matrix, so independent of ours). */
    private static double[][] orthonormalColumns(int n, int p, long seed) {
        return new SingularValueDecomposition(MatrixUtils.createRealMatrix(gaussian(n, p, seed))).getU().getData();
    }

    private static double[][] copy(double[][] m) {
        return java.util.Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }
}
