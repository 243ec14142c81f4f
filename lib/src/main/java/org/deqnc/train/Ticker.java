package org.deqnc.train;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Per-batch bookkeeping of one runner invocation: checks for an interrupt before each batch and reports
 * progress after it, with an ETA from the mean batch time so far.
 */
final class Ticker {

    private final ProgressListener listener;
    private final String name;
    private final Path directory;
    private final int epochs;
    private final long total;
    private final Supplier<Integer> epochsDone;
    private final Supplier<EpochMetrics> latest;
    private final long start = System.nanoTime();
    private long done;

    Ticker(ProgressListener listener, String name, Path directory, int epochs, long total,
            Supplier<Integer> epochsDone, Supplier<EpochMetrics> latest) {
        this.listener = listener;
        this.name = name;
        this.directory = directory;
        this.epochs = epochs;
        this.total = total;
        this.epochsDone = epochsDone;
        this.latest = latest;
    }

    /**
     * Throws {@link ExperimentInterruptedException} when the thread was interrupted (clearing the flag) or the
     * listener asks to cancel.
     */
    void checkInterrupt(String phase, int epoch, int batch, int batches) {
        if (Thread.interrupted() || cancelRequested()) {
            throw interrupted(phase + " batch " + batch + "/" + batches + " of epoch " + (epoch + 1));
        }
    }

    /** Whether the listener asks to stop. */
    boolean cancelRequested() {
        return listener.cancelRequested();
    }

    /** The exception for an interrupt noticed at {@code where}. */
    ExperimentInterruptedException interrupted(String where) {
        int doneEpochs = epochsDone.get();
        String saved = doneEpochs == 0 ? "no epoch was completed, nothing is checkpointed"
                : "epochs 1-" + doneEpochs + " are checkpointed in " + directory
                        + "; continue with ExperimentRunner.resume(Path.of(\"" + directory + "\"), listener)";
        return new ExperimentInterruptedException("experiment '" + name + "': interrupted in " + where + "; "
                + saved, directory, doneEpochs);
    }

    void step(String phase, int epoch, int batch, int batches, double trainLoss) {
        done++;
        long elapsed = System.nanoTime() - start;
        long eta = done == 0 ? 0 : (long) ((double) elapsed / done * Math.max(0, total - done));
        listener.onProgress(new Progress(phase, epoch + 1, epochs, batch, batches, done, total,
                Duration.ofNanos(elapsed), Duration.ofNanos(eta), trainLoss, latest.get()));
    }
}
