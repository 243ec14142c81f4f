package org.deqnc.render;

import org.deqnc.kernel.KernelHarness;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.deqnc.kernel.KernelHarness.html;
import static org.deqnc.kernel.KernelHarness.text;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Library results returned from a cell render through the registered renderers, as HTML plus text. */
class RenderingTest {

    static KernelHarness nb;

    @BeforeAll
    static void start() {
        nb = new KernelHarness();
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    @Test
    void solverStatsRenderAsTheSummaryRowAndOneLine() {
        DisplayData d = nb.eval("org.deqnc.report.SolverReports.compare(org.deqnc.report.FixedPointProblem.linear(4, 1, 0.5, 1),"
                + " List.of(\"picard\"), org.deqnc.solver.SolverOptions.defaults()).get(0)");
        assertTrue(text(d).startsWith("picard: converged in "), text(d));
        assertTrue(html(d).contains("<table") && html(d).contains("<td style=\"text-align:left\">picard</td>"), html(d));
    }

    @Test
    void ncReportRendersConventionsAndTable() {
        DisplayData d = nb.eval("org.deqnc.nc.NcMetrics.of(org.deqnc.nc.Features.of(new double[][] {{1, 0}, {-1, 0}, {1, 1}, {-1, 1}}),"
                + " new int[] {0, 1, 0, 1}, 2).report()");
        assertTrue(text(d).startsWith("NC report: N=4 K=2 d=2"), text(d));
        assertTrue(html(d).contains("conventions: globalMean=") && html(d).contains("nc1_pinv"), html(d));
    }

    @Test
    void claimsRenderAsATableWithTheirJsonFormBeside() {
        nb.eval("var cc = new org.deqnc.report.Claims(org.deqnc.report.Claims.Paper.SUN_SHI_2024);");
        nb.eval("cc.add(\"NC1 falls\", \"0.12 ± 0.01\", org.deqnc.report.Claims.Verdict.PARTIALLY, \"20-nc1.png\");");
        DisplayData d = nb.eval("cc");
        assertTrue(text(d).startsWith("Claim vs our run (1 rows × 3 columns)"), text(d));
        assertTrue(html(d).contains("<td style=\"text-align:left\">partially</td>"), html(d));
        Object json = d.getData(MIMEType.parse(org.deqnc.report.Claims.MIME_TYPE));
        assertTrue(json instanceof com.google.gson.JsonObject, String.valueOf(json));
        com.google.gson.JsonObject row = ((com.google.gson.JsonObject) json).getAsJsonArray("claims").get(0).getAsJsonObject();
        assertTrue(row.get("figure").getAsString().equals("20-nc1.png") && row.get("verdict").getAsString().equals("partially"), row.toString());
    }

    @Test
    void tablesAndChartsRenderFromCells() {
        nb.eval("var tt = tech.tablesaw.api.Table.create(\"tiny\", tech.tablesaw.api.IntColumn.create(\"k\", 1, 2),"
                + " tech.tablesaw.api.DoubleColumn.create(\"v\", 0.5, 0.25));");
        DisplayData table = nb.eval("tt");
        assertTrue(html(table).contains("<caption>tiny (2 rows × 2 columns)</caption>"), html(table));
        assertTrue(text(table).contains("0.250000"), text(table));
        DisplayData chart = nb.eval("org.deqnc.chart.Figures.line(tt).x(\"k\").y(\"v\").title(\"tiny\")");
        assertTrue(chart.hasDataForType(MIMEType.TEXT_HTML) && chart.hasDataForType(MIMEType.IMAGE_PNG), "html + png");
        assertTrue(text(chart).startsWith("Chart 'tiny' (line, 1 series)"), text(chart));
        // tablesaw-jsplot declares "var target_<div id>": an id with '-' broke the page in a real browser
        java.util.regex.Matcher div = java.util.regex.Pattern.compile("<div id=\"([^\"]+)\" class=\"deq-figure\"")
                .matcher(html(chart));
        assertTrue(div.find(), html(chart));
        assertTrue(div.group(1).matches("[A-Za-z_][A-Za-z0-9_]*"), "figure id is not a JavaScript identifier: " + div.group(1));
    }
}
