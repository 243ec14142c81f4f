package org.deqnc.train;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deqnc.nc.ClassSplit;
import org.deqnc.nc.GlobalMean;
import org.deqnc.nc.MinorityCollapse;
import org.deqnc.nc.NcMetric;
import org.deqnc.nc.NcReport;
import org.deqnc.nc.NcStatistics;

/**
 * The NC part of a metrics row: the report's headline NC1-NC4 (in its conventions), then every {@link NcMetric}
 * by its key, except the network accuracies, which the training columns already hold, then the
 * {@link #MINORITY_COLLAPSE} measures, whose μ_G-dependent ones appear once per {@link GlobalMean} convention.
 */
final class NcColumns {

    private static final Set<NcMetric> ACCURACIES = EnumSet.of(NcMetric.ACCURACY, NcMetric.ACCURACY_MAJORITY,
            NcMetric.ACCURACY_MINORITY);

    /** Mean minority ‖w_k‖ / mean majority ‖w_k‖ (independent of μ_G). */
    static final String W_NORM_RATIO = "W_norm_ratio";
    private static final String MEANS_COS = NcMetric.MINORITY_MEANS_COS.key() + "_";
    private static final String MEANS_NORM_RATIO = "means_norm_ratio_";

    /**
     * Minority collapse per epoch: the minority classifier cosine and W norm ratio, then for each global-mean
     * convention the minority class-mean cosine and the minority/majority ratio of mean ‖μ_k − μ_G‖, named with
     * {@link GlobalMean#columnSuffix()} (on imbalanced data the conventions differ; the experiment's own
     * convention also fills the unsuffixed {@code minority_means_*} columns).
     */
    static final List<String> MINORITY_COLLAPSE = minorityCollapseColumns();

    static final List<String> COLUMNS = columns();

    private NcColumns() {
    }

    private static List<String> columns() {
        List<String> c = new ArrayList<>(List.of("nc1", "nc2", "nc3", "nc4"));
        for (NcMetric m : NcMetric.values()) {
            if (!ACCURACIES.contains(m)) {
                c.add(m.key());
            }
        }
        MINORITY_COLLAPSE.stream().filter(m -> !c.contains(m)).forEach(c::add); // the classifier cosine is a metric
        return List.copyOf(c);
    }

    private static List<String> minorityCollapseColumns() {
        List<String> c = new ArrayList<>(List.of(NcMetric.MINORITY_CLASSIFIER_COS.key(), W_NORM_RATIO));
        for (GlobalMean g : GlobalMean.values()) {
            c.add(MEANS_COS + g.columnSuffix());
        }
        for (GlobalMean g : GlobalMean.values()) {
            c.add(MEANS_NORM_RATIO + g.columnSuffix());
        }
        return List.copyOf(c);
    }

    /**
     * The values of {@link #COLUMNS} from {@code report}, made with the majority/minority classes {@code classSplit};
     * NaN for what it could not compute (every minority measure of a report without a split, the cosines with one
     * minority class, the W ratio without a classifier).
     */
    static Map<String, Double> values(NcReport report, ClassSplit classSplit) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("nc1", valueOrNaN(report, report.conventions().nc1().metric()));
        v.put("nc2", valueOrNaN(report, report.conventions().nc2().metric()));
        v.put("nc3", valueOrNaN(report, report.conventions().nc3().metric()));
        v.put("nc4", valueOrNaN(report, NcMetric.NC4_NCC_DISAGREEMENT));
        for (NcMetric m : NcMetric.values()) {
            if (!ACCURACIES.contains(m)) {
                v.put(m.key(), valueOrNaN(report, m));
            }
        }
        v.put(W_NORM_RATIO, valueOrNaN(report, NcMetric.MINORITY_CLASSIFIER_NORM)
                / valueOrNaN(report, NcMetric.MAJORITY_CLASSIFIER_NORM));
        NcStatistics s = report.statistics();
        boolean split = report.has(NcMetric.MINORITY_MEANS_NORM);
        boolean pairs = report.has(NcMetric.MINORITY_MEANS_COS); // at least 2 minority classes
        for (GlobalMean g : GlobalMean.values()) {
            v.put(MEANS_COS + g.columnSuffix(), pairs ? MinorityCollapse.meansCos(s, classSplit, g) : Double.NaN);
            v.put(MEANS_NORM_RATIO + g.columnSuffix(), split ? MinorityCollapse.minorityMeansNorm(s, classSplit, g)
                    / MinorityCollapse.majorityMeansNorm(s, classSplit, g) : Double.NaN);
        }
        return v;
    }

    private static double valueOrNaN(NcReport report, NcMetric m) {
        return report.has(m) ? report.value(m) : Double.NaN;
    }
}
