package org.deqnc.train;

import java.nio.file.Path;
import java.util.List;

import org.deqnc.nc.NcReport;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** A finished run: its metrics per epoch, the final NC report and where its files are. */
public final class ExperimentResult {

    private final Experiment experiment;
    private final List<EpochMetrics> epochs;
    private final NcReport finalReport;
    private final Path directory;

    ExperimentResult(Experiment experiment, List<EpochMetrics> epochs, NcReport finalReport, Path directory) {
        this.experiment = experiment;
        this.epochs = List.copyOf(epochs);
        this.finalReport = finalReport;
        this.directory = directory;
    }

    public Experiment experiment() {
        return experiment;
    }

    /** One row per epoch, columns {@link EpochMetrics#COLUMNS} ({@code epoch} int, the rest double). */
    public Table metrics() {
        return MetricsCsv.table(experiment.name(), epochs);
    }

    /**
     * {@link #metrics()} with the values of the given configuration keys as leading columns (e.g. {@code model},
     * {@code seed}, {@code K_A}, {@code R}), so that the tables of many runs append into one tidy table.
     */
    public Table metrics(String... keys) {
        Table m = metrics();
        Table t = Table.create(m.name());
        for (String key : keys) {
            t.addColumns(constantColumn(key, experiment.asConfig().get(key), m.rowCount()));
        }
        return t.addColumns(m.columnArray());
    }

    private static Column<?> constantColumn(String name, Object value, int rows) {
        if (value instanceof Integer i) {
            return IntColumn.create(name, java.util.Collections.nCopies(rows, i).toArray(new Integer[0]));
        }
        if (value instanceof Long l) {
            return LongColumn.create(name, java.util.stream.LongStream.generate(() -> l).limit(rows).toArray());
        }
        if (value instanceof Double d) {
            return DoubleColumn.create(name, java.util.stream.DoubleStream.generate(() -> d).limit(rows).toArray());
        }
        String text = value instanceof Enum<?> e ? Experiment.lower(e) : String.valueOf(value);
        return StringColumn.create(name, java.util.Collections.nCopies(rows, text));
    }

    /** The rows of {@link #metrics()}. */
    public List<EpochMetrics> epochs() {
        return epochs;
    }

    /** The last epoch's row. */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }

    /** The NC report on the training features and classifier after the last epoch. */
    public NcReport finalReport() {
        return finalReport;
    }

    /** The run directory. */
    public Path directory() {
        return directory;
    }

    public Path metricsCsv() {
        return directory.resolve(ExperimentRunner.METRICS_FILE);
    }

    public Path provenanceJson() {
        return directory.resolve(Provenance.FILE);
    }

    public Path checkpoint() {
        return directory.resolve(Checkpoint.FILE);
    }

    @Override
    public String toString() {
        return experiment.name() + " (" + experiment.model().name().toLowerCase(java.util.Locale.ROOT) + ", "
                + epochs.size() + " epochs) in " + directory + "; " + last();
    }
}
