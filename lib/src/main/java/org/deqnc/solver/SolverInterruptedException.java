package org.deqnc.solver;

import org.deqnc.engine.ComputationInterruptedException;

/**
 * The solving thread was interrupted; the solver stopped at the end of the current iteration. The
 * thread's interrupt flag is set again so callers up the stack see it too.
 */
public class SolverInterruptedException extends ComputationInterruptedException {

    private static final long serialVersionUID = 1L;
    private final transient SolverStats stats;

    public SolverInterruptedException(String message, SolverStats stats) {
        super(message);
        this.stats = stats;
    }

    public SolverStats stats() {
        return stats;
    }
}
