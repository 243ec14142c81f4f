package org.deqnc.solver;

import ai.djl.ndarray.NDArray;

/**
 * A fixed point (owned by the manager of the initial guess) and the stats of the solve.
 *
 * @param z the lowest-residual iterate per sample, or the last one when asked for
 * @param stats what the solve did
 */
public record SolverResult(NDArray z, SolverStats stats) {
}
