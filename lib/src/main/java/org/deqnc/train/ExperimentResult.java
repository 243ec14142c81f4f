package org.deqnc.train;

import java.nio.file.Path;
import java.util.List;

import org.deqnc.nc.NcReport;

import tech.tablesaw.api.Table;

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
