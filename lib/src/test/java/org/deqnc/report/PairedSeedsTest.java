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

class PairedSeedsTest {

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

    private static Table lastEpoch() {
        Table t = runs();
        return t.where(t.intColumn("epoch").isEqualTo(2));
    }

    @Test
    void pairedDifferencesMatchSeeds() {
        Table p = PairedSeeds.paired(lastEpoch(), "model", "explicit", "deq", List.of("R"), "acc");
        assertEquals(2, p.rowCount());
        // R = 10: diffs 0.1, 0, 0.2
        assertEquals(0.1, p.doubleColumn("diff_mean").getDouble(0), 1e-12);
        assertEquals(0, p.doubleColumn("diff_min").getDouble(0), 1e-12);
        assertFalse(p.booleanColumn("all_seeds_positive").get(0));
        // R = 100: diffs 0.05, 0.05, -0.05
        assertEquals(0.05 / 3, p.doubleColumn("diff_mean").getDouble(1), 1e-12);
        assertEquals(-0.05, p.doubleColumn("diff_min").getDouble(1), 1e-12);
        Table onlyPositive = PairedSeeds.paired(lastEpoch(), "model", "deq", "explicit",
                List.of("R"), "acc");
        assertEquals(-0.1, onlyPositive.doubleColumn("diff_mean").getDouble(0), 1e-12);
        assertEquals("+0.100 ± 0.100 [+0.000, +0.200], 3 seeds", PairedSeeds.describe(p, 0, 3));
    }

    @Test
    void unpairedSeedOrUnknownColumnIsAOneLineError() {
        Table t = lastEpoch();
        Table missing = t.dropRows(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedSeeds.paired(missing, "model", "explicit", "deq", List.of("R"), "acc"));
        assertTrue(e.getMessage().startsWith("paired:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PairedSeeds.paired(t, "model", "explicit", "deq", List.of("K_A"), "acc"));
        assertTrue(e.getMessage().startsWith("by:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PairedSeeds.paired(t, "model", "explicit", "deq", List.of("R"), "model"));
        assertTrue(e.getMessage().startsWith("metric:"), e.getMessage());
    }
}
