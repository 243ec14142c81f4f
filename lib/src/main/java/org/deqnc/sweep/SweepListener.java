package org.deqnc.sweep;

/** Receives a sweep's progress (e.g. a notebook progress bar), on the thread that runs the sweep. */
@FunctionalInterface
public interface SweepListener {

    SweepListener NONE = p -> {
    };

    /** A few times per second while cells run, and once at the end. */
    void onProgress(SweepProgress progress);

    /** When a cell ends: its outcome (completed, or failed with the reason). */
    default void onCellEnded(CellOutcome outcome) {
    }

    /** Once, after the last {@link #onProgress} of a sweep that ran to its end (not after an interrupt). */
    default void onFinished() {
    }
}
