package org.deqnc.solver;

import ai.djl.ndarray.NDArray;

import java.util.function.UnaryOperator;

/**
 * A batched fixed-point solver: finds z with f(z) = z for every sample of a batch at once.
 *
 * <p>Contract: {@code z0} has the batch on axis 0; {@code f} maps an array of that shape to one of the
 * same shape, computing each sample independently, and should call its operations on its argument
 * (so temporaries land in the solver's per-iteration scope). The result's array belongs to
 * {@code z0}'s manager; every temporary is closed before {@code solve} returns or throws.
 */
public interface Solver {

    /** The registry name, e.g. "anderson". */
    String name();

    /**
     * Solves f(z) = z from z0.
     *
     * @throws SolverDivergedException on NaN/Inf, residual blow-up, or no convergence when required
     * @throws SolverInterruptedException when the thread is interrupted (checked every iteration)
     * @throws IllegalArgumentException when f changes the shape of z
     */
    SolverResult solve(UnaryOperator<NDArray> f, NDArray z0, SolverOptions options);
}
