package org.deqnc.chart;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of chart a {@link Chart} can draw. */
public enum ChartKind {
    /** One polyline per series over a numeric x column. */
    LINE,
    /** One set of markers per series over a numeric x column. */
    SCATTER,
    /** Grouped bars, one group per distinct x value (any column type), one bar per series. */
    BAR,
    /** Wide-form matrix: one row per table row (labelled by x), one column per y column. */
    HEATMAP;

    /** Lower-case name as used by {@code kind=...} arguments. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code line|scatter|bar|heatmap}; the error names the accepted values. */
    public static ChartKind parse(String text) {
        for (ChartKind k : values()) {
            if (k.key().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("kind: unknown chart kind '" + text + "'; accepted: " + accepted());
    }

    /** "line, scatter, bar, heatmap". */
    public static String accepted() {
        return Arrays.stream(values()).map(ChartKind::key).collect(Collectors.joining(", "));
    }
}
