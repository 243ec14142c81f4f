package org.deqnc.chart;

import tech.tablesaw.api.Table;

/** Starting points for {@link Chart}s built from Tablesaw tables. */
public final class Figures {

    private Figures() {
    }

    /** Lines over a numeric x column. */
    public static Chart line(Table table) {
        return new Chart(ChartKind.LINE, table);
    }

    /** Markers over a numeric x column. */
    public static Chart scatter(Table table) {
        return new Chart(ChartKind.SCATTER, table);
    }

    /** Grouped bars over the distinct values of the x column. */
    public static Chart bar(Table table) {
        return new Chart(ChartKind.BAR, table);
    }

    /** A wide-form heatmap: rows labelled by x, one column per y column. */
    public static Chart heatmap(Table table) {
        return new Chart(ChartKind.HEATMAP, table);
    }

    /** A chart of the given kind. */
    public static Chart of(ChartKind kind, Table table) {
        return new Chart(kind, table);
    }
}
