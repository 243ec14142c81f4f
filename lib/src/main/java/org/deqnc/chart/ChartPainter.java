package org.deqnc.chart;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/** Lays a {@link Chart} out and draws it onto a {@link Canvas}: the single static renderer. */
final class ChartPainter {

    private static final Color AXIS = new Color(0x444444);
    private static final Color GRID = new Color(0xe5e5e5);
    private static final Color TEXT = new Color(0x222222);
    private static final Color MISSING = new Color(0xcccccc);
    private static final double TICK_FONT = 11;

    private final Chart chart;
    private final Chart.Data data;
    private final Canvas canvas;
    private final double left;
    private final double right;
    private final double top;
    private final double bottom;

    ChartPainter(Chart chart, Chart.Data data, Canvas canvas) {
        this.chart = chart;
        this.data = data;
        this.canvas = canvas;
        boolean heat = chart.kind() == ChartKind.HEATMAP;
        int longestRowLabel = heat ? data.categories().stream().mapToInt(String::length).max().orElse(1) : 8;
        this.left = heat ? Math.min(160, 30 + textWidth(longestRowLabel)) : 74;
        this.top = chart.title().isEmpty() ? 16 : 44;
        this.bottom = chart.height() - 54;
        this.right = chart.width() - (heat ? colourBarWidth() : showLegend() ? legendWidth() + 24 : 20);
    }

    void paint() {
        if (!chart.title().isEmpty()) {
            canvas.text(chart.width() / 2.0, 28, chart.title(), 15, Canvas.Anchor.MIDDLE, false, TEXT);
        }
        switch (chart.kind()) {
            case LINE, SCATTER -> {
                xGrid(data.xScale());
                yGrid(data.yScale());
                points();
            }
            case BAR -> {
                yGrid(data.yScale());
                bars();
            }
            case HEATMAP -> heatmap();
        }
        canvas.line(left, bottom, right, bottom, AXIS, 1);
        canvas.line(left, top, left, bottom, AXIS, 1);
        canvas.text((left + right) / 2, chart.height() - 12, chart.xLabel(), 12, Canvas.Anchor.MIDDLE, false, TEXT);
        canvas.text(16, (top + bottom) / 2, chart.yLabel(), 12, Canvas.Anchor.MIDDLE, true, TEXT);
        if (showLegend()) {
            legend();
        }
    }

    private double px(double fraction) {
        return left + fraction * (right - left);
    }

    private double py(double fraction) {
        return bottom - fraction * (bottom - top);
    }

    private void xGrid(AxisScale s) {
        for (double t : s.ticks()) {
            double x = px(s.fraction(t));
            canvas.line(x, top, x, bottom, GRID, 1);
            canvas.line(x, bottom, x, bottom + 4, AXIS, 1);
            canvas.text(x, bottom + 17, AxisScale.label(t), TICK_FONT, Canvas.Anchor.MIDDLE, false, TEXT);
        }
    }

    private void yGrid(AxisScale s) {
        for (double t : s.ticks()) {
            double y = py(s.fraction(t));
            canvas.line(left, y, right, y, GRID, 1);
            canvas.line(left - 4, y, left, y, AXIS, 1);
            canvas.text(left - 7, y + 4, AxisScale.label(t), TICK_FONT, Canvas.Anchor.END, false, TEXT);
        }
    }

    private void points() {
        AxisScale xs = data.xScale();
        AxisScale ys = data.yScale();
        for (int k = 0; k < data.series().size(); k++) {
            Series s = data.series().get(k);
            Color color = Palette.trace(k);
            List<double[]> run = new ArrayList<>();
            for (int i = 0; i <= s.size(); i++) {
                boolean ok = i < s.size() && chart.drawable(s.x()[i], s.y()[i]);
                if (ok) {
                    double x = px(xs.fraction(s.x()[i]));
                    double y = py(ys.fraction(s.y()[i]));
                    if (chart.kind() == ChartKind.SCATTER) {
                        canvas.circle(x, y, 3.5, color);
                    } else {
                        run.add(new double[] {x, y});
                    }
                }
                // A line breaks at a point it cannot draw, as Plotly's does.
                if (!ok && !run.isEmpty()) {
                    drawRun(run, color);
                    run.clear();
                }
            }
        }
    }

    private void drawRun(List<double[]> run, Color color) {
        if (run.size() == 1) {
            canvas.circle(run.get(0)[0], run.get(0)[1], 2.5, color);
            return;
        }
        double[] xs = run.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = run.stream().mapToDouble(p -> p[1]).toArray();
        canvas.polyline(xs, ys, color, 2);
    }

    private void bars() {
        List<String> cats = data.categories();
        AxisScale ys = data.yScale();
        double band = (right - left) / cats.size();
        double barWidth = band * 0.8 / data.series().size();
        double zero = py(ys.fraction(0));
        // Label every n-th bar, n chosen so that neighbouring labels do not overlap.
        int longest = cats.stream().mapToInt(String::length).max().orElse(1);
        int every = Math.max(1, (int) Math.ceil((textWidth(longest) + 8) / band));
        for (int i = 0; i < cats.size(); i++) {
            double x0 = left + i * band + band * 0.1;
            for (int k = 0; k < data.series().size(); k++) {
                double v = data.series().get(k).y()[i];
                if (Double.isFinite(v)) {
                    double y = py(ys.fraction(v));
                    canvas.rect(x0 + k * barWidth, Math.min(y, zero), barWidth, Math.abs(zero - y), Palette.trace(k));
                }
            }
            if (i % every == 0) {
                canvas.text(left + (i + 0.5) * band, bottom + 17, cats.get(i), TICK_FONT, Canvas.Anchor.MIDDLE, false, TEXT);
            }
        }
    }

    private void heatmap() {
        double[][] z = data.z();
        List<String> rows = data.categories();
        List<Series> cols = data.series();
        double[] range = heatRange();
        double lo = range[0];
        double hi = range[1];
        double cw = (right - left) / cols.size();
        double ch = (bottom - top) / rows.size();
        for (int r = 0; r < rows.size(); r++) {
            // Row 0 at the bottom, as Plotly draws a heatmap's first y value.
            double y = bottom - (r + 1) * ch;
            for (int c = 0; c < cols.size(); c++) {
                double v = z[r][c];
                Color fill = !Double.isFinite(v) ? MISSING : Palette.heat(hi > lo ? (v - lo) / (hi - lo) : 0.5);
                canvas.rect(left + c * cw, y, cw + 0.5, ch + 0.5, fill);
            }
        }
        int rowEvery = Math.max(1, (int) Math.ceil(rows.size() / ((bottom - top) / 14)));
        for (int r = 0; r < rows.size(); r += rowEvery) {
            canvas.text(left - 6, bottom - (r + 0.5) * ch + 4, rows.get(r), TICK_FONT, Canvas.Anchor.END, false, TEXT);
        }
        int colEvery = Math.max(1, (int) Math.ceil(cols.size() / ((right - left) / 60)));
        for (int c = 0; c < cols.size(); c += colEvery) {
            canvas.text(left + (c + 0.5) * cw, bottom + 17, cols.get(c).name(), TICK_FONT, Canvas.Anchor.MIDDLE, false, TEXT);
        }
        colourBar(lo, hi);
    }

    /** [min, max] of the heatmap's finite values. */
    private double[] heatRange() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : data.z()) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return new double[] {lo, hi};
    }

    private void colourBar(double lo, double hi) {
        double x = right + 16;
        int steps = 40;
        double h = (bottom - top) / steps;
        for (int i = 0; i < steps; i++) {
            canvas.rect(x, bottom - (i + 1) * h, 14, h + 0.5, Palette.heat((i + 0.5) / steps));
        }
        canvas.text(x + 18, bottom, AxisScale.label(lo), TICK_FONT, Canvas.Anchor.START, false, TEXT);
        canvas.text(x + 18, top + 8, AxisScale.label(hi), TICK_FONT, Canvas.Anchor.START, false, TEXT);
    }

    /** Room right of a heatmap: gap, colour bar and its end labels, and a margin. */
    private double colourBarWidth() {
        double[] range = heatRange();
        int longest = Math.max(AxisScale.label(range[0]).length(), AxisScale.label(range[1]).length());
        return 16 + 14 + 4 + textWidth(longest) + 8;
    }

    /** Estimated width of a tick-font label of {@code chars} characters (sans-serif, 11 px; digits are ~6.1 px). */
    static double textWidth(int chars) {
        return 6.5 * chars;
    }

    private boolean showLegend() {
        return chart.kind() != ChartKind.HEATMAP && data.series().size() > 1;
    }

    private double legendWidth() {
        int longest = data.series().stream().mapToInt(s -> s.name().length()).max().orElse(4);
        return Math.min(220, 30 + textWidth(longest));
    }

    private void legend() {
        double x = right + 14;
        for (int k = 0; k < data.series().size(); k++) {
            double y = top + 10 + k * 18;
            Color c = Palette.trace(k);
            if (chart.kind() == ChartKind.LINE) {
                canvas.line(x, y - 4, x + 18, y - 4, c, 2);
            } else {
                canvas.rect(x + 5, y - 9, 9, 9, c);
            }
            canvas.text(x + 24, y, data.series().get(k).name(), TICK_FONT, Canvas.Anchor.START, false, TEXT);
        }
    }
}
