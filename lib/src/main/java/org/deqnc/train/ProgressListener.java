package org.deqnc.train;

/**
 * Receives a run's progress (e.g. a notebook progress bar). Called on the training thread after every batch,
 * so implementations must be cheap: render at most every few hundred milliseconds.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener NONE = p -> {
    };

    /** After each batch of any phase. */
    void onProgress(Progress progress);

    /** After each completed (and checkpointed) epoch. */
    default void onEpoch(EpochMetrics metrics) {
    }

    /**
     * Polled before every batch and after every epoch: {@code true} stops the run like a thread interrupt (an
     * {@link ExperimentInterruptedException} after the last checkpoint), e.g. for a cancel button or flag.
     */
    default boolean cancelRequested() {
        return false;
    }
}
