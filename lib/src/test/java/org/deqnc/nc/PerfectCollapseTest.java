package org.deqnc.nc;

import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.deqnc.nc.NcMetric.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Theory (Papyan et al. 2020): features that sit exactly on the vertices of a simplex ETF, with W ∝ M̃
 * and a bias that cancels the global mean, are perfectly collapsed, so every NC measure is 0 whatever
 * rotation, scale and offset the geometry is placed with.
 */
class PerfectCollapseTest {

    @ParameterizedTest(name = "K={0} d={1} scale={2} seed={3}")
    @CsvSource({"4, 7, 1.0, 1", "4, 7, 0.01, 2", "4, 7, 100.0, 3", "10, 16, 3.0, 4", "2, 3, 5.0, 5"})
    void everyMeasureIsZeroOnARotatedScaledSimplexEtf(int k, int d, double scale, long seed) {
        RealMatrix q = SyntheticData.rotation(d, seed);
        double[][] etf = SyntheticData.simplexEtf(k, d);
        double[][] centres = new double[k][];
        double[] offset = SyntheticData.gaussian(1, d, 2.0, seed + 100)[0];
        for (int c = 0; c < k; c++) {
            centres[c] = q.operate(etf[c]);
            for (int j = 0; j < d; j++) {
                centres[c][j] = scale * centres[c][j] + offset[j];
            }
        }
        int[] y = SyntheticData.labels(filled(k, 6), seed);
        double[][] h = SyntheticData.clouds(centres, y, 0.0, seed);
        // W = c·(centres − offset) for an arbitrary c > 0; b = −W·offset, so W μ_G + b = 0.
        double c = 0.7 + new Random(seed).nextDouble();
        double[][] w = new double[k][d];
        double[] b = new double[k];
        for (int r = 0; r < k; r++) {
            for (int j = 0; j < d; j++) {
                w[r][j] = c * (centres[r][j] - offset[j]);
                b[r] -= w[r][j] * offset[j];
            }
        }
        for (GlobalMean g : GlobalMean.values()) {
            NcReport r = NcMetrics.of(Features.of(h), y, k).classifier(w, b)
                    .conventions(NcConventions.defaults().with(g)).report();
            for (NcMetric m : new NcMetric[] {NC1_PINV, NC1_SVD, NC1_QUOTIENT, NC1_CDNV, NC2_EQUINORM_MEANS,
                    NC2_EQUINORM_CLASSIFIER, NC2_EQUIANGULAR_MEANS, NC2_EQUIANGULAR_CLASSIFIER, NC2_ETF_MEANS,
                    NC2_ETF_CLASSIFIER, NC3_DUALITY, NC3_DUALITY_SQUARED, NC3_STRUCTURE, NC3_DUALITY_COS_VAR,
                    UNC3_DUALITY_DOT_VAR, NC4_NCC_DISAGREEMENT, NC4_LINEAR_NCC_DISAGREEMENT}) {
                assertEquals(0.0, r.value(m), 1e-10, m + " with " + g);
            }
            // Bias collapse is 0 up to rounding of |W|·|offset|, which grows with the scale.
            assertEquals(0.0, r.value(NC3_BIAS), 1e-10 * Math.max(1, scale * scale), "bias with " + g);
            assertEquals(1.0, r.value(ACCURACY), 0.0);
            assertEquals(1.0, r.value(NC3_DUALITY_COS_MEAN), 1e-10, "w_k parallel to mu_k - mu_G");
        }
    }

    static int[] filled(int k, int n) {
        int[] counts = new int[k];
        java.util.Arrays.fill(counts, n);
        return counts;
    }
}
