package org.deqnc.train;

import java.nio.file.Path;

/**
 * A run stopped because its thread was interrupted. Completed epochs are checkpointed in {@link #directory()};
 * {@link ExperimentRunner#resume(Path, ProgressListener)} continues from there. The interrupt is consumed:
 * this exception is the signal, and the thread's interrupt flag is left clear so that the caller (e.g. a
 * notebook kernel) can go on using DJL.
 */
public class ExperimentInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient Path directory;
    private final int epochsDone;

    public ExperimentInterruptedException(String message, Path directory, int epochsDone) {
        super(message);
        this.directory = directory;
        this.epochsDone = epochsDone;
    }

    /** The run directory holding the checkpoint. */
    public Path directory() {
        return directory;
    }

    /** Epochs completed and checkpointed before the interrupt. */
    public int epochsDone() {
        return epochsDone;
    }
}
