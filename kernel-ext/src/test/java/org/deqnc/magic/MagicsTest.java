package org.deqnc.magic;

import org.deqnc.chart.PlotlyJs;
import org.deqnc.data.FashionMnist;
import org.deqnc.kernel.KernelHarness;
import org.deqnc.render.ChartRendering;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.deqnc.kernel.KernelHarness.html;
import static org.deqnc.kernel.KernelHarness.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every magic in an in-process java-deq kernel: what it displays (MIME types and facts) and its completion. */
class MagicsTest {

    /** A kernel per test: what one test leaves in a session (a first chart, variables) never reaches another. */
    KernelHarness nb;

    @BeforeEach
    void start() {
        nb = new KernelHarness();
        nb.eval("double[][] H = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};\nint[] y = {0, 0, 1, 1};");
        nb.eval("var t = tech.tablesaw.api.Table.create(\"squares\", tech.tablesaw.api.DoubleColumn.create(\"x\", 1, 2, 3),"
                + " tech.tablesaw.api.DoubleColumn.create(\"y\", 1, 4, 9));");
    }

    @AfterEach
    void stop() {
        nb.close();
    }

    static boolean hasPlotlyJs(DisplayData d) {
        // a marker from the plotly.js bundle itself, absent from the small per-figure script
        return html(d).length() > 1_000_000 && html(d).contains("plotly.js v" + PlotlyJs.VERSION);
    }

    @Test
    void plotlyJsIsInlinedWithTheFirstChartOnlyAndNeverFromACdn() {
        assertFalse(ChartRendering.plotlySent(nb.kernel()));
        DisplayData first = nb.displayed("%plot t x=x y=y").get(0);
        DisplayData second = nb.displayed("%plot t x=x y=y kind=scatter").get(0);
        assertTrue(hasPlotlyJs(first), "first chart carries plotly.js");
        assertFalse(hasPlotlyJs(second), "second chart relies on the session's copy");
        assertTrue(ChartRendering.plotlySent(nb.kernel()));
        for (DisplayData d : List.of(first, second)) {
            assertFalse(html(d).contains("<script src="), "no external script");
            assertTrue(html(d).contains("Plotly.newPlot"), "interactive figure");
        }
    }

    @Test
    void plotShowsHtmlWithAStaticFallbackPngAndSaves(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("figs/squares.svg");
        List<DisplayData> out = nb.displayed("%plot t x=x y=y kind=scatter title=\"y = x squared\" save=" + svg);
        assertEquals(1, out.size());
        DisplayData d = out.get(0);
        byte[] png = Base64.getDecoder().decode(String.valueOf(d.getData(MIMEType.IMAGE_PNG)));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        // the same picture sits inside the HTML figure box, for frontends that run no scripts
        assertTrue(html(d).contains("data:image/png;base64," + d.getData(MIMEType.IMAGE_PNG)));
        assertEquals("Chart 'y = x squared' (scatter, 1 series): y", text(d));
        assertTrue(Files.readString(svg).contains("<svg"));
    }

    @Test
    void deqEchoesTheEffectiveConfigurationAndStoresIt() {
        List<DisplayData> out = nb.displayed("%deq cfg hidden=256 solver=broyden");
        assertEquals(1, out.size());
        String text = text(out.get(0));
        assertTrue(text.contains("DEQ configuration → cfg"), text);
        assertTrue(text.matches("(?s).*\\bhidden\\s+256\\s+set\\b.*"), text);
        assertTrue(text.matches("(?s).*\\bsolver\\s+broyden\\s+set\\b.*"), text);
        // an untouched key shows its documented default (DeqConfig: max_iter defaults to 30)
        assertTrue(text.matches("(?s).*\\bmax_iter\\s+30\\s+default\\b.*"), text);
        assertTrue(html(out.get(0)).contains("<table"));
        assertEquals("256", text(nb.eval("cfg.hidden()")));
    }

    @Test
    void argumentsInterpolateNotebookValues() {
        nb.eval("int width = 12;");
        String text = text(nb.displayed("%deq hidden=${width * 10} solver=${\"pic\" + \"ard\"}").get(0));
        assertTrue(text.matches("(?s).*\\bhidden\\s+120\\s+set\\b.*"), text);
        assertTrue(text.matches("(?s).*\\bsolver\\s+picard\\s+set\\b.*"), text);
    }

    @Test
    void solveShowsATableAndOneConvergenceTracePerSolver() {
        // Linear map with ||W||_2 = 0.5: Picard's residual shrinks at least 2x per step, so from z0 = 0
        // (relative residual 1) it reaches 1e-6 within ceil(log2(1e6)) = 20 steps (+1 for the first residual).
        List<DisplayData> out = nb.displayed("%solve problem=linear w_norm=0.5 dim=16 batch=2 solvers=picard,anderson tol=1e-6 max_iter=100");
        assertEquals(2, out.size());
        String table = text(out.get(0));
        assertTrue(table.startsWith("solver comparison"), table);
        List<String> picard = table.lines().filter(l -> l.startsWith("picard ")).toList();
        assertEquals(1, picard.size(), table);
        String[] cells = picard.get(0).trim().split("\\s+");
        assertEquals("true", cells[1], "picard converged: " + picard.get(0));
        assertTrue(Integer.parseInt(cells[2]) <= 21, "iterations " + cells[2]);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("anderson ")), table);
        assertTrue(html(out.get(0)).contains("<table"));
        DisplayData chart = out.get(1);
        assertEquals("Chart 'Convergence' (line, 2 series): picard, anderson", text(chart));
        assertTrue(chart.hasDataForType(MIMEType.IMAGE_PNG));
        assertTrue(html(chart).contains("Plotly.newPlot"));
    }

    @Test
    void solveTakesANotebookProblem() {
        nb.eval("var p = org.deqnc.report.FixedPointProblem.tanhContraction(8, 1, 0.3, 5);");
        List<DisplayData> out = nb.displayed("%solve problem=p solvers=anderson");
        assertTrue(text(out.get(0)).contains("anderson"), text(out.get(0)));
    }

    @Test
    void ncReportsNotebookArraysWithTheChosenConventions() {
        // H: class means (1,0) and (-1,0), global mean 0; within-class deviations (0,+-1).
        // Sigma_W = diag(0,1), Sigma_B = diag(1,0): Tr(Sigma_W Sigma_B^+) = 0 but Tr Sigma_W / Tr Sigma_B = 1.
        List<DisplayData> out = nb.displayed("%nc H y global_mean=sample nc1=quotient");
        assertEquals(1, out.size());
        String text = text(out.get(0));
        assertTrue(text.contains("globalMean=SAMPLE") && text.contains("nc1=QUOTIENT"), text);
        assertTrue(text.matches("(?s).*nc1_pinv\\s+0\\.0+\\s.*"), text);
        assertTrue(text.matches("(?s).*nc1_quotient\\s+1\\.0+\\s.*"), text);
        // CDNV: sigma_k^2 = 1 per class, ||mu_0 - mu_1||^2 = 4, so (1 + 1) / (2 * 4) = 0.25
        assertTrue(text.matches("(?s).*nc1_cdnv\\s+0\\.250*\\s.*"), text);
        assertTrue(html(out.get(0)).contains("<table") && html(out.get(0)).contains("N=4, K=2, d=2"), html(out.get(0)));
    }

    @Test
    void ncWarnsInOneLineWhyCdnvIsNaNOrMeaningless() {
        nb.eval("double[][] Z = new double[4][3]; int[] yz = {0, 0, 1, 1};");
        String zeros = text(nb.displayed("%nc Z yz").get(0));
        assertTrue(zeros.matches("(?s).*nc1_cdnv\\s+NaN\\s.*"), zeros);
        assertTrue(zeros.contains("\n  warning: nc1_cdnv = NaN: classes 0 and 1 have the same mean (e.g. all-zero or"
                + " identical features), so (σ_i² + σ_j²)/(2‖μ_i − μ_j‖²) divides by 0\n"), zeros);
        nb.eval("double[][] one = {{1, 0}, {0, 1}, {-1, -1}}; int[] y3 = {0, 1, 2};");
        List<DisplayData> single = nb.displayed("%nc one y3");
        assertTrue(text(single.get(0)).contains("warning: every class has one sample: within-class variances are 0"),
                text(single.get(0)));
        assertTrue(html(single.get(0)).contains("<b>warning</b>: every class has one sample"), html(single.get(0)));
        assertFalse(text(nb.displayed("%nc H y").get(0)).contains("warning"), "no warning for a sound report");
    }

    @Test
    void ncWithAClassifierAddsItsMetrics() {
        nb.eval("double[][] W = {{1, 0}, {-1, 0}};");
        String text = text(nb.displayed("%nc H y W").get(0));
        assertTrue(text.contains("nc3"), text);
    }

    @Test
    void datasetDescribesAndDrawsAStepImbalance() {
        assumeTrue(Files.isDirectory(FashionMnist.directory()), "Fashion-MNIST not installed");
        // The test split has 1000 images per class; K_A=3 keeps n_A = 1000 and R=10 leaves n_B = 100.
        List<DisplayData> out = nb.displayed("%dataset fashion-mnist split=test K_A=3 R=10 seed=1 as=ds");
        assertEquals(2, out.size());
        String text = text(out.get(0));
        assertTrue(text.contains("[1000, 1000, 1000, 100, 100, 100, 100, 100, 100, 100]"), text);
        assertEquals("Chart 'Class counts: fashion-mnist test' (bar, 2 series): majority, minority", text(out.get(1)));
        assertEquals("3700", text(nb.eval("ds.size()")));
    }

    @Test
    void notebookCodeGetsAProgressBar() {
        List<DisplayData> out = nb.displayed("var bar = progressBar(\"steps\", 4);\nbar.update(4, Map.of(\"loss\", 0.5));\nbar.finish();");
        assertEquals(1, out.size(), "later draws update the first display in place");
        assertTrue(out.get(0).hasDisplayId());
        assertTrue(html(out.get(0)).contains("<progress max=\"4\" value=\"0\""), html(out.get(0)));
        assertTrue(text(nb.eval("bar.text()")).contains("100%  4/4"));
    }

    @Test
    void helpListsEveryMagic() {
        String text = text(nb.displayed("%help").get(0));
        for (String m : List.of("%deq", "%solve", "%nc", "%dataset", "%plot", "%%experiment", "%help")) {
            assertTrue(text.contains(m + " "), m + " in " + text);
        }
        assertTrue(text(nb.displayed("%help solve").get(0)).contains("Syntax: %solve"));
    }

    @Test
    void completesNamesKeysAndValues() {
        assertEquals(List.of("dataset", "deq"), complete("%d"));
        assertEquals(List.of("experiment"), complete("%%exp"));
        assertEquals(List.of("resume"), complete("%%experiment run "));
        assertEquals(List.of("hidden="), complete("%deq hid"));
        assertEquals(List.of("solvers=anderson", "solvers=broyden", "solvers=picard"), complete("%solve solvers="));
        assertEquals(List.of("stop_mode=abs", "stop_mode=rel"), complete("%solve stop_mode="));
        assertTrue(complete("%dataset ").contains("fashion-mnist"));
        assertEquals(List.of("global_mean=class", "global_mean=sample"), complete("%nc H y global_mean="));
        assertEquals(List.of("kind=bar", "kind=heatmap", "kind=line", "kind=scatter"), complete("%plot t kind="));
        assertFalse(complete("%deq hidden=4 ").contains("hidden="), "a key already given is not offered again");
    }

    private List<String> complete(String code) {
        ReplacementOptions r = nb.kernel().complete(code, code.length());
        return r.getReplacements();
    }
}
