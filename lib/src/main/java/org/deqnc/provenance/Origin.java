package org.deqnc.provenance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Which notebook, with which parameters, made a saved figure or table. {@code environment/reproduce.sh} starts
 * each notebook's kernel with {@value #NOTEBOOK_ENV} (the notebook's file name) and {@value #PARAMETERS_ENV} (a
 * JSON object of the injected parameters); once the parameters cells have run it calls {@link #capture} with the
 * effective values of every parameter. The figure writers then record that origin in the file itself: a PNG
 * {@code tEXt} chunk with keyword {@value #PNG_KEYWORD}, an SVG {@code <metadata>} element, an HTML
 * {@code <script type="application/json" id="deqnc-provenance">}; formats without a place for it (CSV) get a
 * sidecar {@code <file>}{@value #SIDECAR_SUFFIX}. The record is one JSON object,
 * {@code {"notebook": "...", "parameters": {...}}}, with every non-ASCII character and every {@code < > & ' =}
 * written as a {@code \\uXXXX} escape, so it is the same bytes in all four places and needs no further escaping.
 * Outside such a run (a notebook opened in Jupyter by hand) there is no origin and files are written unchanged.
 */
public final class Origin {

    /** The environment variable holding the notebook's file name. */
    public static final String NOTEBOOK_ENV = "DEQNC_NOTEBOOK";
    /** The environment variable holding the parameters known when the kernel started, as a JSON object. */
    public static final String PARAMETERS_ENV = "DEQNC_PARAMETERS";
    /** The keyword of the PNG {@code tEXt} chunk. */
    public static final String PNG_KEYWORD = "deqnc-provenance";
    /** Appended to a file's name for its sidecar. */
    public static final String SIDECAR_SUFFIX = ".provenance.json";
    /** The id of the HTML script element and the SVG metadata child. */
    public static final String ELEMENT_ID = "deqnc-provenance";

    // Gson's default HTML-safe escaping turns < > & ' = into \\u escapes: safe inside XML, HTML script and PNG text.
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls().create();
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static volatile Origin captured;
    // Seeds come from the code that runs (a grid's cells, an experiment), not from the parameters cell alone: the
    // experiment notebooks write theirs inside a configuration text.
    private static final java.util.SortedSet<Long> SEEDS_USED = java.util.Collections.synchronizedSortedSet(new java.util.TreeSet<>());

    private final String notebook;
    private final JsonObject parameters;

    private Origin(String notebook, JsonObject parameters) {
        this.notebook = notebook;
        this.parameters = parameters;
    }

    /** The notebook's file name. */
    public String notebook() {
        return notebook;
    }

    /** The parameters, as JSON. */
    public JsonObject parameters() {
        return parameters.deepCopy();
    }

    /**
     * The origin of what this process writes now: the last {@link #capture}, else the environment, else none.
     *
     * @throws IllegalStateException if {@value #PARAMETERS_ENV} is not a JSON object
     */
    public static Optional<Origin> current() {
        Origin o = captured;
        return o != null ? Optional.of(o) : fromEnvironment(System.getenv());
    }

    static Optional<Origin> fromEnvironment(Map<String, String> env) {
        String notebook = env.get(NOTEBOOK_ENV);
        if (notebook == null || notebook.isBlank()) {
            return Optional.empty();
        }
        String json = env.getOrDefault(PARAMETERS_ENV, "{}");
        try {
            JsonElement e = JsonParser.parseString(json.isBlank() ? "{}" : json);
            if (!e.isJsonObject()) {
                throw new JsonParseException("not an object");
            }
            return Optional.of(new Origin(notebook, e.getAsJsonObject()));
        } catch (JsonParseException e) {
            throw new IllegalStateException(PARAMETERS_ENV + ": must be a JSON object of parameter values, got '" + json + "'");
        }
    }

    /**
     * Records the effective parameters of {@code notebook}, given as alternating names and values (Java values:
     * numbers, booleans, strings, arrays, lists, enums), as the origin of everything written from now on in this
     * process, and returns them as a JSON object.
     */
    public static String capture(String notebook, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues: must alternate names and values, got " + namesAndValues.length + " items");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String name)) {
                throw new IllegalArgumentException("namesAndValues: item " + i + " must be a parameter name, got " + namesAndValues[i]);
            }
            values.put(name, namesAndValues[i + 1]);
        }
        JsonObject parameters = GSON.toJsonTree(values).getAsJsonObject();
        captured = new Origin(notebook, parameters);
        return ascii(GSON.toJson(parameters));
    }

    /** Notes that this process trains, or collects the results of, a run with {@code seed}. */
    public static void noteSeed(long seed) {
        SEEDS_USED.add(seed);
    }

    /** The seeds {@link #noteSeed noted} in this process, in increasing order. */
    public static java.util.List<Long> seedsUsed() {
        synchronized (SEEDS_USED) {
            return java.util.List.copyOf(SEEDS_USED);
        }
    }

    /** Forgets a {@link #capture}, so {@link #current} reads the environment again. */
    public static void clearCapture() {
        captured = null;
    }

    /** The record: {@code {"notebook": ..., "parameters": {...}}}, one line of ASCII. */
    public String json() {
        JsonObject o = new JsonObject();
        o.addProperty("notebook", notebook);
        o.add("parameters", parameters);
        return ascii(GSON.toJson(o));
    }

    /** The PNG with the current origin in a {@code tEXt} chunk right after the header; unchanged if there is none. */
    public static byte[] png(byte[] png) {
        return current().map(o -> o.stampPng(png)).orElse(png);
    }

    /** The SVG document with the current origin in a {@code <metadata>} element; unchanged if there is none. */
    public static String svg(String svg) {
        return current().map(o -> o.stampSvg(svg)).orElse(svg);
    }

    /** The HTML page with the current origin in a JSON script element in its head; unchanged if there is none. */
    public static String html(String html) {
        return current().map(o -> o.stampHtml(html)).orElse(html);
    }

    /**
     * Writes {@code file}{@value #SIDECAR_SUFFIX} with the current origin and returns its path; writes nothing and
     * returns empty if there is none.
     */
    public static Optional<Path> sidecar(Path file) {
        return current().map(o -> o.writeSidecar(file));
    }

    byte[] stampPng(byte[] png) {
        if (png.length < 33 || !Arrays.equals(Arrays.copyOf(png, 8), PNG_SIGNATURE)) {
            throw new IllegalArgumentException("png: not a PNG image (no PNG signature)");
        }
        int headerEnd = 8 + 12 + ByteBuffer.wrap(png, 8, 4).getInt(); // signature, IHDR length+type+data+CRC
        byte[] data = (PNG_KEYWORD + "\0" + json()).getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + data.length + 12);
        out.write(png, 0, headerEnd);
        byte[] type = "tEXt".getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(type);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(png, headerEnd, png.length - headerEnd);
        return out.toByteArray();
    }

    String stampSvg(String svg) {
        int open = svg.indexOf("<svg");
        int end = open < 0 ? -1 : svg.indexOf('>', open);
        if (end < 0) {
            throw new IllegalArgumentException("svg: no <svg> element");
        }
        return svg.substring(0, end + 1) + "\n<metadata id=\"" + ELEMENT_ID + "\">" + json() + "</metadata>" + svg.substring(end + 1);
    }

    String stampHtml(String html) {
        int head = html.indexOf("</head>");
        if (head < 0) {
            throw new IllegalArgumentException("html: no </head> to put the provenance before");
        }
        return html.substring(0, head) + "<script type=\"application/json\" id=\"" + ELEMENT_ID + "\">" + json() + "</script>\n"
                + html.substring(head);
    }

    Path writeSidecar(Path file) {
        Path sidecar = file.resolveSibling(file.getFileName() + SIDECAR_SUFFIX);
        try {
            Files.writeString(sidecar, json() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("sidecar: cannot write " + sidecar + ": " + e.getMessage(), e);
        }
        return sidecar;
    }

    private static String ascii(String json) {
        StringBuilder b = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
