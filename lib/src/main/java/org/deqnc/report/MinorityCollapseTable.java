package org.deqnc.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.Table;

import org.deqnc.sweep.CellOutcome;
import org.deqnc.sweep.SweepResult;
import org.deqnc.train.EpochMetrics;

/**
 * Minority-collapse measures of every completed cell of a sweep at its last epoch, from the metrics the runner
 * records per epoch ({@link EpochMetrics#MINORITY_COLLAPSE_COLUMNS}): the measures that depend on the global mean
 * μ_G appear under both conventions ({@code _class_balanced}: mean of the class means, Papyan et al.;
 * {@code _sample_weighted}: Zhu et al.), which differ on imbalanced data. Per epoch, the same columns are in
 * {@link SweepResult#table()}.
 */
public final class MinorityCollapseTable {

    /** The measure columns, in order. */
    public static final List<String> MEASURES = EpochMetrics.MINORITY_COLLAPSE_COLUMNS;

    private MinorityCollapseTable() {
    }

    /** One row per completed cell: {@code cell}, the grid's axes, then {@link #MEASURES} at its last epoch. */
    public static Table of(SweepResult sweep) {
        Table summary = sweep.summary();
        Table done = summary.where(summary.stringColumn("status").isEqualTo(CellOutcome.Status.COMPLETED.text()));
        List<String> keys = new ArrayList<>(List.of(SweepResult.CELL));
        keys.addAll(sweep.grid().axes().keySet());
        MEASURES.forEach(m -> keys.add(sweep.metricColumn(m)));
        return done.selectColumns(keys.toArray(String[]::new)).copy()
                .setName(sweep.grid().name() + ": minority collapse at the last epoch (training features)");
    }

    /**
     * Whether, in a table with columns {@code model}, {@code K_A}, {@code R} and
     * {@code minority_classifier_cos_mean} (e.g. {@link #of} aggregated over seeds), the cosine at the largest R
     * exceeds the cosine at the smallest R for every (model, K_A).
     */
    public static boolean cosineGrowsWithR(Table overSeeds) {
        double lo = overSeeds.doubleColumn("R").min();
        double hi = overSeeds.doubleColumn("R").max();
        Map<String, double[]> ends = new LinkedHashMap<>();
        for (int r = 0; r < overSeeds.rowCount(); r++) {
            String key = overSeeds.stringColumn("model").get(r) + "/" + overSeeds.column("K_A").getString(r);
            double ratio = overSeeds.doubleColumn("R").getDouble(r);
            double cos = overSeeds.doubleColumn("minority_classifier_cos_mean").getDouble(r);
            double[] e = ends.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN});
            if (ratio == lo) {
                e[0] = cos;
            }
            if (ratio == hi) {
                e[1] = cos;
            }
        }
        return !ends.isEmpty() && ends.values().stream().allMatch(e -> e[1] > e[0]);
    }
}
