package org.deqnc.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the metrics CSV: the values of {@link #COLUMNS} after one epoch. A value that does not apply (e.g.
 * solver iterations of the explicit model, an NC value the report could not compute) is NaN.
 */
public final class EpochMetrics {

    /** Columns before the NC values, in CSV order. */
    static final List<String> TRAINING_COLUMNS = List.of("epoch", "lr", "train_loss", "train_acc",
            "train_acc_majority", "train_acc_minority", "test_acc", "test_acc_majority", "test_acc_minority",
            "fwd_iters_mean", "fwd_rel_residual_mean", "fwd_fallbacks", "bwd_iters_mean");

    /** Every column in CSV order: {@link #TRAINING_COLUMNS}, then {@link NcColumns#COLUMNS}. */
    public static final List<String> COLUMNS = concat(TRAINING_COLUMNS, NcColumns.COLUMNS);

    /**
     * The minority-collapse measures among {@link #COLUMNS}: {@code minority_classifier_cos}, {@code W_norm_ratio},
     * then {@code minority_means_cos_<convention>} and {@code means_norm_ratio_<convention>} for each global mean
     * ({@code class_balanced}, {@code sample_weighted}; {@link org.deqnc.nc.GlobalMean#columnSuffix()}), all on the
     * training features; NaN on balanced data.
     */
    public static final List<String> MINORITY_COLLAPSE_COLUMNS = NcColumns.MINORITY_COLLAPSE;

    private final Map<String, Double> values;

    EpochMetrics(Map<String, Double> values) {
        if (!values.keySet().equals(new java.util.HashSet<>(COLUMNS))) {
            throw new IllegalArgumentException("metrics row: columns must be " + COLUMNS + ", got " + values.keySet());
        }
        Map<String, Double> ordered = new LinkedHashMap<>();
        COLUMNS.forEach(c -> ordered.put(c, values.get(c)));
        this.values = Collections.unmodifiableMap(ordered);
    }

    /** 1-based epoch number. */
    public int epoch() {
        return values.get("epoch").intValue();
    }

    /** The value of {@code column}; unknown names fail listing the columns. */
    public double get(String column) {
        Double v = values.get(column);
        if (v == null) {
            throw new IllegalArgumentException("column: unknown '" + column + "'; columns: " + String.join(", ",
                    COLUMNS));
        }
        return v;
    }

    /** Every value, in column order. */
    public Map<String, Double> values() {
        return values;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "epoch %d: loss %.4f, train acc %.4f, test acc %.4f "
                + "(majority %.4f, minority %.4f), nc1 %.4g", epoch(), get("train_loss"), get("train_acc"),
                get("test_acc"), get("test_acc_majority"), get("test_acc_minority"), get("nc1"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
