package org.deqnc.sweep;

import java.nio.file.Path;

/**
 * A sweep stopped because its thread was interrupted: every worker was stopped, completed cells keep their
 * results and the others their last checkpoints; running the same grid again continues. The interrupt is
 * consumed: this exception is the signal.
 */
public class SweepInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient Path directory;

    public SweepInterruptedException(String message, Path directory) {
        super(message);
        this.directory = directory;
    }

    /** The sweep directory. */
    public Path directory() {
        return directory;
    }
}
