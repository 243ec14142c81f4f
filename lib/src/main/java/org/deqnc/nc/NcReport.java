package org.deqnc.nc;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every neural-collapse value computed for one set of features, each with the convention it used, plus
 * the conventions, the sufficient statistics and the Gram matrices for heat-maps. A value that could not
 * be computed (no classifier, no predictions, no class split) is absent, and asking for it says why.
 */
public final class NcReport {

    /**
     * One computed value.
     *
     * @param metric     what it is
     * @param value      the number
     * @param convention the conventions that produced it, e.g. {@code globalMean=SAMPLE; /K; kept 9 of 9}
     */
    public record Entry(NcMetric metric, double value, String convention) {
    }

    private final NcConventions conventions;
    private final NcStatistics statistics;
    private final String context;
    private final Map<NcMetric, Entry> entries;
    private final Map<NcMetric, String> missing;
    private final List<String> warnings;
    private final double[][] gramCentredMeans;
    private final double[][] gramClassifier;

    NcReport(NcConventions conventions, NcStatistics statistics, String context, Map<NcMetric, Entry> entries,
             Map<NcMetric, String> missing, List<String> warnings, double[][] gramCentredMeans,
             double[][] gramClassifier) {
        this.conventions = conventions;
        this.statistics = statistics;
        this.context = context;
        this.entries = Collections.unmodifiableMap(new EnumMap<>(entries));
        this.missing = Collections.unmodifiableMap(new EnumMap<>(missing));
        this.warnings = List.copyOf(warnings);
        this.gramCentredMeans = gramCentredMeans;
        this.gramClassifier = gramClassifier;
    }

    /** The conventions every value was computed with. */
    public NcConventions conventions() {
        return conventions;
    }

    /** Counts, means, Σ_W and Σ_B behind the values. */
    public NcStatistics statistics() {
        return statistics;
    }

    /** Whether {@code metric} was computed. */
    public boolean has(NcMetric metric) {
        return entries.containsKey(metric);
    }

    /** The value of {@code metric}; throws, naming what is missing, when it was not computed. */
    public double value(NcMetric metric) {
        return entry(metric).value();
    }

    /** The value of {@code metric} with its convention. */
    public Entry entry(NcMetric metric) {
        Entry e = entries.get(metric);
        if (e == null) {
            throw new IllegalStateException(metric.key() + ": not computed (" + missing.get(metric) + ")");
        }
        return e;
    }

    /**
     * One line per computed value that is not a meaningful number and why (e.g. {@code nc1_cdnv = NaN} when two
     * classes share a mean); shown with the report.
     */
    public List<String> warnings() {
        return warnings;
    }

    /** All computed values, in {@link NcMetric} order. */
    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** NC1 in the variant and scaling chosen by {@link NcConventions#nc1()} and {@link NcConventions#nc1Scaling()}. */
    public double nc1() {
        return value(conventions.nc1().metric());
    }

    /** NC2 in the variant chosen by {@link NcConventions#nc2()}. */
    public double nc2() {
        return value(conventions.nc2().metric());
    }

    /** NC3 in the variant chosen by {@link NcConventions#nc3()}. */
    public double nc3() {
        return value(conventions.nc3().metric());
    }

    /** NC4: nearest-class-centre vs network disagreement. */
    public double nc4() {
        return value(NcMetric.NC4_NCC_DISAGREEMENT);
    }

    /** M̃M̃ᵀ, K×K (a copy): the Gram matrix of the centred class means, for heat-maps. */
    public double[][] gramCentredMeans() {
        return copy(gramCentredMeans);
    }

    /** WWᵀ, K×K (a copy); throws when no classifier was given. */
    public double[][] gramClassifier() {
        if (gramClassifier == null) {
            throw new IllegalStateException("gram_classifier: not computed (needs the classifier W)");
        }
        return copy(gramClassifier);
    }

    /** One row per computed value: {@code metric}, {@code value}, {@code convention}, {@code description}. */
    public Table toTable() {
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        StringColumn convention = StringColumn.create("convention");
        StringColumn description = StringColumn.create("description");
        for (Entry e : entries.values()) {
            metric.append(e.metric().key());
            value.append(e.value());
            convention.append(e.convention());
            description.append(e.metric().description());
        }
        return Table.create("NC report", metric, value, convention, description);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "NC report: N=%d K=%d d=%d, %s%n", statistics.sampleCount(),
                statistics.numClasses(), statistics.dim(), statistics.source()));
        sb.append("  class counts ").append(Arrays.toString(statistics.counts())).append('\n');
        sb.append("  conventions  ").append(conventions.describe()).append('\n');
        sb.append("  ").append(context).append('\n');
        for (Entry e : entries.values()) {
            sb.append(String.format(Locale.ROOT, "  %-32s %14.6g   %s%n", e.metric().key(), e.value(), e.convention()));
        }
        warnings.forEach(w -> sb.append("  warning: ").append(w).append('\n'));
        if (!missing.isEmpty()) {
            Map<String, List<String>> byReason = new java.util.TreeMap<>();
            missing.forEach((m, why) -> byReason.computeIfAbsent(why, w -> new ArrayList<>()).add(m.key()));
            byReason.forEach((why, keys) -> sb.append("  not computed (").append(why).append("): ")
                    .append(String.join(", ", keys)).append('\n'));
        }
        return sb.toString();
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
