package org.deqnc.report;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpectralNormTest {

    private static double svdNorm(double[][] w) {
        return new SingularValueDecomposition(MatrixUtils.createRealMatrix(w)).getNorm();
    }

    private static double[][] gaussian(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        double[][] w = new double[rows][cols];
        for (double[] row : w) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return w;
    }

    @Test
    void matchesHipparchusSvdOnRandomMatrices() {
        int[][] shapes = {{1, 1}, {2, 2}, {3, 5}, {5, 3}, {40, 40}, {64, 17}, {200, 200}};
        for (int[] s : shapes) {
            double[][] w = gaussian(s[0], s[1], 31L * s[0] + s[1]);
            assertEquals(svdNorm(w), SpectralNorm.of(w), 1e-12 * svdNorm(w), s[0] + "x" + s[1]);
        }
    }

    @Test
    void handWorkedCases() {
        assertEquals(3.0, SpectralNorm.of(new double[][] {{3, 0}, {0, -2}}), 1e-15);
        assertEquals(0.0, SpectralNorm.of(new double[3][3]), 0.0);
        // rank one: u vᵀ with |u| = 5, |v| = 13 has norm 65
        assertEquals(65.0, SpectralNorm.of(new double[][] {{3 * 5, 3 * 12}, {4 * 5, 4 * 12}}), 1e-12);
        // [[1, 1], [0, 1]]: the golden ratio
        assertEquals((1 + Math.sqrt(5)) / 2, SpectralNorm.of(new double[][] {{1, 1}, {0, 1}}), 1e-15);
    }
}
