package org.deqnc.render;

import com.google.gson.JsonParser;
import org.deqnc.nc.NcReport;
import org.deqnc.nc.NcStatistics;
import org.deqnc.report.Claims;
import org.deqnc.report.SolverReports;
import org.deqnc.solver.SolverStats;
import org.deqnc.train.ExperimentResult;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Renderers for the library's result types, so that returning one from a cell, {@code display(x)}
 * and the magics all show the same thing: an HTML table plus a text/plain fallback. Installing them
 * also installs the Tablesaw table and chart renderers.
 */
public final class DomainRendering {

    private DomainRendering() {
    }

    /** Registers every renderer of this package with the kernel. */
    public static void registerAll(BaseKernel kernel) {
        TableRendering.register(kernel.getRenderer());
        ChartRendering.register(kernel);
        register(kernel.getRenderer(), SolverStats.class, DomainRendering::solverStats);
        register(kernel.getRenderer(), NcReport.class, DomainRendering::ncReport);
        register(kernel.getRenderer(), ExperimentResult.class, DomainRendering::experimentResult);
        kernel.getRenderer().createRegistration(Claims.class)
                .preferring(MIMEType.TEXT_HTML, CLAIMS_JSON)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN, CLAIMS_JSON)
                .register((claims, ctx) -> {
                    DisplayData dd = claims(claims);
                    for (MIMEType type : List.of(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN, CLAIMS_JSON)) {
                        ctx.renderIfRequested(type, () -> dd.getData(type));
                    }
                });
    }

    private static final MIMEType CLAIMS_JSON = MIMEType.parse(Claims.MIME_TYPE);

    /**
     * A "Claim vs our run" table as HTML and aligned text, plus its JSON form under {@link Claims#MIME_TYPE} (a JSON
     * object in the notebook, not a string) for the claims report to read from the executed notebook.
     */
    public static DisplayData claims(Claims claims) {
        DisplayData dd = TableRendering.displayData(claims.table());
        dd.putData(CLAIMS_JSON, JsonParser.parseString(claims.toJson()));
        return dd;
    }

    private static <T> void register(Renderer renderer, Class<T> type, Function<T, DisplayData> bundle) {
        renderer.createRegistration(type)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((value, ctx) -> {
                    DisplayData dd = bundle.apply(value);
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> dd.getData(MIMEType.TEXT_HTML));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> dd.getData(MIMEType.TEXT_PLAIN));
                });
    }

    /** One solver run: the summary row {@code %solve} shows, as HTML; its one-line summary as text. */
    public static DisplayData solverStats(SolverStats stats) {
        DisplayData dd = new DisplayData(stats.toString());
        dd.putHTML(TableRendering.html(SolverReports.table(List.of(stats))));
        return dd;
    }

    /** An NC report: what was measured and with which conventions, then one row per value. */
    public static DisplayData ncReport(NcReport report) {
        DisplayData dd = new DisplayData(report.toString());
        NcStatistics s = report.statistics();
        String head = String.format(Locale.ROOT, "N=%d, K=%d, d=%d, %s", s.sampleCount(), s.numClasses(), s.dim(), s.source());
        dd.putHTML("<div class=\"deq-nc-report\"><p><b>NC report</b>: " + Html.escape(head)
                + "<br>class counts " + Html.escape(Arrays.toString(s.counts()))
                + "<br>conventions: " + Html.escape(report.conventions().describe()) + "</p>"
                + report.warnings().stream().map(w -> "<p><b>warning</b>: " + Html.escape(w) + "</p>")
                        .collect(java.util.stream.Collectors.joining())
                + TableRendering.html(report.toTable()) + "</div>");
        return dd;
    }

    /** A finished run: what ran and where its files are, then its metrics per epoch. */
    public static DisplayData experimentResult(ExperimentResult r) {
        DisplayData dd = new DisplayData(r.toString());
        List<List<String>> rows = List.of(
                List.of("name", r.experiment().name()),
                List.of("model", r.experiment().model().name().toLowerCase(Locale.ROOT)),
                List.of("dataset", r.experiment().dataset()),
                List.of("epochs", String.valueOf(r.epochs().size())),
                List.of("last epoch", String.valueOf(r.last())),
                List.of("directory", String.valueOf(r.directory())));
        dd.putHTML(Html.table("experiment " + r.experiment().name(), List.of("property", "value"), rows)
                + TableRendering.html(r.metrics()));
        return dd;
    }
}
