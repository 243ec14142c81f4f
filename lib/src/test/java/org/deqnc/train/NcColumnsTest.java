package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.deqnc.nc.ClassSplit;
import org.deqnc.nc.Features;
import org.deqnc.nc.NcMetrics;
import org.deqnc.nc.NcReport;
import org.junit.jupiter.api.Test;

/** The per-epoch minority-collapse columns against values worked out by hand under both global means. */
class NcColumnsTest {

    /**
     * Class 0 (majority, 4 samples) has mean (0, 0); minority classes 1 and 2 (2 samples each) have means (4, 0) and
     * (0, 4); each sample sits 0.1 from its mean. Class-balanced μ_G = (4/3, 4/3): centred means (−4/3, −4/3),
     * (8/3, −4/3), (−4/3, 8/3), so the minority/majority norm ratio is √5/√2 and the minority cosine (−32/9 − 32/9) /
     * (80/9) = −0.8. Sample-weighted μ_G = (1, 1): (−1, −1), (3, −1), (−1, 3), ratio √10/√2 = √5, cosine −6/10.
     * W rows (1, 0), (0, 2), (0, −2): W ratio 2, minority classifier cosine −1.
     */
    @Test
    void minorityCollapseColumnsUnderBothGlobalMeans() {
        double e = 0.1;
        double[][] h = {{e, 0}, {-e, 0}, {0, e}, {0, -e}, {4 + e, 0}, {4 - e, 0}, {e, 4}, {-e, 4}};
        int[] y = {0, 0, 0, 0, 1, 1, 2, 2};
        ClassSplit split = ClassSplit.firstMajority(1);
        NcReport report = NcMetrics.of(Features.of(h), y, 3).classifier(new double[][] {{1, 0}, {0, 2}, {0, -2}})
                .split(split).report();
        Map<String, Double> v = NcColumns.values(report, split);
        assertEquals(Math.sqrt(5.0 / 2), v.get("means_norm_ratio_class_balanced"), 1e-12);
        assertEquals(Math.sqrt(5), v.get("means_norm_ratio_sample_weighted"), 1e-12);
        assertEquals(-0.8, v.get("minority_means_cos_class_balanced"), 1e-12);
        assertEquals(-0.6, v.get("minority_means_cos_sample_weighted"), 1e-12);
        assertEquals(2, v.get("W_norm_ratio"), 1e-12);
        assertEquals(-1, v.get("minority_classifier_cos"), 1e-12);
        assertEquals(new java.util.HashSet<>(NcColumns.COLUMNS), v.keySet());
        assertEquals(NcColumns.COLUMNS.size(), new java.util.HashSet<>(NcColumns.COLUMNS).size(), "no column twice");
    }

    @Test
    void pairMeasuresAreNaNWithOneMinorityClassAndEveryMeasureWithoutASplit() {
        double[][] h = {{1, 0}, {1.1, 0}, {0, 1}, {0, 1.1}, {-1, -1}, {-1.1, -1}};
        int[] y = {0, 0, 1, 1, 2, 2};
        NcReport oneMinority = NcMetrics.of(Features.of(h), y, 3).split(ClassSplit.firstMajority(2)).report();
        Map<String, Double> v = NcColumns.values(oneMinority, ClassSplit.firstMajority(2));
        assertTrue(Double.isNaN(v.get("minority_means_cos_sample_weighted")));
        assertTrue(Double.isFinite(v.get("means_norm_ratio_sample_weighted")));
        assertTrue(Double.isNaN(v.get("W_norm_ratio")), "no classifier given");
        NcReport noSplit = NcMetrics.of(Features.of(h), y, 3).report();
        Map<String, Double> none = NcColumns.values(noSplit, ClassSplit.firstMajority(2));
        assertTrue(Double.isNaN(none.get("means_norm_ratio_class_balanced")));
    }
}
