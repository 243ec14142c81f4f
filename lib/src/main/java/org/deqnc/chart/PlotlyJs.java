package org.deqnc.chart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * plotly.js from the {@code org.webjars.npm:plotly.js-dist} WebJar on the class path, for pages and
 * notebooks that must work offline (never a CDN). Version 2.x because plotly.js 3 drops the layout
 * titles tablesaw-jsplot writes.
 */
public final class PlotlyJs {

    /** The plotly.js version the WebJar provides. */
    public static final String VERSION = "2.35.3";

    private static final String RESOURCE = "META-INF/resources/webjars/plotly.js-dist/" + VERSION + "/plotly.js";

    private static volatile String source;

    private PlotlyJs() {
    }

    /** The whole plotly.js source (about 10 MB), read once. */
    public static String source() {
        String s = source;
        if (s == null) {
            synchronized (PlotlyJs.class) {
                if (source == null) {
                    source = read();
                }
                s = source;
            }
        }
        return s;
    }

    /**
     * {@code <script>…plotly.js…</script>}, defining {@code window.Plotly} also on pages that load
     * require.js (the classic Jupyter Notebook does).
     */
    public static String scriptTag() {
        // plotly.js's UMD header prefers an AMD define() over window.Plotly; under require.js that
        // anonymous define() never reaches window, so the figure scripts would find no Plotly. Hide
        // define while plotly.js runs, then restore it. "</script" cannot occur inside a script
        // element; plotly.js has none, but be safe.
        return "<script type=\"text/javascript\">\n(function () { var amd = window.define; window.define = undefined; try {\n"
                + source().replace("</script", "<\\/script")
                + "\n} finally { window.define = amd; } })();\n</script>";
    }

    private static String read() {
        try (InputStream in = PlotlyJs.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("plotly.js " + VERSION + " not on the class path: add org.webjars.npm:plotly.js-dist:" + VERSION);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
