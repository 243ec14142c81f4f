package org.deqnc.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

import org.deqnc.data.Split;
import org.deqnc.nc.GlobalMean;
import org.deqnc.nc.NcConventions;
import org.deqnc.nc.NcMetric;
import org.deqnc.nc.NcReport;
import org.deqnc.sweep.CellOutcome;
import org.deqnc.sweep.SweepResult;
import org.deqnc.train.LearnedFeatures;

/**
 * Minority-collapse measures of every completed cell of a sweep at its last checkpoint, with the measures that
 * depend on the global mean μ_G given under both conventions ({@code _class}: mean of the class means, Papyan et
 * al.; {@code _sample}: sample-weighted, Zhu et al.), which differ on imbalanced data. The per-epoch metrics file
 * holds only the default convention; this reads each cell's features back to give both.
 */
public final class MinorityCollapseTable {

    /** The measure columns, in order. */
    public static final List<String> MEASURES = List.of("minority_classifier_cos", "W_norm_ratio",
            "minority_means_cos_class", "minority_means_cos_sample", "means_norm_ratio_class", "means_norm_ratio_sample");

    private MinorityCollapseTable() {
    }

    /**
     * One row per completed cell: {@code cell}, the grid's axes, then {@link #MEASURES} on the features of
     * {@code split}. W_norm_ratio and means_norm_ratio are mean minority norm / mean majority norm.
     */
    public static Table of(SweepResult sweep, Split split) {
        Table summary = sweep.summary();
        Table done = summary.where(summary.stringColumn("status").isEqualTo(CellOutcome.Status.COMPLETED.text()));
        List<String> keys = new ArrayList<>(List.of(SweepResult.CELL));
        keys.addAll(sweep.grid().axes().keySet());
        Table t = done.selectColumns(keys.toArray(String[]::new)).copy().setName(sweep.grid().name()
                + ": minority collapse at the last epoch (" + split.name().toLowerCase() + " features)");
        Map<String, DoubleColumn> columns = new LinkedHashMap<>();
        MEASURES.forEach(m -> columns.put(m, DoubleColumn.create(m)));
        for (CellOutcome o : sweep.outcomes()) {
            if (!o.completed()) {
                continue;
            }
            LearnedFeatures f = LearnedFeatures.of(o.directory(), split);
            NcReport byClass = f.report(NcConventions.defaults().with(GlobalMean.CLASS_MEAN));
            NcReport bySample = f.report(NcConventions.defaults().with(GlobalMean.SAMPLE));
            columns.get("minority_classifier_cos").append(byClass.value(NcMetric.MINORITY_CLASSIFIER_COS));
            columns.get("W_norm_ratio").append(ratio(byClass, NcMetric.MINORITY_CLASSIFIER_NORM,
                    NcMetric.MAJORITY_CLASSIFIER_NORM));
            columns.get("minority_means_cos_class").append(byClass.value(NcMetric.MINORITY_MEANS_COS));
            columns.get("minority_means_cos_sample").append(bySample.value(NcMetric.MINORITY_MEANS_COS));
            columns.get("means_norm_ratio_class").append(ratio(byClass, NcMetric.MINORITY_MEANS_NORM,
                    NcMetric.MAJORITY_MEANS_NORM));
            columns.get("means_norm_ratio_sample").append(ratio(bySample, NcMetric.MINORITY_MEANS_NORM,
                    NcMetric.MAJORITY_MEANS_NORM));
        }
        columns.values().forEach(t::addColumns);
        return t;
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

    private static double ratio(NcReport r, NcMetric minority, NcMetric majority) {
        return r.value(minority) / r.value(majority);
    }
}
