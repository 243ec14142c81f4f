package org.deqnc.chart;

import java.awt.Color;

/** Colours shared by the Plotly and static outputs, so a series has the same colour in both. */
final class Palette {

    /** plotly.js's default trace colours (the D3 "category10" list), in order. */
    private static final String[] TRACE = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    };

    /** Viridis at five evenly spaced stops (low to high), interpolated linearly in RGB. */
    private static final Color[] HEAT = {
        new Color(0x440154), new Color(0x3b528b), new Color(0x21918c), new Color(0x5ec962), new Color(0xfde725)
    };

    static final String HEAT_PLOTLY_NAME = "Viridis";

    private Palette() {
    }

    static String traceHex(int i) {
        return TRACE[i % TRACE.length];
    }

    static Color trace(int i) {
        return Color.decode(traceHex(i));
    }

    /** The heat colour of {@code t} in [0, 1]. */
    static Color heat(double t) {
        double s = Math.max(0, Math.min(1, t)) * (HEAT.length - 1);
        int i = Math.min(HEAT.length - 2, (int) Math.floor(s));
        double f = s - i;
        Color a = HEAT[i];
        Color b = HEAT[i + 1];
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
