package org.deqnc.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartTest {

    /** Two models × three epochs, long form; nc1 of model b has a zero (undrawable on a log axis). */
    private static Table metrics() {
        return Table.create("metrics",
                IntColumn.create("epoch", 1, 2, 3, 1, 2, 3),
                StringColumn.create("model", "a", "a", "a", "b", "b", "b"),
                DoubleColumn.create("nc1", 0.5, 0.05, 0.003, 0.8, 0.0, 0.01),
                DoubleColumn.create("nc2", 1.0, 0.9, 0.8, 1.2, 1.1, 1.0));
    }

    @Test
    void plotlyDivIdMustBeAJavaScriptIdentifier() {
        Chart chart = Figures.line(metrics()).x("epoch").y("nc2").by("model");
        // tablesaw-jsplot writes "var target_<id> = ...": a '-' in the id is a syntax error in the page
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chart.toPlotlyHtml("my-figure"));
        assertEquals("divId: must be letters, digits or '_', starting with a letter, got 'my-figure'", e.getMessage());
        assertTrue(chart.toPlotlyHtml("my_figure").contains("var target_my_figure"));
    }

    @Test
    void linearAxesAreWidenedToNiceMultiples() {
        // By hand: raw step 9.3/5 = 1.86 rounds up to 2, so [0, 9.3] becomes [0, 10] with ticks 0,2,...,10.
        AxisScale a = AxisScale.linear(0, 9.3);
        assertEquals(0, a.min());
        assertEquals(10, a.max());
        assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10}, a.ticks(), 1e-12);
        // Raw step 0.85/5 = 0.17 -> 0.2; 0.1 floors to 0 and 0.95 ceils to 1.0.
        AxisScale b = AxisScale.linear(0.1, 0.95);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, b.ticks(), 1e-12);
        assertEquals(0.5, b.fraction(0.5), 1e-12);
        assertFalse(b.isLog());
    }

    @Test
    void logAxesCoverWholeDecades() {
        // 3e-7 lies in the decade [1e-7, 1e-6), 0.2 in [0.1, 1): the axis spans 1e-7..1, one tick per decade.
        AxisScale a = AxisScale.log10(3e-7, 0.2);
        assertTrue(a.isLog());
        assertEquals(1e-7, a.min(), 1e-20);
        assertEquals(1, a.max(), 1e-12);
        assertEquals(8, a.ticks().length);
        // 1e-4 is 3 of 7 decades above 1e-7.
        assertEquals(3.0 / 7, a.fraction(1e-4), 1e-12);
        assertEquals("1e-7", AxisScale.label(1e-7));
        assertEquals("0.01", AxisScale.label(0.01));
        // [1e-4, 1e-3) is below the plain-decimal range; a 1e-4 tick (as on a log axis) must get a label.
        assertEquals("1e-4", AxisScale.label(1e-4));
        assertEquals("-2.5e-4", AxisScale.label(-2.5e-4));
        assertEquals("1.23e5", AxisScale.label(123456));
        // 1e-28 .. 10 spans 29 decades: one tick every 4 decades (at most 8 intervals), and the top is widened
        // from 1e1 to 1e4 (= 1e-28 · 10^(4·8)), so that it carries a label like the bottom.
        AxisScale wide = AxisScale.log10(1e-28, 10);
        double[] ticks = wide.ticks();
        assertEquals(1e-28, ticks[0], 1e-40);
        assertEquals(1e4, wide.max(), 1e-8);
        assertEquals(wide.max(), ticks[ticks.length - 1], 1e-8);
        assertEquals(9, ticks.length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AxisScale.log10(0, 1));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void oneSeriesPerGroupAndYColumn() {
        Chart c = Figures.line(metrics()).x("epoch").y("nc1", "nc2").by("model");
        List<Series> s = c.series();
        assertEquals(4, s.size());
        assertEquals(List.of("a · nc1", "a · nc2", "b · nc1", "b · nc2"), s.stream().map(Series::name).toList());
        assertArrayEquals(new double[] {0.8, 0.0, 0.01}, s.get(2).y(), 0);
        // Without by: one series per y column, named after it, over all rows.
        assertEquals(List.of("nc2"), Figures.scatter(metrics()).x("epoch").y("nc2").series().stream().map(Series::name).toList());
    }

    @Test
    void logYSkipsNonPositivePointsAndUsesDecades() {
        Chart c = Figures.line(metrics()).x("epoch").y("nc1").by("model").logY();
        // Positive nc1 values span 0.003..0.8 -> decades 1e-3..1; the 0.0 is ignored.
        assertEquals(1e-3, c.yScale().min(), 1e-15);
        assertEquals(1, c.yScale().max(), 1e-12);
        // Epochs 1..3: raw step 0.4 -> 0.5, so the x axis is exactly [1, 3].
        assertEquals(1, c.xScale().min());
        assertEquals(3, c.xScale().max());
        // Series b = (0.8, 0, 0.01): the zero breaks its line, leaving two single points (drawn as dots),
        // so only series a is a polyline.
        String svg = c.toSvg();
        assertEquals(1, count(svg, "class=\"trace\""));
        assertTrue(c.toPlotly().asJavascript("d").contains("type: 'log'") || c.toPlotly().asJavascript("d").contains("type: \"log\""),
                "Plotly y axis should be log");
    }

    @Test
    void svgIsWellFormedWithOnePolylinePerSeriesAndTheTitle() throws Exception {
        Chart c = Figures.line(metrics()).x("epoch").y("nc2").by("model").title("NC2 <by model>");
        String svg = c.toSvg();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertEquals(2, doc.getElementsByTagName("polyline").getLength());
        assertTrue(svg.contains("NC2 &lt;by model&gt;"));
        // Legend entries name both series, in the default trace colours.
        assertTrue(svg.contains(">a</text>") && svg.contains(">b</text>"));
        assertTrue(svg.contains("#1f77b4") && svg.contains("#ff7f0e"));
    }

    @Test
    void pngHasTheRequestedSizeAndShowsEverySeriesColour() throws Exception {
        Chart c = Figures.scatter(metrics()).x("epoch").y("nc2").by("model").size(400, 300);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.toPng()));
        assertEquals(400, img.getWidth());
        assertEquals(300, img.getHeight());
        assertTrue(pixels(img, 0x1f77b4) > 10, "series a drawn");
        assertTrue(pixels(img, 0xff7f0e) > 10, "series b drawn");
        assertEquals(0, pixels(img, 0x2ca02c), "no third series");
    }

    @Test
    void barChartsGroupByCategory() {
        Table counts = Table.create("counts", StringColumn.create("class", "0", "1", "2"), IntColumn.create("n", 5000, 5000, 500));
        Chart c = Figures.bar(counts).x("class").y("n");
        assertEquals(List.of("0", "1", "2"), c.categories());
        // Bars start at zero: [0, 5000], raw step 1000 -> nice 1000.
        assertEquals(0, c.yScale().min());
        assertEquals(5000, c.yScale().max());
        assertEquals(3, count(c.toSvg(), "fill=\"#1f77b4\""));
    }

    @Test
    void heatmapHasOneCellPerRowAndColumn() {
        Table g = Table.create("gram", StringColumn.create("class", "c0", "c1"),
                DoubleColumn.create("c0", 1.0, -0.5), DoubleColumn.create("c1", -0.5, 1.0));
        Chart c = Figures.heatmap(g).x("class").y("c0", "c1");
        assertEquals(List.of("c0", "c1"), c.categories());
        assertEquals(2, c.series().size());
        assertThrows(IllegalStateException.class, c::yScale);
        // Max (1.0) gets the top viridis colour, min (-0.5) the bottom one, twice each (the colour bar samples
        // its steps at their midpoints, so it never hits either end colour exactly).
        String svg = c.toSvg();
        assertEquals(2, count(svg, "fill=\"#fde725\""));
        assertEquals(2, count(svg, "fill=\"#440154\""));
    }

    @Test
    void barLabelsAreThinnedSoThatNeighboursDoNotOverlap() {
        // CIFAR-100: 100 bars on a 720-pixel chart, labels class_0 .. class_99.
        String[] names = new String[100];
        int[] counts = new int[100];
        for (int i = 0; i < 100; i++) {
            names[i] = "class_" + i;
            counts[i] = i < 30 ? 500 : 50;
        }
        String svg = Figures.bar(Table.create("c", StringColumn.create("class", names), IntColumn.create("n", counts)))
                .x("class").y("n").toSvg();
        Matcher m = Pattern.compile("<text x=\"([0-9.]+)\"[^>]*>(class_[0-9]+)</text>").matcher(svg);
        List<double[]> labels = new ArrayList<>();
        while (m.find()) {
            labels.add(new double[] {Double.parseDouble(m.group(1)), textWidth(m.group(2))});
        }
        assertTrue(labels.size() >= 5, "some categories labelled: " + labels.size());
        assertTrue(svg.contains(">class_0</text>"), "the first category is labelled");
        for (int i = 1; i < labels.size(); i++) {
            double[] a = labels.get(i - 1);
            double[] b = labels.get(i);
            // centred labels: they overlap when the centres are closer than half of each width
            assertTrue(b[0] - a[0] >= (a[1] + b[1]) / 2, "labels " + (i - 1) + " and " + i + " overlap");
        }
    }

    @Test
    void heatmapColourBarLabelsFitInTheFigure() {
        Table g = Table.create("gram", StringColumn.create("class", "c0", "c1"),
                DoubleColumn.create("c0", 1.0, -1.0 / 3), DoubleColumn.create("c1", -1.0 / 3, 1.0));
        Chart c = Figures.heatmap(g).x("class").y("c0", "c1");
        Matcher m = Pattern.compile("<text x=\"([0-9.]+)\"[^>]*text-anchor=\"start\"[^>]*>(-0\\.333333)</text>").matcher(c.toSvg());
        assertTrue(m.find(), "colour bar labelled with its minimum");
        assertTrue(Double.parseDouble(m.group(1)) + textWidth(m.group(2)) <= c.width(), "label runs past the right edge");
    }

    @Test
    void badColumnsAndOptionsGiveOneLineErrors() {
        Table t = metrics();
        assertError("x: unknown column 'epcoh' (did you mean 'epoch'?); columns: epoch, model, nc1, nc2",
                () -> Figures.line(t).x("epcoh").y("nc1").series());
        assertError("y: column 'model' is string, not numeric", () -> Figures.line(t).x("epoch").y("model").series());
        assertError("by: unknown column 'modle' (did you mean 'model'?)", () -> Figures.line(t).x("epoch").y("nc1").by("modle").series());
        assertError("x: no x column given", () -> Figures.line(t).y("nc1").series());
        assertError("y: no y column given", () -> Figures.line(t).x("epoch").series());
        assertError("x: column 'model' is string; line charts need a numeric x", () -> Figures.line(t).x("model").y("nc1").series());
        assertError("x: value '1' appears twice in series 'nc1'", () -> Figures.bar(t).x("epoch").y("nc1").series());
        assertError("log_y: no positive finite y values", () -> Figures.line(Table.create("z", IntColumn.create("e", 1, 2),
                DoubleColumn.create("v", 0.0, -1.0))).x("e").y("v").logY().series());
        assertError("by: not supported for heatmaps", () -> Figures.heatmap(t).x("model").y("nc1").by("model").series());
        assertError("save: unknown file type 'fig.jpg'; accepted extensions: .png, .svg, .html",
                () -> Figures.line(t).x("epoch").y("nc1").save(Path.of("fig.jpg")));
        assertError("kind: unknown chart kind 'pie'; accepted: line, scatter, bar, heatmap", () -> ChartKind.parse("pie"));
        assertError("size: needs at least 200 x 150 pixels, got 10 x 10", () -> Figures.line(t).size(10, 10));
    }

    @Test
    void saveWritesEachFormat(@TempDir Path dir) throws Exception {
        Chart c = Figures.line(metrics()).x("epoch").y("nc1", "nc2").by("model").title("t");
        Path png = c.save(dir.resolve("out/figures/f.png"));
        assertEquals(400 + 320, ImageIO.read(png.toFile()).getWidth());
        assertTrue(Files.readString(c.save(dir.resolve("f.svg"))).startsWith("<svg"));
        assertTrue(Files.readString(c.save(dir.resolve("f.html"))).contains("Plotly.newPlot"));
        assertEquals(4, count(c.toPlotly().asJavascript("d"), "name: '"), "four traces");
        assertTrue(c.toStandaloneHtml().contains("plotly.js v" + PlotlyJs.VERSION), "the standalone page inlines plotly.js");
    }

    @Test
    void htmlFiguresInOneFolderShareOnePlotlyJs(@TempDir Path dir) throws Exception {
        Chart c = Figures.line(metrics()).x("epoch").y("nc1").title("t");
        Path figures = dir.resolve("figures");
        c.save(figures.resolve("a.html"));
        c.save(figures.resolve("b.html"));
        c.save(dir.resolve("other/c.html"));
        try (var files = Files.list(figures)) {
            assertEquals(List.of("a.html", "b.html", "plotly-" + PlotlyJs.VERSION + ".js"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "one shared copy, no temporary left");
        }
        Path shared = figures.resolve(PlotlyJs.SHARED_FILE);
        assertTrue(Files.readString(shared).contains("plotly.js v" + PlotlyJs.VERSION));
        assertTrue(Files.exists(dir.resolve("other").resolve(PlotlyJs.SHARED_FILE)), "each folder gets its own copy");
        for (String page : List.of("a.html", "b.html")) {
            String html = Files.readString(figures.resolve(page));
            assertTrue(html.contains("<script type=\"text/javascript\" src=\"" + PlotlyJs.SHARED_FILE + "\"></script>"), html);
            assertFalse(html.contains("plotly.js v"), "plotly.js not inlined");
            assertTrue(Files.size(figures.resolve(page)) < 100_000, page + " is small");
        }
        long modified = Files.getLastModifiedTime(shared).toMillis();
        Files.setLastModifiedTime(shared, java.nio.file.attribute.FileTime.fromMillis(modified - 60_000));
        c.save(figures.resolve("a.html"));
        assertEquals(modified - 60_000, Files.getLastModifiedTime(shared).toMillis(), "an identical copy is not rewritten");
    }

    @Test
    void saveAllWritesTheThreeFormatsAndReturnsTheChart(@TempDir Path dir) throws Exception {
        Chart c = Figures.line(metrics()).x("epoch").y("nc1").title("t");
        Path folder = dir.resolve("out/figures");
        assertTrue(c.saveAll(folder.toString(), "fig") == c, "returns the same chart, for display");
        assertEquals(c.width(), ImageIO.read(folder.resolve("fig.png").toFile()).getWidth());
        assertEquals(c.toSvg(), Files.readString(folder.resolve("fig.svg")));
        assertTrue(Files.readString(folder.resolve("fig.html")).contains("src=\"" + PlotlyJs.SHARED_FILE + "\""),
                "the page loads the folder's shared plotly.js");
        try (var files = Files.list(folder)) {
            assertEquals(Set.of("fig.png", "fig.svg", "fig.html", PlotlyJs.SHARED_FILE),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        assertError("name: must be a plain file name", () -> c.saveAll(folder.toString(), "sub/fig"));
        assertError("name: must be a plain file name", () -> c.saveAll(folder.toString(), " "));
    }

    private static void assertError(String expectedStart, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** Width in pixels of {@code text} in the tick font as Java2D draws it into the PNG (an independent measure). */
    private static double textWidth(String text) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 11)).stringWidth(text);
        } finally {
            g.dispose();
        }
    }

    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
