package org.deqnc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class SeedStatisticsTest {

    /** Two models × two R × three seeds, two epochs; acc at the last epoch is set by hand. */
    private static Table runs() {
        Table t = Table.create("runs", StringColumn.create("model"), DoubleColumn.create("R"), LongColumn.create("seed"),
                IntColumn.create("epoch"), DoubleColumn.create("acc"));
        double[][][] last = { // [model][R][seed]
            {{0.5, 0.6, 0.7}, {0.2, 0.3, 0.1}},
            {{0.6, 0.6, 0.9}, {0.25, 0.35, 0.05}}};
        String[] models = {"explicit", "deq"};
        double[] ratios = {10, 100};
        for (int m = 0; m < 2; m++) {
            for (int r = 0; r < 2; r++) {
                for (int s = 0; s < 3; s++) {
                    for (int e = 1; e <= 2; e++) {
                        t.stringColumn("model").append(models[m]);
                        t.doubleColumn("R").append(ratios[r]);
                        t.longColumn("seed").append(s);
                        t.intColumn("epoch").append(e);
                        t.doubleColumn("acc").append(e == 2 ? last[m][r][s] : 0);
                    }
                }
            }
        }
        return t;
    }

    @Test
    void summaryOfTheLastEpochWorkedByHand() {
        Table s = SeedStatistics.summarize(SeedStatistics.lastEpoch(runs()), List.of("model", "R"), List.of("acc"));
        assertEquals(4, s.rowCount());
        assertEquals("explicit", s.stringColumn("model").get(0));
        assertEquals(10, s.doubleColumn("R").getDouble(0));
        assertEquals(3, s.intColumn("n").getInt(0));
        assertEquals(0.6, s.doubleColumn("acc_mean").getDouble(0), 1e-12);
        assertEquals(0.1, s.doubleColumn("acc_sd").getDouble(0), 1e-12); // sqrt((0.01 + 0 + 0.01) / 2)
        assertEquals(0.5, s.doubleColumn("acc_min").getDouble(0), 1e-12);
        assertEquals(0.9, s.doubleColumn("acc_max").getDouble(2), 1e-12);
    }

    @Test
    void pairedDifferencesMatchSeeds() {
        Table p = SeedStatistics.paired(SeedStatistics.lastEpoch(runs()), "model", "explicit", "deq", List.of("R"), "acc");
        assertEquals(2, p.rowCount());
        // R = 10: diffs 0.1, 0, 0.2
        assertEquals(0.1, p.doubleColumn("diff_mean").getDouble(0), 1e-12);
        assertEquals(0, p.doubleColumn("diff_min").getDouble(0), 1e-12);
        assertFalse(p.booleanColumn("all_seeds_positive").get(0));
        // R = 100: diffs 0.05, 0.05, -0.05
        assertEquals(0.05 / 3, p.doubleColumn("diff_mean").getDouble(1), 1e-12);
        assertEquals(-0.05, p.doubleColumn("diff_min").getDouble(1), 1e-12);
        Table onlyPositive = SeedStatistics.paired(SeedStatistics.lastEpoch(runs()), "model", "deq", "explicit",
                List.of("R"), "acc");
        assertEquals(-0.1, onlyPositive.doubleColumn("diff_mean").getDouble(0), 1e-12);
    }

    @Test
    void unpairedSeedOrUnknownColumnIsAOneLineError() {
        Table t = SeedStatistics.lastEpoch(runs());
        Table missing = t.dropRows(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeedStatistics.paired(missing, "model", "explicit", "deq", List.of("R"), "acc"));
        assertTrue(e.getMessage().startsWith("paired:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SeedStatistics.summarize(t, List.of("K_A"), List.of("acc")));
        assertTrue(e.getMessage().startsWith("by:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SeedStatistics.summarize(t, List.of("model"), List.of("model")));
        assertTrue(e.getMessage().startsWith("metric:"), e.getMessage());
    }

    @Test
    void meanSdFormatsOneSeedWithoutSpread() {
        assertEquals("0.812 ± 0.004", SeedStatistics.meanSd(0.8123, 0.0041, 3));
        assertEquals("0.81", SeedStatistics.meanSd(0.8123, Double.NaN, 2));
    }
}
