package org.deqnc.solver;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Tries solvers in order, each from the same z0, until one succeeds. Every failure (divergence, or
 * no convergence when required) is recorded in the returned stats; when all fail, the last failure
 * is rethrown with the whole history. Interrupts are not failures: they propagate at once.
 */
final class FallbackSolver implements Solver {

    private final List<Solver> chain;

    FallbackSolver(List<Solver> chain) {
        this.chain = List.copyOf(chain);
    }

    @Override
    public String name() {
        return String.join("->", chain.stream().map(Solver::name).toList());
    }

    @Override
    public SolverResult solve(UnaryOperator<NDArray> f, NDArray z0, SolverOptions options) {
        List<String> tried = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int evals = 0;
        long nanos = 0;
        for (int i = 0; ; i++) {
            Solver s = chain.get(i);
            try {
                SolverResult r = s.solve(f, z0, options);
                return new SolverResult(r.z(), r.stats().afterFallbacks(tried, reasons, evals, nanos));
            } catch (SolverDivergedException e) {
                if (i == chain.size() - 1) {
                    throw new SolverDivergedException(e.getMessage(),
                            e.stats().afterFallbacks(tried, reasons, evals, nanos));
                }
                tried.add(s.name());
                reasons.add(e.getMessage() + " -> trying " + chain.get(i + 1).name());
                evals += e.stats().fEvals();
                nanos += e.stats().wallNanos();
            }
        }
    }
}
