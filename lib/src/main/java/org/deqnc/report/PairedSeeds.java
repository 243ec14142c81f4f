package org.deqnc.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import org.deqnc.sweep.Spread;

/**
 * Paired comparisons of two models run from the same seeds (same initial encoder and classifier, same batches) in
 * a tidy results table such as {@code SweepResult.summary()}: the seed-by-seed difference removes the variation
 * the seed causes in both, which a difference of means over seeds keeps. The spread is the sample standard
 * deviation (n − 1), NaN for one seed; min and max are given too, since with two or three seeds they say more.
 */
public final class PairedSeeds {

    private PairedSeeds() {
    }

    /**
     * Paired differences {@code metric(treatment) − metric(baseline)} of rows that agree on every {@code by} column
     * and on {@code seed}, where {@code pairColumn} holds {@code baseline} or {@code treatment}: one row per
     * {@code by} group with {@code n}, {@code diff_mean}, {@code diff_std}, {@code diff_min}, {@code diff_max} ({@link Spread})
     * and {@code all_seeds_positive}. A seed that only one side has is an error (the comparison would not be paired).
     */
    public static Table paired(Table runs, String pairColumn, String baseline, String treatment, List<String> by,
            String metric) {
        requireNumeric(runs, metric);
        List<String> withSeed = new ArrayList<>(by);
        withSeed.add("seed");
        Map<List<Object>, List<Integer>> cells = groups(runs, withSeed);
        Map<List<Object>, List<Double>> diffs = new LinkedHashMap<>();
        Map<List<Object>, Integer> firstRow = new LinkedHashMap<>();
        for (Map.Entry<List<Object>, List<Integer>> cell : cells.entrySet()) {
            Double base = null;
            Double treat = null;
            for (int row : cell.getValue()) {
                String side = runs.column(pairColumn).getString(row);
                double v = ((NumericColumn<?>) runs.column(metric)).getDouble(row);
                if (side.equals(baseline)) {
                    base = v;
                } else if (side.equals(treatment)) {
                    treat = v;
                }
            }
            if (base == null || treat == null) {
                throw new IllegalArgumentException("paired: " + withSeed + " = " + cell.getKey() + " has no "
                        + (base == null ? baseline : treatment) + " row in column '" + pairColumn + "'");
            }
            List<Object> group = cell.getKey().subList(0, by.size());
            diffs.computeIfAbsent(group, k -> new ArrayList<>()).add(treat - base);
            firstRow.putIfAbsent(group, cell.getValue().get(0));
        }
        Table diffTable = Table.create(metric + ": " + treatment + " − " + baseline + ", paired by seed");
        for (String key : by) {
            diffTable.addColumns(runs.column(key).emptyCopy());
        }
        DoubleColumn diff = DoubleColumn.create("diff");
        diffTable.addColumns(diff);
        for (Map.Entry<List<Object>, List<Double>> g : diffs.entrySet()) {
            for (double d : g.getValue()) {
                appendKeys(diffTable, runs, by, firstRow.get(g.getKey()));
                diff.append(d);
            }
        }
        Table out = Spread.over(diffTable, by, List.of("diff")).setName(diffTable.name());
        DoubleColumn min = out.doubleColumn("diff_min");
        BooleanColumn positive = BooleanColumn.create("all_seeds_positive");
        for (int r = 0; r < out.rowCount(); r++) {
            positive.append(min.getDouble(r) > 0);
        }
        return out.addColumns(positive);
    }

    /**
     * Row {@code row} of a {@link #paired} table as text, e.g. {@code +0.0040 ± 0.0030 [-0.0010, +0.0080], 3 seeds}
     * ({@code digits} decimals, signs shown).
     */
    public static String describe(Table paired, int row, int digits) {
        String f = "%+." + digits + "f";
        String sd = "%." + digits + "f";
        return String.format(Locale.ROOT, f + " ± " + sd + " [" + f + ", " + f + "], %d seeds",
                paired.doubleColumn("diff_mean").getDouble(row), paired.doubleColumn("diff_std").getDouble(row),
                paired.doubleColumn("diff_min").getDouble(row), paired.doubleColumn("diff_max").getDouble(row),
                paired.intColumn("n").getInt(row));
    }

    private static Map<List<Object>, List<Integer>> groups(Table runs, List<String> by) {
        for (String key : by) {
            if (!runs.columnNames().contains(key)) {
                throw new IllegalArgumentException("by: no column '" + key + "' in " + runs.columnNames());
            }
        }
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int row = 0; row < runs.rowCount(); row++) {
            List<Object> key = new ArrayList<>();
            for (String c : by) {
                key.add(runs.column(c).get(row));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void appendKeys(Table out, Table runs, List<String> by, int row) {
        for (String key : by) {
            ((Column) out.column(key)).append(runs.column(key), row);
        }
    }

    private static void requireNumeric(Table runs, String metric) {
        if (!runs.columnNames().contains(metric) || !(runs.column(metric) instanceof NumericColumn<?>)) {
            throw new IllegalArgumentException("metric: no numeric column '" + metric + "' in " + runs.columnNames());
        }
    }
}
