package org.deqnc.chart;

/**
 * One trace of a chart: a name and its points. For bar charts {@code x} holds the index of each
 * point's category in {@link Chart#categories()}.
 */
public record Series(String name, double[] x, double[] y) {
    /** Number of points, including ones a renderer may skip (NaN, or y &lt;= 0 on a log axis). */
    public int size() {
        return y.length;
    }
}
