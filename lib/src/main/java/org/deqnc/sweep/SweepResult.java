package org.deqnc.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.deqnc.config.ConfigKey;
import org.deqnc.train.AtomicFiles;
import org.deqnc.train.EpochMetrics;
import org.deqnc.train.Experiment;
import org.deqnc.train.ExperimentResult;
import org.deqnc.train.ExperimentRunner;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The cells of a grid as they stand in its sweep directory, as tidy tables: {@link #table()} one row per cell and
 * epoch, {@link #summary()} one row per cell (its last epoch), {@link #overSeeds} mean and spread over seeds.
 * Every axis is a column, typed like its key (integer, double, boolean or text); rows follow the cells' order.
 * Only files are read, so the result of an interrupted or still running sweep can be collected too.
 */
public final class SweepResult {

    /** The axis that {@link #overSeeds} aggregates over. */
    public static final String SEED = Experiment.SEED.name();
    /** The first column of the tables: the cell's index in the grid. */
    public static final String CELL = "cell";
    /** {@link #table()} as CSV in the sweep directory: byte-identical for the same grid and code. */
    public static final String TABLE_FILE = "results.csv";
    public static final String SUMMARY_FILE = "summary.csv";

    private final Grid grid;
    private final Path directory;
    private final List<CellOutcome> outcomes;

    private SweepResult(Grid grid, Path directory, List<CellOutcome> outcomes) {
        this.grid = grid;
        this.directory = directory;
        this.outcomes = List.copyOf(outcomes);
    }

    /** Reads the cells of {@code grid} from its directory. */
    public static SweepResult read(Grid grid) {
        return read(grid, grid.directory());
    }

    /** Reads the cells of {@code grid} from {@code directory}. */
    public static SweepResult read(Grid grid, Path directory) {
        return new SweepResult(grid, directory,
                grid.cells().stream().map(c -> CellOutcome.read(c, directory)).toList());
    }

    /** Reads the sweep whose grid file is {@code directory/grid.txt}. */
    public static SweepResult read(Path directory) {
        return read(Grid.read(directory.resolve(Grid.FILE)), directory);
    }

    public Grid grid() {
        return grid;
    }

    public Path directory() {
        return directory;
    }

    /** Every cell's outcome, in grid order. */
    public List<CellOutcome> outcomes() {
        return outcomes;
    }

    /**
     * The cells whose axes take every given value, e.g. {@code cells("model=deq", "K_A=3")}; a value matches as
     * declared or in its canonical form ({@code R=10} finds {@code R = 10.0}). Unknown axes fail naming the axes.
     */
    public List<CellOutcome> cells(String... keyEqualsValue) {
        List<CellOutcome> out = new ArrayList<>(outcomes);
        for (String kv : keyEqualsValue) {
            int eq = kv.indexOf('=');
            String key = eq > 0 ? kv.substring(0, eq).trim() : "";
            if (!grid.axes().containsKey(key)) {
                throw new IllegalArgumentException("cells: expected axis=value with an axis of " + String.join(", ",
                        grid.axes().keySet()) + ", got '" + kv + "'");
            }
            String value = kv.substring(eq + 1).trim();
            String canonical = canonical(key, value);
            out.removeIf(o -> !value.equals(o.cell().axisValues().get(key)) && !(o.cell().valid()
                    && o.cell().experiment().asConfig().asText().get(key).equals(canonical)));
        }
        return out;
    }

    /**
     * The finished run of a completed cell, reloaded from its checkpoint in this process (nothing trains; the
     * final NC report is recomputed), e.g. for its network's features.
     */
    public ExperimentResult run(CellOutcome cell) {
        if (!cell.completed()) {
            throw new IllegalArgumentException(cell.cell().label() + ": not completed (" + cell.status().text()
                    + (cell.error() == null ? "" : ": " + cell.error()) + ")");
        }
        return ExperimentRunner.resume(cell.directory());
    }

    public List<CellOutcome> failed() {
        return outcomes.stream().filter(o -> o.status() == CellOutcome.Status.FAILED).toList();
    }

    public long completedCount() {
        return outcomes.stream().filter(CellOutcome::completed).count();
    }

    public boolean allCompleted() {
        return completedCount() == outcomes.size();
    }

    /**
     * One row per completed cell and epoch: {@code cell}, the axis columns, then {@link EpochMetrics#COLUMNS}
     * ({@code epoch} int, the rest double).
     */
    public Table table() {
        Table t = Table.create(grid.name());
        List<Column<?>> axes = axisColumns();
        IntColumn cell = IntColumn.create(CELL);
        t.addColumns(cell);
        axes.forEach(t::addColumns);
        IntColumn epoch = IntColumn.create("epoch");
        t.addColumns(epoch);
        List<String> metrics = EpochMetrics.COLUMNS.subList(1, EpochMetrics.COLUMNS.size());
        metrics.forEach(m -> t.addColumns(DoubleColumn.create(metricColumn(m))));
        for (CellOutcome o : outcomes) {
            if (!o.completed()) {
                continue;
            }
            for (EpochMetrics row : ExperimentRunner.metrics(o.directory())) {
                cell.append(o.cell().index());
                appendAxes(axes, o.cell());
                epoch.append(row.epoch());
                metrics.forEach(m -> t.doubleColumn(metricColumn(m)).append(row.get(m)));
            }
        }
        return t;
    }

    /**
     * One row per cell, completed or not: {@code cell}, the axis columns, {@code status} (completed, failed,
     * pending), {@code error}, {@code epochs} done, and the last epoch's metrics (NaN when none).
     */
    public Table summary() {
        Table t = Table.create(grid.name() + " summary");
        List<Column<?>> axes = axisColumns();
        IntColumn cell = IntColumn.create(CELL);
        StringColumn status = StringColumn.create("status");
        StringColumn error = StringColumn.create("error");
        IntColumn epochs = IntColumn.create("epochs");
        t.addColumns(cell);
        axes.forEach(t::addColumns);
        t.addColumns(status, error, epochs);
        List<String> metrics = EpochMetrics.COLUMNS.subList(1, EpochMetrics.COLUMNS.size());
        metrics.forEach(m -> t.addColumns(DoubleColumn.create(metricColumn(m))));
        for (CellOutcome o : outcomes) {
            cell.append(o.cell().index());
            appendAxes(axes, o.cell());
            status.append(o.status().text());
            error.append(o.error() == null ? "" : o.error());
            List<EpochMetrics> rows = o.directory() == null ? List.of() : ExperimentRunner.metrics(o.directory());
            epochs.append(rows.size());
            EpochMetrics last = o.completed() && !rows.isEmpty() ? rows.get(rows.size() - 1) : null;
            metrics.forEach(m -> t.doubleColumn(metricColumn(m)).append(last == null ? Double.NaN : last.get(m)));
        }
        return t;
    }

    /**
     * Mean and spread ({@link Spread}) of the final {@code metrics} over seeds, grouped by every other axis (without
     * a seed axis each group is one cell): {@code n} completed cells are aggregated, and {@code not_completed}
     * counts the group's cells that failed (e.g. diverged) or have not run, so a missing seed stays visible.
     */
    public Table overSeeds(String... metrics) {
        Table s = summary();
        StringColumn status = s.stringColumn("status");
        Table t = Spread.over(s, groupKeys(), List.of(metrics),
                r -> status.get(r).equals(CellOutcome.Status.COMPLETED.text()));
        t.column("excluded").setName("not_completed");
        return t.setName(grid.name() + ": final epoch over seeds");
    }

    /** Mean and spread of {@code metrics} over seeds per epoch (curves with bands), grouped by the other axes. */
    public Table curvesOverSeeds(String... metrics) {
        List<String> keys = new ArrayList<>(groupKeys());
        keys.add("epoch");
        return Spread.over(table(), keys, List.of(metrics)).setName(grid.name() + ": per epoch over seeds");
    }

    /** {@code value} of experiment key {@code key} as the configuration writes it, or null if the key rejects it. */
    private static String canonical(String key, String value) {
        try {
            return Experiment.SCHEMA.parse(java.util.Map.of(key, value)).asText().get(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private List<String> groupKeys() {
        return grid.axes().keySet().stream().filter(k -> !k.equals(SEED)).toList();
    }

    /**
     * The table as CSV: {@code cell}, the axis values as declared, then each cell's metrics file's rows verbatim,
     * so equal runs give equal bytes.
     */
    public String tableCsv() {
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>();
        header.add(CELL);
        header.addAll(grid.axes().keySet());
        header.addAll(EpochMetrics.COLUMNS);
        b.append(csvLine(header));
        for (CellOutcome o : outcomes) {
            if (!o.completed()) {
                continue;
            }
            List<String> prefix = new ArrayList<>();
            prefix.add(String.valueOf(o.cell().index()));
            prefix.addAll(o.cell().axisValues().values());
            String lead = csvLine(prefix).stripTrailing() + ",";
            List<String> lines = readLines(o.directory().resolve(ExperimentRunner.METRICS_FILE));
            lines.subList(1, lines.size()).forEach(l -> b.append(lead).append(l).append('\n'));
        }
        return b.toString();
    }

    /** Writes {@link #TABLE_FILE} and {@link #SUMMARY_FILE} into the sweep directory. */
    void write() {
        AtomicFiles.writeString(directory.resolve(TABLE_FILE), tableCsv());
        java.io.StringWriter summary = new java.io.StringWriter();
        summary().write().csv(summary);
        AtomicFiles.writeString(directory.resolve(SUMMARY_FILE), summary.toString());
    }

    public Path tableFile() {
        return directory.resolve(TABLE_FILE);
    }

    @Override
    public String toString() {
        List<CellOutcome> failed = failed();
        long pending = outcomes.size() - completedCount() - failed.size();
        return "sweep " + grid.name() + ": " + outcomes.size() + " cells, " + completedCount() + " completed, "
                + failed.size() + " failed" + (pending > 0 ? ", " + pending + " pending" : "") + " in " + directory
                + failed.stream().map(o -> "\n  " + o).collect(Collectors.joining());
    }

    /**
     * The table column of a per-epoch metric: its own name, or {@code epoch_<name>} where an axis has that name
     * (an {@code lr} axis is the configured rate, the metric {@code lr} the rate an epoch used after decay).
     */
    public String metricColumn(String metric) {
        return grid.axes().containsKey(metric) ? "epoch_" + metric : metric;
    }

    private List<Column<?>> axisColumns() {
        List<Column<?>> out = new ArrayList<>();
        for (String k : grid.axes().keySet()) {
            Object d = Experiment.SCHEMA.key(k).<Object>map(ConfigKey::defaultValue).orElse("");
            out.add(d instanceof Integer ? IntColumn.create(k) : d instanceof Long ? LongColumn.create(k)
                    : d instanceof Double ? DoubleColumn.create(k) : d instanceof Boolean ? BooleanColumn.create(k)
                    : StringColumn.create(k));
        }
        return out;
    }

    /** The cell's value of each axis, typed; a value the key rejects (an invalid cell) is missing. */
    private static void appendAxes(List<Column<?>> axes, Cell cell) {
        for (Column<?> c : axes) {
            String v = cell.valid() ? cell.experiment().asConfig().asText().get(c.name()) : cell.axisValues().get(c.name());
            try {
                if (c instanceof IntColumn ic) {
                    ic.append(Integer.parseInt(v));
                } else if (c instanceof LongColumn lc) {
                    lc.append(Long.parseLong(v));
                } else if (c instanceof DoubleColumn dc) {
                    dc.append(Double.parseDouble(v));
                } else if (c instanceof BooleanColumn bc) {
                    bc.append(Boolean.parseBoolean(v));
                } else {
                    ((StringColumn) c).append(v);
                }
            } catch (NumberFormatException e) {
                c.appendMissing();
            }
        }
    }

    private static String csvLine(List<String> cells) {
        return cells.stream().map(s -> s.matches("[^,\"\\s]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"")
                .collect(Collectors.joining(",")) + "\n";
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
