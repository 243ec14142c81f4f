package org.deqnc.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Mean and spread over seeds of a tidy results table (one row per run × epoch, key columns such as {@code model},
 * {@code K_A}, {@code R}, {@code seed}), and paired comparisons of two models run from the same seeds. The spread
 * is the sample standard deviation (n − 1), NaN for one seed; min and max are given too, because with two or three
 * seeds they say more than a standard deviation.
 */
public final class SeedStatistics {

    private SeedStatistics() {
    }

    /** The rows of the last epoch of each run ({@code epoch} equal to its maximum in the table). */
    public static Table lastEpoch(Table runs) {
        int last = (int) runs.numberColumn("epoch").max();
        return runs.where(runs.intColumn("epoch").isEqualTo(last)).setName(runs.name() + " (epoch " + last + ")");
    }

    /**
     * One row per distinct combination of the {@code by} columns (in order of first appearance) with {@code n}
     * and, per metric, {@code <metric>_mean}, {@code <metric>_sd}, {@code <metric>_min}, {@code <metric>_max}.
     */
    public static Table summarize(Table runs, List<String> by, List<String> metrics) {
        Map<List<Object>, List<Integer>> groups = groups(runs, by);
        Table out = Table.create(runs.name() + ": mean and spread over seeds");
        for (String key : by) {
            out.addColumns(runs.column(key).emptyCopy());
        }
        IntColumn n = IntColumn.create("n");
        out.addColumns(n);
        for (String m : metrics) {
            requireNumeric(runs, m);
            for (String stat : List.of("mean", "sd", "min", "max")) {
                out.addColumns(DoubleColumn.create(m + "_" + stat));
            }
        }
        for (Map.Entry<List<Object>, List<Integer>> g : groups.entrySet()) {
            appendKeys(out, runs, by, g.getValue().get(0));
            n.append(g.getValue().size());
            for (String m : metrics) {
                double[] v = values(runs, m, g.getValue());
                out.doubleColumn(m + "_mean").append(mean(v));
                out.doubleColumn(m + "_sd").append(sd(v));
                out.doubleColumn(m + "_min").append(min(v));
                out.doubleColumn(m + "_max").append(max(v));
            }
        }
        return out;
    }

    /**
     * Paired differences {@code metric(treatment) − metric(baseline)} of rows that agree on every {@code by} column
     * and on {@code seed}, where {@code pairColumn} holds {@code baseline} or {@code treatment}: one row per
     * {@code by} group with {@code n}, {@code diff_mean}, {@code diff_sd}, {@code diff_min}, {@code diff_max} and
     * {@code all_seeds_positive}. A seed that only one side has is an error (the comparison would not be paired).
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
        Table out = Table.create(metric + ": " + treatment + " − " + baseline + ", paired by seed");
        for (String key : by) {
            out.addColumns(runs.column(key).emptyCopy());
        }
        out.addColumns(IntColumn.create("n"), DoubleColumn.create("diff_mean"), DoubleColumn.create("diff_sd"),
                DoubleColumn.create("diff_min"), DoubleColumn.create("diff_max"),
                BooleanColumn.create("all_seeds_positive"));
        for (Map.Entry<List<Object>, List<Double>> g : diffs.entrySet()) {
            appendKeys(out, runs, by, firstRow.get(g.getKey()));
            double[] d = g.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            out.intColumn("n").append(d.length);
            out.doubleColumn("diff_mean").append(mean(d));
            out.doubleColumn("diff_sd").append(sd(d));
            out.doubleColumn("diff_min").append(min(d));
            out.doubleColumn("diff_max").append(max(d));
            out.booleanColumn("all_seeds_positive").append(min(d) > 0);
        }
        return out;
    }

    /** "m ± sd" with {@code digits} decimals ("m" alone for one value), e.g. {@code 0.812 ± 0.004}. */
    public static String meanSd(double mean, double sd, int digits) {
        String f = "%." + digits + "f";
        return Double.isNaN(sd) ? String.format(Locale.ROOT, f, mean)
                : String.format(Locale.ROOT, f + " ± " + f, mean, sd);
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

    private static double[] values(Table runs, String metric, List<Integer> rows) {
        NumericColumn<?> c = (NumericColumn<?>) runs.column(metric);
        return rows.stream().mapToDouble(c::getDouble).toArray();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
