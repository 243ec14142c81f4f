package org.deqnc.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Mean and spread over seeds against values worked out by hand. */
class SpreadTest {

    private static Table runs() {
        return Table.create("runs",
                StringColumn.create("model", "deq", "explicit", "deq", "explicit", "deq"),
                IntColumn.create("seed", 1, 1, 2, 2, 3),
                DoubleColumn.create("acc", 0.80, 0.70, 0.90, Double.NaN, 0.85));
    }

    @Test
    void groupsInFirstAppearanceOrderWithSampleStdMinAndMax() {
        Table t = Spread.over(runs(), List.of("model"), List.of("acc"));
        assertEquals(List.of("model", "n", "acc_mean", "acc_std", "acc_min", "acc_max"), t.columnNames());
        assertEquals(List.of("deq", "explicit"), t.stringColumn("model").asList());
        assertEquals(List.of(3, 2), t.intColumn("n").asList());
        // deq: 0.80, 0.90, 0.85 -> mean 0.85; deviations -0.05, 0.05, 0 -> sum of squares 0.005 / 2 -> std 0.05
        assertEquals(0.85, t.doubleColumn("acc_mean").getDouble(0), 1e-12);
        assertEquals(0.05, t.doubleColumn("acc_std").getDouble(0), 1e-12);
        assertEquals(0.80, t.doubleColumn("acc_min").getDouble(0), 0);
        assertEquals(0.90, t.doubleColumn("acc_max").getDouble(0), 0);
        // a NaN seed is not averaged away
        assertTrue(Double.isNaN(t.doubleColumn("acc_mean").getDouble(1)));
    }

    @Test
    void excludedRowsAreCountedNotAveraged() {
        Table t = Spread.over(runs(), List.of("model"), List.of("acc"), r -> r != 2); // leave deq's seed 2 out
        assertEquals(List.of("model", "n", "excluded", "acc_mean", "acc_std", "acc_min", "acc_max"), t.columnNames());
        assertEquals(List.of(2, 2), t.intColumn("n").asList());
        assertEquals(List.of(1, 0), t.intColumn("excluded").asList());
        assertEquals(0.825, t.doubleColumn("acc_mean").getDouble(0), 1e-12); // (0.80 + 0.85) / 2
    }

    @Test
    void oneRowHasNoSpreadAndTheTextFormIsMeanPlusMinusStd() {
        Table one = Spread.over(runs().where(runs().intColumn("seed").isEqualTo(1)), List.of("model"), List.of("acc"));
        assertEquals(0.80, one.doubleColumn("acc_mean").getDouble(0), 0);
        assertTrue(Double.isNaN(one.doubleColumn("acc_std").getDouble(0)));
        Table text = Spread.text(Spread.over(runs(), List.of("model"), List.of("acc")), List.of("acc"), 3);
        assertEquals(List.of("model", "n", "acc"), text.columnNames());
        assertEquals("0.850 ± 0.050 [0.800, 0.900]", text.stringColumn("acc").get(0));
    }
}
