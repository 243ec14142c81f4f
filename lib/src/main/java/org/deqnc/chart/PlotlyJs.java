package org.deqnc.chart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * plotly.js from the {@code org.webjars.npm:plotly.js-dist} WebJar on the class path, for pages and
 * notebooks that must work offline (never a CDN). Version 2.x because plotly.js 3 drops the layout
 * titles tablesaw-jsplot writes.
 */
public final class PlotlyJs {

    /** The plotly.js version the WebJar provides. */
    public static final String VERSION = "2.35.3";

    /**
     * The file name of the shared copy that saved HTML figures load with a relative {@code <script src>}: one
     * per folder instead of 10.8 MB inlined in every page. (The WebJar ships only the unminified build.)
     */
    public static final String SHARED_FILE = "plotly-" + VERSION + ".js";

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

    /**
     * Writes plotly.js as {@value #SHARED_FILE} into {@code directory} unless an identical copy is there already
     * (a figure saved again rewrites nothing); returns the file. Written to a temporary file and moved, so a page
     * opened meanwhile never sees half a script.
     */
    public static Path writeShared(Path directory) {
        Path target = directory.resolve(SHARED_FILE);
        byte[] bytes = source().getBytes(StandardCharsets.UTF_8);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return target;
            }
            Files.createDirectories(directory);
            Path tmp = directory.resolve(SHARED_FILE + "." + ProcessHandle.current().pid() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("plotly.js: cannot write " + target + ": " + e.getMessage(), e);
        }
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
