package org.deqnc.chart;

import org.deqnc.config.DidYouMean;
import org.deqnc.provenance.Origin;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A figure described once and drawn three ways: as a tablesaw-jsplot (Plotly) figure for interactive
 * HTML, and as static SVG and PNG drawn by one painter, so the same series, axes and log scale appear in
 * every output. Start one with {@link Figures}, e.g.
 * <pre>{@code
 * Figures.line(metrics).x("epoch").y("nc1", "nc2").by("model").logY().title("NC over training")
 *        .save(Path.of("out/figures/nc.png"));
 * }</pre>
 * Column names are checked when the chart is drawn; an unknown name fails with the nearest valid one
 * and the table's columns, naming the argument ({@code x}, {@code y}, {@code by}) it came from.
 */
public final class Chart {

    private final ChartKind kind;
    private final Table table;
    private String x;
    private final List<String> y = new ArrayList<>();
    private String by;
    private boolean logY;
    private String title;
    private String xLabel;
    private String yLabel;
    private int width = 720;
    private int height = 440;

    Chart(ChartKind kind, Table table) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The column along the x axis (row labels for a heatmap). */
    public Chart x(String column) {
        this.x = column;
        return this;
    }

    /** The numeric columns to draw; each becomes one series (per {@link #by} group). Replaces earlier ones. */
    public Chart y(String... columns) {
        return y(Arrays.asList(columns));
    }

    /** As {@link #y(String...)}. */
    public Chart y(List<String> columns) {
        y.clear();
        y.addAll(columns);
        return this;
    }

    /** Splits rows into one series per distinct value of this column (first-appearance order). */
    public Chart by(String column) {
        this.by = column;
        return this;
    }

    /** Base-10 logarithmic y axis; points with y &lt;= 0 are not drawn (as Plotly does). */
    public Chart logY() {
        return logY(true);
    }

    public Chart logY(boolean on) {
        this.logY = on;
        return this;
    }

    public Chart title(String text) {
        this.title = text;
        return this;
    }

    /** Axis titles; by default the x column name and the y column name (when there is one). */
    public Chart labels(String xAxis, String yAxis) {
        this.xLabel = xAxis;
        this.yLabel = yAxis;
        return this;
    }

    /** Size in pixels of the static image and the Plotly figure (default 720 × 440). */
    public Chart size(int widthPx, int heightPx) {
        if (widthPx < 200 || heightPx < 150) {
            throw new IllegalArgumentException("size: needs at least 200 x 150 pixels, got " + widthPx + " x " + heightPx);
        }
        this.width = widthPx;
        this.height = heightPx;
        return this;
    }

    public ChartKind kind() {
        return kind;
    }

    public String title() {
        return title == null ? "" : title;
    }

    /** The x axis title; by default the x column (a heatmap's x column labels its rows, so its y axis). */
    public String xLabel() {
        return xLabel != null ? xLabel : x == null || kind == ChartKind.HEATMAP ? "" : x;
    }

    /** The y axis title; by default the only y column, or a heatmap's x column. */
    public String yLabel() {
        if (yLabel != null) {
            return yLabel;
        }
        if (kind == ChartKind.HEATMAP) {
            return x == null ? "" : x;
        }
        return y.size() == 1 ? y.get(0) : "";
    }

    public boolean isLogY() {
        return logY;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The traces, after checking the columns: one per y column, times one per {@code by} group. */
    public List<Series> series() {
        return resolve().series();
    }

    /** Bar categories (distinct x values) or heatmap row labels; empty for line and scatter charts. */
    public List<String> categories() {
        return resolve().categories();
    }

    /** The x axis of a line or scatter chart. */
    public AxisScale xScale() {
        Data d = resolve();
        if (d.xScale() == null) {
            throw new IllegalStateException(kind.key() + " charts have a categorical x axis, not a numeric scale");
        }
        return d.xScale();
    }

    /** The y axis of a line, scatter or bar chart. */
    public AxisScale yScale() {
        Data d = resolve();
        if (d.yScale() == null) {
            throw new IllegalStateException(kind.key() + " charts have a categorical y axis, not a numeric scale");
        }
        return d.yScale();
    }

    /** The chart as a tablesaw-jsplot figure (Plotly JSON under the hood). */
    public tech.tablesaw.plotly.components.Figure toPlotly() {
        return PlotlyConversion.figure(this, resolve());
    }

    /**
     * A {@code <div>} plus the script that draws the figure into it; needs plotly.js already loaded on
     * the page (see {@link PlotlyJs}).
     */
    public String toPlotlyHtml(String divId) {
        // tablesaw-jsplot also names a JavaScript variable after the div (var target_<divId>), so a '-'
        // would be a syntax error in the page: only identifier characters are accepted.
        if (!divId.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("divId: must be letters, digits or '_', starting with a letter, got '" + divId + "'");
        }
        return "<div id=\"" + divId + "\" style=\"width:" + width + "px;height:" + height + "px\"></div>\n"
                + toPlotly().asJavascript(divId);
    }

    /** A complete HTML page with plotly.js inlined (works offline; no CDN). */
    public String toStandaloneHtml() {
        return htmlPage(PlotlyJs.scriptTag());
    }

    /**
     * A complete HTML page that loads plotly.js from {@link PlotlyJs#SHARED_FILE} in its own folder (works offline
     * from disk once that file is there; {@link #save} writes it).
     */
    public String toLinkedHtml() {
        return htmlPage("<script type=\"text/javascript\" src=\"" + PlotlyJs.SHARED_FILE + "\"></script>");
    }

    private String htmlPage(String plotlyScript) {
        String div = toPlotlyHtml("figure");
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title()) + "</title>\n"
                + plotlyScript + "\n</head><body>\n" + div + "\n</body></html>\n";
    }

    /** The static figure as an SVG document. */
    public String toSvg() {
        SvgCanvas canvas = new SvgCanvas(width, height);
        canvas.rect(0, 0, width, height, java.awt.Color.WHITE);
        new ChartPainter(this, resolve(), canvas).paint();
        return canvas.finish();
    }

    /** The static figure as an image. */
    public BufferedImage toImage() {
        RasterCanvas canvas = new RasterCanvas(width, height);
        new ChartPainter(this, resolve(), canvas).paint();
        return canvas.finish();
    }

    /** The static figure as PNG bytes. */
    public byte[] toPng() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(toImage(), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the figure to {@code path}, choosing the format from its extension ({@code .png},
     * {@code .svg} or {@code .html}); parent directories are created. An HTML page loads plotly.js from one
     * shared copy in its folder ({@link PlotlyJs#writeShared}). In a {@code reproduce.sh} run each file also
     * records the notebook and parameters that made it ({@link Origin}). Returns {@code path}.
     */
    public Path save(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            // Origin: the notebook and parameters of a reproduce.sh run, recorded in the file (nothing outside one).
            if (name.endsWith(".png")) {
                Files.write(path, Origin.png(toPng()));
            } else if (name.endsWith(".svg")) {
                Files.writeString(path, Origin.svg(toSvg()), StandardCharsets.UTF_8);
            } else if (name.endsWith(".html")) {
                PlotlyJs.writeShared(path.toAbsolutePath().getParent());
                Files.writeString(path, Origin.html(toLinkedHtml()), StandardCharsets.UTF_8);
            } else {
                throw new IllegalArgumentException("save: unknown file type '" + path.getFileName() + "'; accepted extensions: .png, .svg, .html");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("save: cannot write " + path + ": " + e.getMessage(), e);
        }
        return path;
    }

    /**
     * Writes {@code name.png}, {@code name.svg} and {@code name.html} into {@code directory} (created if missing)
     * and returns this chart, so a notebook cell can save a figure and show it in one expression.
     */
    public Chart saveAll(String directory, String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("name: must be a plain file name without extension or '/', got '" + name + "'");
        }
        for (String extension : List.of(".png", ".svg", ".html")) {
            save(Path.of(directory, name + extension));
        }
        return this;
    }

    /** What the columns resolve to; recomputed on each use so later builder calls are always honoured. */
    record Data(List<Series> series, List<String> categories, double[][] z, AxisScale xScale, AxisScale yScale) {
    }

    private Data resolve() {
        if (x == null) {
            throw new IllegalArgumentException("x: no x column given; columns: " + columnList());
        }
        if (y.isEmpty()) {
            throw new IllegalArgumentException("y: no y column given; columns: " + columnList());
        }
        Column<?> xc = column("x", x);
        List<NumericColumn<?>> ycs = new ArrayList<>();
        for (String name : y) {
            Column<?> c = column("y", name);
            if (!(c instanceof NumericColumn<?> n)) {
                throw new IllegalArgumentException("y: column '" + name + "' is " + typeName(c) + ", not numeric");
            }
            ycs.add(n);
        }
        Column<?> byc = by == null ? null : column("by", by);
        return switch (kind) {
            case LINE, SCATTER -> points(numeric("x", xc), ycs, byc);
            case BAR -> bars(xc, ycs, byc);
            case HEATMAP -> heatmap(xc, ycs, byc);
        };
    }

    private Data points(NumericColumn<?> xc, List<NumericColumn<?>> ycs, Column<?> byc) {
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> group : groups(byc).entrySet()) {
            List<Integer> rows = group.getValue();
            for (NumericColumn<?> yc : ycs) {
                double[] xs = new double[rows.size()];
                double[] ys = new double[rows.size()];
                for (int i = 0; i < rows.size(); i++) {
                    xs[i] = xc.getDouble(rows.get(i));
                    ys[i] = yc.getDouble(rows.get(i));
                }
                series.add(new Series(seriesName(group.getKey(), yc.name(), ycs.size()), xs, ys));
            }
        }
        double[] xr = range(series, true);
        double[] yr = range(series, false);
        return new Data(series, List.of(), null, AxisScale.linear(xr[0], xr[1]), yScale(yr));
    }

    private Data bars(Column<?> xc, List<NumericColumn<?>> ycs, Column<?> byc) {
        if (logY) {
            throw new IllegalArgumentException("log_y: not supported for bar charts (bars start at 0)");
        }
        List<String> categories = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int r = 0; r < table.rowCount(); r++) {
            String c = xc.getString(r);
            if (!index.containsKey(c)) {
                index.put(c, categories.size());
                categories.add(c);
            }
        }
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> group : groups(byc).entrySet()) {
            for (NumericColumn<?> yc : ycs) {
                String name = seriesName(group.getKey(), yc.name(), ycs.size());
                double[] values = new double[categories.size()];
                Arrays.fill(values, Double.NaN);
                for (int r : group.getValue()) {
                    int i = index.get(xc.getString(r));
                    if (!Double.isNaN(values[i])) {
                        throw new IllegalArgumentException("x: value '" + categories.get(i) + "' appears twice in series '" + name
                                + "'; bar charts need one row per x value" + (by == null ? " (use by=COLUMN to split series)" : ""));
                    }
                    values[i] = yc.getDouble(r);
                }
                double[] xs = new double[categories.size()];
                Arrays.setAll(xs, i -> i);
                series.add(new Series(name, xs, values));
            }
        }
        double[] yr = range(series, false);
        return new Data(series, categories, null, null, AxisScale.linear(Math.min(0, yr[0]), Math.max(0, yr[1])));
    }

    private Data heatmap(Column<?> xc, List<NumericColumn<?>> ycs, Column<?> byc) {
        if (byc != null) {
            throw new IllegalArgumentException("by: not supported for heatmaps (each y column is one heatmap column)");
        }
        if (logY) {
            throw new IllegalArgumentException("log_y: not supported for heatmaps");
        }
        List<String> rows = new ArrayList<>();
        double[][] z = new double[table.rowCount()][ycs.size()];
        for (int r = 0; r < table.rowCount(); r++) {
            rows.add(xc.getString(r));
            for (int j = 0; j < ycs.size(); j++) {
                z[r][j] = ycs.get(j).getDouble(r);
            }
        }
        List<Series> series = new ArrayList<>();
        for (int j = 0; j < ycs.size(); j++) {
            double[] col = new double[rows.size()];
            double[] idx = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                col[r] = z[r][j];
                idx[r] = r;
            }
            series.add(new Series(ycs.get(j).name(), idx, col));
        }
        range(series, false);
        return new Data(series, rows, z, null, null);
    }

    private AxisScale yScale(double[] yr) {
        return logY ? AxisScale.log10(yr[0], yr[1]) : AxisScale.linear(yr[0], yr[1]);
    }

    /** [min, max] over the drawable points (finite; y &gt; 0 on a log axis). */
    private double[] range(List<Series> series, boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.size(); i++) {
                if (drawable(s.x()[i], s.y()[i])) {
                    double v = xAxis ? s.x()[i] : s.y()[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            throw new IllegalArgumentException(logY
                    ? "log_y: no positive finite y values in " + String.join(", ", y) + " to draw on a log axis"
                    : "y: no finite values in " + String.join(", ", y));
        }
        return new double[] {lo, hi};
    }

    /** Whether a point can be drawn: finite, and positive on a log y axis. */
    boolean drawable(double px, double py) {
        return Double.isFinite(px) && Double.isFinite(py) && (!logY || py > 0);
    }

    private Map<String, List<Integer>> groups(Column<?> byc) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < table.rowCount(); r++) {
            groups.computeIfAbsent(byc == null ? "" : byc.getString(r), k -> new ArrayList<>()).add(r);
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("table: '" + table.name() + "' has no rows to plot");
        }
        return groups;
    }

    private static String seriesName(String group, String yColumn, int yCount) {
        if (group.isEmpty()) {
            return yColumn;
        }
        return yCount == 1 ? group : group + " · " + yColumn;
    }

    private NumericColumn<?> numeric(String arg, Column<?> c) {
        if (c instanceof NumericColumn<?> n) {
            return n;
        }
        throw new IllegalArgumentException(arg + ": column '" + c.name() + "' is " + typeName(c) + "; " + kind.key()
                + " charts need a numeric x (use kind=bar for categories)");
    }

    private Column<?> column(String arg, String name) {
        if (!table.columnNames().contains(name)) {
            throw new IllegalArgumentException(arg + ": unknown column '" + name + "'" + DidYouMean.hint(name, table.columnNames())
                    + "; columns: " + columnList());
        }
        return table.column(name);
    }

    private String columnList() {
        return String.join(", ", table.columnNames());
    }

    private static String typeName(Column<?> c) {
        return c.type().name().toLowerCase(Locale.ROOT);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
