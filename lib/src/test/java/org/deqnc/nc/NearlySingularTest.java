package org.deqnc.nc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full pseudo-inverse of a nearly singular Σ_B inverts rounding noise, which can be negative; that is
 * how {@code tding1/Neural-Collapse} issue #3 got negative NC1. Here two class means differ by 1e-9, or
 * K−1 exceeds d, so Σ_B has (near-)zero eigenvalues; NC1 must stay ≥ 0 for every variant and tolerance.
 */
class NearlySingularTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void nc1NeverNegative(long seed) {
        int k = 5;
        // Case 1: d = 6 > K, class 4's samples are class 3's shifted by 1e-9, so their means differ by 1e-9.
        check(SyntheticData.gaussian(k, 6, 2.0, seed), seed, true);
        // Case 2: d = 2 < K − 1, so Σ_B has rank ≤ 2 and the K×K Gram has zero eigenvalues from rounding.
        check(SyntheticData.gaussian(k, 2, 2.0, seed + 50), seed, false);
    }

    private static void check(double[][] centres, long seed, boolean nearDuplicate) {
        int k = centres.length;
        int[] y = SyntheticData.labels(PerfectCollapseTest.filled(k, 40), seed);
        double[][] h = SyntheticData.clouds(centres, y, 0.3, seed + 7);
        if (nearDuplicate) {
            int[] class3 = java.util.stream.IntStream.range(0, y.length).filter(i -> y[i] == 3).toArray();
            int[] class4 = java.util.stream.IntStream.range(0, y.length).filter(i -> y[i] == 4).toArray();
            for (int j = 0; j < class3.length; j++) {
                h[class4[j]] = h[class3[j]].clone();
                h[class4[j]][0] += 1e-9;
            }
        }
        for (GlobalMean g : GlobalMean.values()) {
            for (double tol : new double[] {0.0, 1e-10}) {
                NcConventions c = NcConventions.defaults().with(g).withPinvRelativeTolerance(tol);
                NcReport r = NcMetrics.of(Features.of(h), y, k).conventions(c).report();
                for (NcMetric m : new NcMetric[] {NcMetric.NC1_PINV, NcMetric.NC1_SVD, NcMetric.NC1_QUOTIENT,
                        NcMetric.NC1_CDNV}) {
                    double v = r.value(m);
                    assertFalse(Double.isNaN(v), m + " is NaN");
                    assertTrue(v >= 0, m + " = " + v + " with " + g + ", tol " + tol);
                }
                if (nearDuplicate && tol > 0) {
                    // The 1e-9 direction has eigenvalue ~1e-18 relative: dropped, so only K−2 are inverted.
                    assertTrue(r.entry(NcMetric.NC1_PINV).convention().contains("kept " + (k - 2) + " of K-1"),
                            r.entry(NcMetric.NC1_PINV).convention());
                    // Without the tolerance that direction dominates: the SVD variant is huge, PINV is moderate.
                    assertTrue(r.value(NcMetric.NC1_SVD) > 1e6 * r.value(NcMetric.NC1_PINV), r.toString());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6})
    void pinvAndSvdAgreeWhenSigmaBIsWellConditioned(int k) {
        double[][] centres = SyntheticData.gaussian(k, 9, 3.0, k);
        int[] y = SyntheticData.labels(PerfectCollapseTest.filled(k, 30), k);
        NcReport r = NcMetrics.of(Features.of(SyntheticData.clouds(centres, y, 1.0, k)), y, k).report();
        assertEquals(r.value(NcMetric.NC1_SVD), r.value(NcMetric.NC1_PINV), 1e-10 * r.value(NcMetric.NC1_SVD));
    }
}
