package org.deqnc.train;

import java.time.Duration;

/**
 * Where a run stands, passed to a {@link ProgressListener} after every batch.
 *
 * @param phase          {@code train}, {@code eval-train} (NC and accuracy pass over the training set) or
 *                       {@code eval-test}
 * @param epoch          1-based epoch in progress
 * @param epochs         total epochs
 * @param batch          1-based batch within this phase
 * @param batches        batches in this phase
 * @param done           batches done by this invocation (all phases)
 * @param total          batches this invocation will do (all phases, remaining epochs)
 * @param elapsed        time since this invocation started
 * @param eta            estimated time left: elapsed per batch so far times batches left
 * @param trainLoss      mean training loss of the epoch so far (NaN outside the train phase)
 * @param latest         metrics of the last completed epoch, or null before the first
 */
public record Progress(String phase, int epoch, int epochs, int batch, int batches, long done, long total,
        Duration elapsed, Duration eta, double trainLoss, EpochMetrics latest) {

    /** Fraction of this invocation's batches done, in [0, 1]. */
    public double fraction() {
        return total == 0 ? 1 : (double) done / total;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d %s batch %d/%d, %.0f%%, eta %ds", epoch, epochs,
                phase, batch, batches, 100 * fraction(), eta.toSeconds());
    }
}
