package org.deqnc.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import ai.djl.pytorch.jni.JniUtils;

import org.deqnc.engine.Engines;

import org.deqnc.nc.NcReport;
import org.deqnc.solver.SolverInterruptedException;

/**
 * Runs an {@link Experiment}: per epoch it trains, evaluates, and writes into the run directory
 * <ul>
 *   <li>{@value #METRICS_FILE}: one row per epoch, columns {@link EpochMetrics#COLUMNS} (byte-identical for the
 *       same experiment: no timings in it);</li>
 *   <li>{@value Checkpoint#FILE}: parameters, optimiser state and the rows so far, replaced atomically, so a
 *       killed process loses at most the epoch in progress;</li>
 *   <li>{@value Provenance#FILE}: configuration, seed, git commit, versions, start/end time, epoch wall times.</li>
 * </ul>
 * An interrupt of the running thread is noticed before the next batch (or solver iteration) and ends the run
 * with an {@link ExperimentInterruptedException}; {@link #resume} continues from the last checkpoint and
 * produces exactly the metrics file an uninterrupted run would have.
 *
 * <pre>{@code
 * Experiment e = Experiment.parse("model = deq\ndataset = synthetic\nepochs = 3").withName("demo");
 * ExperimentResult r = ExperimentRunner.run(e, p -> System.out.println(p));
 * Table t = r.metrics();                       // epoch, lr, train_loss, ..., nc1, nc2, nc3, nc4, ...
 * // after an interrupt:
 * ExperimentResult again = ExperimentRunner.resume(Path.of("out/runs/demo"), ProgressListener.NONE);
 * }</pre>
 */
public final class ExperimentRunner {

    /** The metrics file in the run directory. */
    public static final String METRICS_FILE = "metrics.csv";

    private ExperimentRunner() {
    }

    /** {@link #run(Experiment, ProgressListener)} without progress reports. */
    public static ExperimentResult run(Experiment experiment) {
        return run(experiment, ProgressListener.NONE);
    }

    /** Trains from scratch in {@link Experiment#outDirectory()}; see {@link #run(Experiment, Path, ProgressListener)}. */
    public static ExperimentResult run(Experiment experiment, ProgressListener listener) {
        return run(experiment, experiment.outDirectory(), listener);
    }

    /**
     * Trains from scratch with its output in {@code directory} (created if needed), replacing an earlier run's
     * metrics and checkpoint there.
     */
    public static ExperimentResult run(Experiment experiment, Path directory, ProgressListener listener) {
        return withoutGradMode(() -> {
            try (Run run = new Run(experiment)) { // reads the data first: a bad data_dir keeps an old run intact
                try {
                    Files.createDirectories(directory);
                    Files.deleteIfExists(directory.resolve(Checkpoint.FILE));
                    Files.deleteIfExists(directory.resolve(METRICS_FILE));
                } catch (IOException e) {
                    throw new UncheckedIOException(directory + ": cannot prepare the run directory: " + e.getMessage(),
                            e);
                }
                return execute(run, directory, Provenance.start(experiment), listener);
            }
        });
    }

    /** {@link #resume(Path, ProgressListener)} without progress reports. */
    public static ExperimentResult resume(Path directory) {
        return resume(directory, ProgressListener.NONE);
    }

    /**
     * Continues the run in {@code directory} from its checkpoint (after the last completed epoch) with the
     * checkpointed experiment; output stays in {@code directory}. A finished run only recomputes its final NC
     * report.
     */
    public static ExperimentResult resume(Path directory, ProgressListener listener) {
        Checkpoint c = Checkpoint.read(directory);
        Experiment experiment = Experiment.parse(c.experiment());
        return withoutGradMode(() -> {
            try (Run run = new Run(experiment)) {
                run.restore(c);
                return execute(run, directory, Provenance.resume(experiment, directory, run.epochsDone()), listener);
            }
        });
    }

    /** Whether {@code directory} holds a checkpoint that {@link #resume} continues from. */
    public static boolean hasCheckpoint(Path directory) {
        return Files.isRegularFile(directory.resolve(Checkpoint.FILE));
    }

    /**
     * The rows of the metrics file in {@code directory}: every epoch completed so far (empty when there is none
     * yet), without starting the engine.
     */
    public static List<EpochMetrics> metrics(Path directory) {
        Path file = directory.resolve(METRICS_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return MetricsCsv.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code body} with PyTorch's thread-local grad mode off, restoring it after. Only the engine's loading
     * thread starts with it off; on any other thread (a kernel's worker, a test's) the in-place parameter updates
     * would otherwise be refused and inference would record graphs.
     */
    private static ExperimentResult withoutGradMode(Supplier<ExperimentResult> body) {
        Engines.pytorch(); // loads the engine before its JNI calls
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    private static ExperimentResult execute(Run run, Path dir, Provenance provenance, ProgressListener listener) {
        Experiment e = run.experiment();
        int first = run.epochsDone();
        long total = Math.max(1, e.epochs() - first) * run.batchesPerEpoch();
        List<EpochMetrics> rows = run.rows();
        Ticker ticker = new Ticker(listener, e.name(), dir, e.epochs(), total, run::epochsDone,
                () -> rows.isEmpty() ? null : rows.get(rows.size() - 1));
        provenance.write(dir, "running", first);
        try {
            for (int epoch = first; epoch < e.epochs(); epoch++) {
                long t0 = System.nanoTime();
                EpochMetrics m = run.epoch(epoch, ticker);
                // an interrupt flag left set would close the file channels mid-write: hold it until saved
                boolean stop = Thread.interrupted() | ticker.cancelRequested();
                AtomicFiles.writeString(dir.resolve(METRICS_FILE), MetricsCsv.format(rows));
                run.checkpoint().write(dir);
                provenance.epochDone((System.nanoTime() - t0) / 1e9);
                provenance.write(dir, "running", epoch + 1);
                listener.onEpoch(m);
                if ((stop || Thread.interrupted() || ticker.cancelRequested()) && epoch + 1 < e.epochs()) {
                    throw ticker.interrupted("epoch " + (epoch + 1) + " (after its checkpoint)");
                }
            }
            NcReport report = first == e.epochs() ? run.report(ticker) : run.lastReport();
            if (first == e.epochs()) {
                AtomicFiles.writeString(dir.resolve(METRICS_FILE), MetricsCsv.format(rows));
            }
            provenance.write(dir, "completed", e.epochs());
            return new ExperimentResult(e, rows, report, dir);
        } catch (ExperimentInterruptedException ex) {
            provenance.write(dir, "interrupted", run.epochsDone());
            throw ex;
        } catch (SolverInterruptedException ex) {
            Thread.interrupted(); // the solver re-set the flag; the exception below is the signal
            provenance.write(dir, "interrupted", run.epochsDone());
            throw ticker.interrupted("a solver iteration of epoch " + (run.epochsDone() + 1));
        }
    }
}
