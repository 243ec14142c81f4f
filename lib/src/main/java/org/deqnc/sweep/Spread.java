package org.deqnc.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Mean and spread of metrics over the rows of each group (e.g. over seeds, grouped by every other grid key):
 * for each metric m the columns {@code m_mean}, {@code m_std} (sample standard deviation, n - 1 in the
 * denominator; NaN for a single row), {@code m_min} and {@code m_max}, after the group columns and {@code n}.
 * A NaN in a group (a diverged seed, a metric that does not apply) makes its mean and spread NaN rather than
 * quietly averaging over the rest. Groups keep the order of their first row.
 */
public final class Spread {

    /** The statistics per metric, in column order. */
    public static final List<String> STATS = List.of("mean", "std", "min", "max");

    private Spread() {
    }

    /** Aggregates {@code metrics} of {@code table} over the rows of each combination of {@code groupBy} values. */
    public static Table over(Table table, List<String> groupBy, List<String> metrics) {
        return over(table, groupBy, metrics, null);
    }

    /**
     * As {@link #over(Table, List, List)}, aggregating only the rows {@code include} accepts; when it is not null a
     * column {@code excluded} after {@code n} counts each group's other rows (e.g. failed cells), and a group
     * with no included row stays, with n = 0 and NaN statistics.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Table over(Table table, List<String> groupBy, List<String> metrics, IntPredicate include) {
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < table.rowCount(); r++) {
            List<Object> key = new ArrayList<>();
            for (String g : groupBy) {
                key.add(table.column(g).get(r));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        Table out = Table.create(table.name() + " (mean and spread)");
        List<Column> keys = new ArrayList<>();
        for (String g : groupBy) {
            Column c = table.column(g).emptyCopy();
            keys.add(c);
            out.addColumns(c);
        }
        IntColumn n = IntColumn.create("n");
        IntColumn excluded = IntColumn.create("excluded");
        out.addColumns(n);
        if (include != null) {
            out.addColumns(excluded);
        }
        for (String m : metrics) {
            if (!(table.column(m) instanceof NumericColumn<?>)) {
                throw new IllegalArgumentException("metric: '" + m + "' is not a numeric column of " + table.name());
            }
            for (String stat : STATS) {
                out.addColumns(DoubleColumn.create(m + "_" + stat));
            }
        }
        for (List<Integer> rows : groups.values()) {
            int first = rows.get(0);
            for (int i = 0; i < groupBy.size(); i++) {
                keys.get(i).append(table.column(groupBy.get(i)), first);
            }
            List<Integer> used = include == null ? rows : rows.stream().filter(include::test).toList();
            n.append(used.size());
            if (include != null) {
                excluded.append(rows.size() - used.size());
            }
            for (String m : metrics) {
                NumericColumn<?> c = (NumericColumn<?>) table.column(m);
                double[] v = used.stream().mapToDouble(c::getDouble).toArray();
                double[] s = stats(v);
                for (int k = 0; k < 4; k++) {
                    out.doubleColumn(m + "_" + STATS.get(k)).append(s[k]);
                }
            }
        }
        return out;
    }

    /** Mean, sample standard deviation, min and max; all NaN when a value is NaN (missing counts as NaN). */
    static double[] stats(double[] v) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (Double.isNaN(x)) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            }
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double mean = sum / v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double std = v.length < 2 ? Double.NaN : Math.sqrt(ss / (v.length - 1));
        return new double[] {mean, std, min, max};
    }

    /**
     * The aggregate as text for a report: group columns, {@code n}, and per metric one column
     * {@code "mean ± std [min, max]"} with {@code digits} decimals.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Table text(Table aggregate, List<String> metrics, int digits) {
        Table out = Table.create(aggregate.name());
        for (Column<?> c : aggregate.columns()) {
            if (metrics.stream().noneMatch(m -> STATS.stream().anyMatch(stat -> c.name().equals(m + "_" + stat)))) {
                out.addColumns(c.copy());
            }
        }
        String f = "%." + digits + "f";
        for (String m : metrics) {
            StringColumn s = StringColumn.create(m);
            for (int r = 0; r < aggregate.rowCount(); r++) {
                double mean = aggregate.doubleColumn(m + "_mean").getDouble(r);
                double std = aggregate.doubleColumn(m + "_std").getDouble(r);
                s.append(String.format(Locale.ROOT, f + " ± " + f + " [" + f + ", " + f + "]", mean, std,
                        aggregate.doubleColumn(m + "_min").getDouble(r), aggregate.doubleColumn(m + "_max").getDouble(r)));
            }
            out.addColumns(s);
        }
        return out;
    }
}
