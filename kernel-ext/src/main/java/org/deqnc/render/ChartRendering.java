package org.deqnc.render;

import org.deqnc.chart.Chart;
import org.deqnc.chart.PlotlyJs;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.Base64;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Charts as notebook outputs. {@code text/html} is an interactive Plotly figure whose box first holds
 * the static PNG, so it still shows where scripts never run (GitHub, untrusted notebooks, nbconvert
 * without JavaScript); {@code image/png} is the same picture for image-only frontends, and
 * {@code text/plain} says what the figure is. plotly.js travels inside the first chart of each
 * kernel session (from the WebJar, never a CDN), so later charts stay small.
 */
public final class ChartRendering {

    /** Kernels whose session has already received plotly.js. */
    private static final Set<BaseKernel> PLOTLY_SENT = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final AtomicLong FIGURES = new AtomicLong();
    /** Distinguishes this JVM's figure ids from those of earlier sessions saved in the same notebook. */
    private static final String SESSION = Long.toString(System.nanoTime() & 0xffffffL, 36);

    private ChartRendering() {
    }

    public static void register(BaseKernel kernel) {
        Renderer renderer = kernel.getRenderer();
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_HTML, MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN)
                .register((chart, ctx) -> {
                    DisplayData dd = displayData(kernel, chart);
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> dd.getData(MIMEType.TEXT_HTML));
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> dd.getData(MIMEType.IMAGE_PNG));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> dd.getData(MIMEType.TEXT_PLAIN));
                });
    }

    /** The chart for {@code kernel}: plotly.js is included if this is the session's first chart. */
    public static DisplayData displayData(BaseKernel kernel, Chart chart) {
        boolean first = PLOTLY_SENT.add(kernel);
        return displayData(chart, first);
    }

    /** The chart's bundle; {@code withPlotlyJs} inlines the whole plotly.js library before it. */
    public static DisplayData displayData(Chart chart, boolean withPlotlyJs) {
        String png = Base64.getEncoder().encodeToString(chart.toPng());
        DisplayData dd = new DisplayData(describe(chart));
        dd.putData(MIMEType.IMAGE_PNG, png);
        dd.putHTML((withPlotlyJs ? PlotlyJs.scriptTag() + "\n" : "") + html(chart, png));
        return dd;
    }

    /** Whether plotly.js has been sent to this kernel's session (tests and diagnostics). */
    public static boolean plotlySent(BaseKernel kernel) {
        return PLOTLY_SENT.contains(kernel);
    }

    private static String html(Chart chart, String pngBase64) {
        // an identifier, not just an HTML id: tablesaw-jsplot declares "var target_<id>" in the script
        String id = "deqfig_" + SESSION + "_" + FIGURES.incrementAndGet();
        String img = "<img id=\"" + id + "-static\" alt=\"" + Html.escape(describe(chart)) + "\" src=\"data:image/png;base64,"
                + pngBase64 + "\" width=\"" + chart.width() + "\" height=\"" + chart.height() + "\">";
        // The static picture stays unless plotly.js is on the page; then the live figure replaces it.
        String swap = "<script type=\"text/javascript\">(function(){var s=document.getElementById('" + id
                + "-static');if(window.Plotly&&s){s.remove();}})();</script>";
        return "<div id=\"" + id + "\" class=\"deq-figure\" style=\"width:" + chart.width() + "px;height:" + chart.height() + "px\">"
                + img + "</div>\n" + swap + "\n" + chart.toPlotly().asJavascript(id);
    }

    /** One line: title, kind and series, for text/plain. */
    public static String describe(Chart chart) {
        String title = chart.title() == null || chart.title().isEmpty() ? "untitled" : chart.title();
        StringBuilder b = new StringBuilder("Chart '" + title + "' (" + chart.kind().key());
        b.append(", ").append(chart.series().size()).append(" series");
        if (chart.isLogY()) {
            b.append(", log y");
        }
        b.append(')');
        if (!chart.series().isEmpty()) {
            b.append(": ");
            for (int i = 0; i < chart.series().size(); i++) {
                b.append(i == 0 ? "" : ", ").append(chart.series().get(i).name());
            }
        }
        return b.toString();
    }
}
