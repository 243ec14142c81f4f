package org.deqnc.solver;

/**
 * A solve failed: non-finite residual, residual blow-up, or (with
 * {@link SolverOptions#requireConverged()}) no convergence within max_iter. Carries the stats up to
 * the failure, including every fallback that was tried.
 */
public class SolverDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient SolverStats stats;

    public SolverDivergedException(String message, SolverStats stats) {
        super(message);
        this.stats = stats;
    }

    public SolverStats stats() {
        return stats;
    }
}
