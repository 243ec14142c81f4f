package org.deqnc.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigException;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.config.DidYouMean;
import org.deqnc.train.Experiment;

/**
 * One declaration of an experiment grid: the sweep's own settings ({@link #SCHEMA}: name, output directory,
 * workers, backend), a base {@link Experiment} configuration and axes, each an experiment key with a list of
 * values. {@link #cells()} expands the axes in declaration order, the first axis varying slowest.
 *
 * <pre>{@code
 * Grid g = Grid.parse("""
 *         name = imbalanced
 *         dataset = fashion-mnist
 *         epochs = 10
 *         model = explicit, deq
 *         K_A = 3, 5, 7
 *         R = 10, 50, 100
 *         seed = 1, 2, 3
 *         """);
 * Grid same = Grid.builder().name("imbalanced").base("dataset", "fashion-mnist").base("epochs", 10)
 *         .axis("model", "explicit", "deq").axis("K_A", 3, 5, 7).axis("R", 10, 50, 100).axis("seed", 1, 2, 3).build();
 * }</pre>
 *
 * <p>In a body, {@code key = v1, v2, ...} is an axis and {@code key = v} a fixed value. A list-valued key
 * ({@code deq.fallback = broyden,picard}) is one fixed value; its axis separates the alternatives with
 * {@code |} ({@code deq.fallback = none | broyden,picard}). Unknown keys and bad fixed values fail the whole
 * declaration with one line; an axis value that makes an experiment invalid fails only the cells holding it
 * (see {@link Cell#error()}), so the other cells still run.
 */
public final class Grid {

    public static final ConfigKey<String> NAME = ConfigKey.ofString("name", "sweep",
            "sweep name; output in out/sweeps/<name>");
    public static final ConfigKey<String> OUT = ConfigKey.ofString("out", Experiment.DEFAULT,
            "sweep directory (grid file, cells/, results); default out/sweeps/<name> relative to the working directory");
    public static final ConfigKey<Integer> WORKERS = ConfigKey.ofInt("workers", 0, 0, 4096,
            "cells run at once (0 = one per CPU core)");
    public static final ConfigKey<String> BACKEND = ConfigKey.ofChoice("backend", LocalBackend.NAME,
            SweepBackend::names, "where cells run: local (worker processes on this machine) or slurm (one sbatch array job"
                    + " per grid, docs/cluster.md)");

    /** The sweep's own keys; every other key of a grid is an {@link Experiment} key. */
    public static final ConfigSchema SCHEMA;

    static {
        ConfigSchema.Builder b = ConfigSchema.builder("sweep").add(NAME).add(OUT).add(WORKERS).add(BACKEND);
        SlurmResources.KEYS.forEach(b::add);
        SCHEMA = b.build();
    }

    /** File name of the grid in the sweep directory, read by {@link RunCell}. */
    public static final String FILE = "grid.txt";
    /** Separates an axis's values; {@link #LIST_AXIS_SEPARATOR} for keys whose value is itself a list. */
    static final String AXIS_SEPARATOR = ",";
    static final String LIST_AXIS_SEPARATOR = "|";

    private final Config settings;
    private final Map<String, String> base;
    private final Map<String, List<String>> axes;

    private Grid(Config settings, Map<String, String> base, Map<String, List<String>> axes) {
        this.settings = settings;
        this.base = Collections.unmodifiableMap(new LinkedHashMap<>(base));
        Map<String, List<String>> a = new LinkedHashMap<>();
        axes.forEach((k, v) -> a.put(k, List.copyOf(v)));
        this.axes = Collections.unmodifiableMap(a);
        validate();
    }

    /** Parses a body of {@code key = value} and {@code key = v1, v2, ...} lines ({@code #} comments). */
    public static Grid parse(String body) {
        Builder b = builder();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : body.split("\\R")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("sweep: expected key = value or key = v1, v2, ..., got '" + line + "'");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (!seen.add(key)) {
                throw new ConfigException("sweep: key '" + key + "' given twice");
            }
            List<String> values = split(key, value);
            if (values.size() == 1) {
                b.set(key, values.get(0));
            } else {
                b.axis(key, values.toArray());
            }
        }
        return b.build();
    }

    /** Reads a grid file written by {@link Sweep} (or by hand). */
    public static Grid read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("sweep: cannot read grid file " + file + ": " + e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The sweep keys and every experiment key, as a table. */
    public static String help() {
        return SCHEMA.help() + "\n" + Experiment.help();
    }

    private static List<String> split(String key, String value) {
        boolean listKey = isListKey(key);
        String separator = listKey ? LIST_AXIS_SEPARATOR : AXIS_SEPARATOR;
        if (!value.contains(separator)) {
            return List.of(value);
        }
        List<String> out = new ArrayList<>();
        for (String v : value.split(java.util.regex.Pattern.quote(separator), -1)) {
            String t = v.trim();
            if (t.isEmpty()) {
                throw new ConfigException("sweep: " + key + ": empty value in '" + value + "' (values are separated by '"
                        + separator + "')");
            }
            out.add(t);
        }
        return out;
    }

    private static boolean isListKey(String key) {
        return Experiment.SCHEMA.key(key).map(k -> k.defaultValue() instanceof List).orElse(false);
    }

    /** The sweep's name ({@code name}). */
    public String name() {
        return settings.get(NAME);
    }

    /** The sweep directory: {@code out}, or {@code out/sweeps/<name>}. */
    public Path directory() {
        String out = settings.get(OUT);
        return out.equals(Experiment.DEFAULT) ? Path.of("out", "sweeps", name()) : Path.of(out);
    }

    /** Cells run at once: {@code workers}, or the number of CPU cores when it is 0. */
    public int workers() {
        int w = settings.get(WORKERS);
        return w > 0 ? w : Runtime.getRuntime().availableProcessors();
    }

    public String backend() {
        return settings.get(BACKEND);
    }

    /** The sweep's settings ({@link #SCHEMA}). */
    public Config settings() {
        return settings;
    }

    /** Fixed experiment values, as given. */
    public Map<String, String> base() {
        return base;
    }

    /** Axes in declaration order: experiment key to its values, as given. */
    public Map<String, List<String>> axes() {
        return axes;
    }

    /** A copy with one sweep setting or fixed experiment value changed. */
    public Grid with(String key, Object value) {
        Builder b = toBuilder();
        b.axes.remove(key);
        return b.set(key, value).build();
    }

    /** A copy with another sweep name. */
    public Grid withName(String name) {
        return with(NAME.name(), name);
    }

    private Builder toBuilder() {
        Builder b = builder();
        settings.asText().forEach((k, v) -> {
            if (!settings.isDefault(k)) {
                b.set(k, v);
            }
        });
        base.forEach(b::set);
        axes.forEach((k, v) -> b.axis(k, v.toArray()));
        return b;
    }

    /**
     * Every combination of axis values, the first axis varying slowest, each validated as an experiment named
     * {@code <sweep>-<id>}; it runs in {@code cells/<id>} of the sweep directory.
     */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        List<String> keys = new ArrayList<>(axes.keySet());
        int[] at = new int[keys.size()];
        int count = axes.values().stream().mapToInt(List::size).reduce(1, Math::multiplyExact);
        for (int index = 0; index < count; index++) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int a = 0; a < keys.size(); a++) {
                values.put(keys.get(a), axes.get(keys.get(a)).get(at[a]));
            }
            cells.add(cell(index, values));
            for (int a = keys.size() - 1; a >= 0; a--) { // odometer: the last axis turns fastest
                if (++at[a] < axes.get(keys.get(a)).size()) {
                    break;
                }
                at[a] = 0;
            }
        }
        return cells;
    }

    private Cell cell(int index, Map<String, String> axisValues) {
        Map<String, Object> values = new LinkedHashMap<>(base);
        values.putAll(axisValues);
        try {
            Experiment e = Experiment.of(values);
            String id = id(e);
            return new Cell(index, axisValues, e.withName(name() + "-" + id), id, null);
        } catch (IllegalArgumentException ex) {
            return new Cell(index, axisValues, null, null, firstLine(ex));
        }
    }

    /**
     * A cell's directory name: a hash of its effective configuration without name and output, so a cell keeps
     * its results when the grid around it changes (another seed added, an axis reordered).
     */
    private static String id(Experiment e) {
        Map<String, String> text = new LinkedHashMap<>(e.asConfig().asText());
        text.remove(Experiment.NAME.name());
        text.remove(Experiment.OUT.name());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 6));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
        }
    }

    static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The canonical text: settings that were set, fixed values, then axes; {@link #parse} reads it back. */
    public String format() {
        StringBuilder b = new StringBuilder("# deq-nc sweep grid: key = value is fixed, key = v1, v2, ... an axis\n");
        settings.asText().forEach((k, v) -> {
            if (!settings.isDefault(k)) {
                b.append(k).append(" = ").append(v).append('\n');
            }
        });
        base.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        axes.forEach((k, v) -> b.append(k).append(" = ")
                .append(String.join(isListKey(k) ? " " + LIST_AXIS_SEPARATOR + " " : AXIS_SEPARATOR + " ", v))
                .append('\n'));
        return b.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && g.format().equals(format());
    }

    @Override
    public int hashCode() {
        return format().hashCode();
    }

    /** Grid-wide rules: known keys, valid fixed values, no axis on a sweep key, no key both fixed and an axis. */
    private void validate() {
        if (!name().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new ConfigException("sweep: name must be letters, digits, '_', '.' or '-' (it names a directory), got '"
                    + name() + "'");
        }
        for (String key : axes.keySet()) {
            requireExperimentKey(key);
            if (axes.get(key).isEmpty()) {
                throw new ConfigException("sweep: axis '" + key + "' has no values");
            }
            if (key.equals(Experiment.NAME.name()) || key.equals(Experiment.OUT.name())) {
                throw new ConfigException("sweep: '" + key + "' cannot be an axis (the sweep names each cell and its directory)");
            }
        }
        base.keySet().forEach(Grid::requireExperimentKey);
        Experiment.SCHEMA.parse(base); // bad fixed values fail every cell: report them once, now
        SlurmResources.of(settings); // so do bad job resources, whatever the backend (a grid moves between them)
    }

    private static void requireExperimentKey(String key) {
        if (SCHEMA.key(key).isPresent()) {
            throw new ConfigException("sweep: '" + key + "' is a sweep setting and takes one value");
        }
        if (Experiment.SCHEMA.key(key).isEmpty()) {
            List<String> all = new ArrayList<>();
            SCHEMA.keys().forEach(k -> all.add(k.name()));
            Experiment.SCHEMA.keys().forEach(k -> all.add(k.name()));
            throw new ConfigException("sweep: unknown key '" + key + "'" + DidYouMean.hint(key, all)
                    + "; accepted keys: " + String.join(", ", all));
        }
    }

    /** Fluent builder; {@link #build()} validates like a parsed body. */
    public static final class Builder {
        private final Map<String, Object> settings = new LinkedHashMap<>();
        private final Map<String, String> base = new LinkedHashMap<>();
        private final Map<String, List<String>> axes = new LinkedHashMap<>();

        private Builder() {
        }

        /** A sweep setting ({@link #SCHEMA}) or a fixed experiment value. */
        public Builder set(String key, Object value) {
            if (SCHEMA.key(key).isPresent()) {
                settings.put(key, value);
            } else {
                base.put(key, text(value));
            }
            return this;
        }

        /** Fixed experiment values, e.g. {@code base(Experiment.parse(body))} sets every key it sets explicitly. */
        public Builder base(Experiment experiment) {
            experiment.asConfig().asText().forEach((k, v) -> {
                if (!experiment.asConfig().isDefault(k) && !k.equals(Experiment.NAME.name())
                        && !k.equals(Experiment.OUT.name())) {
                    base.put(k, v);
                }
            });
            return this;
        }

        /** A fixed experiment value. */
        public Builder base(String key, Object value) {
            return set(key, value);
        }

        /** An axis: the experiment key and its values, in the order the cells take them. */
        public Builder axis(String key, Object... values) {
            List<String> v = new ArrayList<>();
            for (Object o : values) {
                v.add(text(o));
            }
            axes.put(key, v);
            return this;
        }

        public Builder name(String name) {
            return set(NAME.name(), name);
        }

        public Builder out(Path directory) {
            return set(OUT.name(), directory.toString());
        }

        public Builder workers(int workers) {
            return set(WORKERS.name(), workers);
        }

        public Grid build() {
            for (String k : axes.keySet()) {
                if (base.containsKey(k)) {
                    throw new ConfigException("sweep: key '" + k + "' is both fixed and an axis");
                }
            }
            return new Grid(SCHEMA.parse(settings), base, axes);
        }

        private static String text(Object o) {
            if (o instanceof List<?> list) {
                return list.isEmpty() ? "none" : String.join(",", list.stream().map(String::valueOf).toList());
            }
            return o instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT) : String.valueOf(o);
        }
    }
}
