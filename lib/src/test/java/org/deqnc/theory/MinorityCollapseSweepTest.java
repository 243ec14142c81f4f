package org.deqnc.theory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinorityCollapseSweepTest {

    private static final LayerPeeledSolver SEEDED = LayerPeeledSolver.builder().seed(1).build();
    private static Table quick;

    @BeforeAll
    static void runQuickSweep() {
        quick = MinorityCollapseSweep.builder().profile(MinorityCollapseSweep.Profile.QUICK).solver(SEEDED).build().run();
    }

    @Test
    void quickSweepHasOneCertifiedRowPerModelMajorityCountAndRatio() {
        assertEquals(MinorityCollapseSweep.COLUMNS, quick.columnNames());
        assertEquals(2 * 3 * 7, quick.rowCount());
        for (int row = 0; row < quick.rowCount(); row++) {
            assertTrue(quick.doubleColumn("duality_gap").getDouble(row)
                    <= 1e-10 * quick.doubleColumn("loss").getDouble(row), "row " + row);
            assertTrue(quick.doubleColumn("kkt_residual").getDouble(row) < 1e-6, "row " + row);
        }
    }

    @Test
    void minorityCosineIsNonDecreasingInRatioForEachModelAndMajorityCount() {
        for (String model : new String[] {"explicit", "deq"}) {
            for (int kA : new int[] {3, 5, 7}) {
                Table group = quick.where(quick.stringColumn("model").isEqualTo(model)
                        .and(quick.intColumn("K_A").isEqualTo(kA)));
                double[] cos = group.doubleColumn("minority_cos_mean").asDoubleArray();
                // At R = 1 every pair sits at the simplex-ETF angle -1/(K-1).
                assertEquals(-1.0 / 9, cos[0], 1e-6);
                for (int i = 1; i < cos.length; i++) {
                    assertTrue(cos[i] >= cos[i - 1] - 1e-7, model + " K_A=" + kA + " at row " + i);
                }
            }
        }
    }

    @Test
    void explicitModelShowsMinorityCollapseAndTheDeqDelaysIt() {
        Table onset = MinorityCollapseSweep.collapseOnset(quick, 0.5);
        for (int kA : new int[] {3, 5, 7}) {
            double explicit = onsetOf(onset, "explicit", kA);
            double deq = onsetOf(onset, "deq", kA);
            assertTrue(!Double.isNaN(explicit) && explicit <= 1000, "explicit collapses for K_A=" + kA);
            assertTrue(Double.isNaN(deq) || deq > explicit, "DEQ onset " + deq + " vs explicit " + explicit);
        }
    }

    private static double onsetOf(Table onset, String model, int kA) {
        Table row = onset.where(onset.stringColumn("model").isEqualTo(model).and(onset.intColumn("K_A").isEqualTo(kA)));
        return row.doubleColumn("onset_R").isMissing(0) ? Double.NaN : row.doubleColumn("onset_R").getDouble(0);
    }

    @Test
    void sameSeedGivesTheSameTable() {
        Table again = MinorityCollapseSweep.builder().majorityCounts(7).solver(SEEDED).build().run();
        Table expected = quick.where(quick.intColumn("K_A").isEqualTo(7));
        for (String column : MinorityCollapseSweep.COLUMNS.subList(2, MinorityCollapseSweep.COLUMNS.size())) {
            assertArrayEquals(expected.doubleColumn(column).asDoubleArray(), again.doubleColumn(column).asDoubleArray(),
                    0.0, column);
        }
        // another seed reaches the same optima from other starting points: equal to rounding, not bit for bit
        Table other = MinorityCollapseSweep.builder().majorityCounts(7)
                .solver(LayerPeeledSolver.builder().seed(2).build()).build().run();
        boolean bitIdentical = true;
        for (String column : MinorityCollapseSweep.COLUMNS.subList(2, MinorityCollapseSweep.COLUMNS.size())) {
            bitIdentical &= java.util.Arrays.equals(expected.doubleColumn(column).asDoubleArray(),
                    other.doubleColumn(column).asDoubleArray());
        }
        assertFalse(bitIdentical, "seed 2 gave the table of seed 1 bit for bit");
    }

    @Test
    void onsetIsTheFirstRatioAboveTheThreshold() {
        // Hand-built sweep: group a crosses 0.5 at R = 10; group b never does.
        Table t = Table.create(StringColumn.create("model", "a", "a", "a", "b", "b"),
                IntColumn.create("K_A", 3, 3, 3, 5, 5),
                DoubleColumn.create("R", 1, 10, 100, 1, 10),
                DoubleColumn.create("minority_cos_mean", -0.1, 0.6, 0.4, -0.1, 0.5));
        Table onset = MinorityCollapseSweep.collapseOnset(t, 0.5);
        assertEquals(2, onset.rowCount());
        assertEquals(10, onset.doubleColumn("onset_R").getDouble(0));
        assertTrue(onset.doubleColumn("onset_R").isMissing(1));
        assertEquals("threshold: must be in (-1, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> MinorityCollapseSweep.collapseOnset(t, 1.0)).getMessage());
        assertEquals("sweep: needs columns model, K_A, R, minority_cos_mean, got [model]",
                assertThrows(IllegalArgumentException.class, () -> MinorityCollapseSweep.collapseOnset(
                        Table.create(StringColumn.create("model")), 0.5)).getMessage());
    }

    @Test
    void byRatioPutsEachModelAndMajorityCountInItsOwnColumn() {
        // Hand-built sweep with two groups on the grid R = 1, 10; the wide layout is read off by hand.
        Table t = Table.create(StringColumn.create("model", "a", "a", "b", "b"),
                IntColumn.create("K_A", 3, 3, 5, 5),
                DoubleColumn.create("R", 1, 10, 1, 10),
                DoubleColumn.create("minority_norm_W", 0.9, 0.4, 0.8, 0.7));
        Table wide = MinorityCollapseSweep.byRatio(t, "minority_norm_W");
        assertEquals(java.util.List.of("R", "a K_A=3", "b K_A=5"), wide.columnNames());
        assertArrayEquals(new double[] {1, 10}, wide.doubleColumn("R").asDoubleArray());
        assertArrayEquals(new double[] {0.9, 0.4}, wide.doubleColumn("a K_A=3").asDoubleArray());
        assertArrayEquals(new double[] {0.8, 0.7}, wide.doubleColumn("b K_A=5").asDoubleArray());
        assertEquals(2 * 3 + 1, MinorityCollapseSweep.byRatio(quick, "minority_cos_mean").columnCount());
        assertEquals("sweep: needs columns model, K_A, R, loss, got [model, K_A, R, minority_norm_W]",
                assertThrows(IllegalArgumentException.class, () -> MinorityCollapseSweep.byRatio(t, "loss"))
                        .getMessage());
    }

    @Test
    void ratioGridIsEvenInLogFromOneToMax() {
        double[] r = MinorityCollapseSweep.ratioGrid(4, 1000);
        assertArrayEquals(new double[] {1, 10, 100, 1000}, r, 1e-12);
        assertEquals(25, MinorityCollapseSweep.builder().profile(MinorityCollapseSweep.Profile.FULL).build()
                .ratios().length);
    }

    @Test
    void rejectsBadSweepParameters() {
        assertEquals("K_A: must satisfy 1 <= K_A < K = 10, got 10", assertThrows(IllegalArgumentException.class,
                () -> MinorityCollapseSweep.builder().majorityCounts(3, 10).build()).getMessage());
        assertEquals("points: must be >= 2, got 1", assertThrows(IllegalArgumentException.class,
                () -> MinorityCollapseSweep.builder().points(1).build()).getMessage());
        assertEquals("maxRatio: must be a finite number > 1, got 0.5", assertThrows(IllegalArgumentException.class,
                () -> MinorityCollapseSweep.builder().maxRatio(0.5).build()).getMessage());
        assertEquals("E_H: must be a finite number > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> MinorityCollapseSweep.builder().featureBudget(0).build()).getMessage());
    }

    /** The paper-scale grid (25 ratios); run with {@code -Ddeqnc.theory.full=true}. */
    @Test
    @EnabledIfSystemProperty(named = "deqnc.theory.full", matches = "true")
    void fullSweepIsCertifiedAndMonotone() {
        Table full = MinorityCollapseSweep.builder().profile(MinorityCollapseSweep.Profile.FULL).solver(SEEDED).build().run();
        assertEquals(2 * 3 * 25, full.rowCount());
        for (String model : new String[] {"explicit", "deq"}) {
            for (int kA : new int[] {3, 5, 7}) {
                Table group = full.where(full.stringColumn("model").isEqualTo(model)
                        .and(full.intColumn("K_A").isEqualTo(kA)));
                double[] cos = group.doubleColumn("minority_cos_mean").asDoubleArray();
                for (int i = 1; i < cos.length; i++) {
                    assertTrue(cos[i] >= cos[i - 1] - 1e-7, model + " K_A=" + kA + " at row " + i);
                }
            }
        }
    }

    @Test
    void equalGainExplicitLayerGivesTheDeqsRowsAndThresholds() {
        MinorityCollapseSweep sweep = MinorityCollapseSweep.builder().majorityCounts(5).ratios(1, 50)
                .layers(FeatureLayer.none(), FeatureLayer.explicitProduct(3, Math.cbrt(2)), FeatureLayer.deq(0.5))
                .solver(SEEDED).build();
        Table t = sweep.run();
        assertEquals(6, t.rowCount());
        for (String c : new String[] {"loss", "minority_cos_mean", "etf_distance", "equinorm", "self_duality"}) {
            for (int row = 2; row < 4; row++) {
                assertEquals(t.doubleColumn(c).getDouble(row), t.doubleColumn(c).getDouble(row + 2), 1e-7, c);
            }
        }
        Table r = sweep.collapseThresholds(1e4, 1e-4, 12);
        assertEquals(r.doubleColumn("R_star").getDouble(1), r.doubleColumn("R_star").getDouble(2), 1e-9);
        // A larger effective budget delays Fang's collapse: the gain-2 layers collapse later than the plain model.
        assertTrue(r.doubleColumn("R_below").getDouble(1) > r.doubleColumn("R_above").getDouble(0));
        assertEquals("layers: need distinct models (lpm, explicit, deq), got [deq(gamma=0.5), deq(gamma=0.3)]",
                assertThrows(IllegalArgumentException.class, () -> MinorityCollapseSweep.builder()
                        .layers(FeatureLayer.deq(0.5), FeatureLayer.deq(0.3)).build()).getMessage());
    }
}
