package org.deqnc.train;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deqnc.nc.NcMetric;
import org.deqnc.nc.NcReport;

/**
 * The NC part of a metrics row: the report's headline NC1-NC4 (in its conventions), then every {@link NcMetric}
 * by its key, except the network accuracies, which the training columns already hold.
 */
final class NcColumns {

    private static final Set<NcMetric> ACCURACIES = EnumSet.of(NcMetric.ACCURACY, NcMetric.ACCURACY_MAJORITY,
            NcMetric.ACCURACY_MINORITY);

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
        return List.copyOf(c);
    }

    /** The values of {@link #COLUMNS} from {@code report}; NaN for what it could not compute. */
    static Map<String, Double> values(NcReport report) {
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
        return v;
    }

    private static double valueOrNaN(NcReport report, NcMetric m) {
        return report.has(m) ? report.value(m) : Double.NaN;
    }
}
