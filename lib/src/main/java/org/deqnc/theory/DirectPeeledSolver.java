package org.deqnc.theory;

import java.util.Arrays;
import java.util.Random;

/**
 * Optimises a {@link PeeledNetworkProblem} directly over its parameters (input H0, layer weights, classifier W),
 * without the reduction that {@link PeeledNetworkProblem#solve} uses, so the two can be compared: if the
 * reduction is right, both reach the same loss.
 *
 * <p>Method: {@link SpectralProjectedGradient} (SPG2 with a non-monotone Armijo line search and Barzilai-Borwein
 * steps) over the product of the exact feasible sets (Frobenius balls for H0 and
 * W, spectral-norm balls for the layer weights, each with its exact projection). The problem is non-convex in
 * these variables, so SPG reaches a stationary point; seeded random restarts guard against poor ones, and the
 * projected-gradient norm is reported as the stationarity measure. Gradients are analytic (implicit
 * differentiation through {@code (I - W_D)^{-1}} for the DEQ). Only {@code INPUT_AND_WEIGHTS} budgets have
 * parameters to optimise.
 *
 * <p>With {@link Builder#samplesPerClass(int) samplesPerClass(n)} the input holds n free features per class
 * instead of one class mean, each weighted 1/n in the loss and in the budget
 * {@code (1/n) sum_{k,i} ||h0_{k,i}||^2 <= K E_H} (Fang et al.'s sample-level program with equal class sizes; the
 * imbalance stays in the class weights). By Jensen its optimum equals the class-mean optimum and is attained with
 * collapsed classes, so the within-class spread of the result (NC1) measures that reduction from a random start.
 */
public final class DirectPeeledSolver {

    private final int restarts;
    private final long seed;
    private final double tolerance;
    private final int maxIterations;
    private final int samplesPerClass;

    private DirectPeeledSolver(Builder b) {
        this.restarts = Checks.requireAtLeast("restarts", b.restarts, 1);
        this.seed = b.seed;
        this.tolerance = Checks.requirePositive("tolerance", b.tolerance);
        this.maxIterations = Checks.requireAtLeast("maxIterations", b.maxIterations, 1);
        this.samplesPerClass = Checks.requireAtLeast("samplesPerClass", b.samplesPerClass, 1);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Best of {@code restarts} seeded SPG runs. Deterministic given the seed. */
    public DirectPeeledSolution solve(PeeledNetworkProblem problem) {
        if (problem.placement() != PeeledNetworkProblem.BudgetPlacement.INPUT_AND_WEIGHTS) {
            throw new IllegalArgumentException("placement: the direct solver needs INPUT_AND_WEIGHTS (under FEATURES"
                    + " the layer is a reparametrisation with nothing to optimise), got " + problem.placement());
        }
        PeeledObjective objective = new PeeledObjective(problem.base(), problem.layer(), Double.POSITIVE_INFINITY,
                null, samplesPerClass);
        Random rng = new Random(seed);
        double[][][] best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int iterations = 0;
        double bestStationarity = Double.NaN;
        for (int r = 0; r < restarts; r++) {
            SpectralProjectedGradient.Run run = SpectralProjectedGradient.minimise(objective,
                    objective.randomStart(rng), tolerance, maxIterations);
            iterations += run.iterations();
            if (run.loss() < bestLoss) {
                bestLoss = run.loss();
                best = run.point();
                bestStationarity = run.stationarity();
            }
        }
        return new DirectPeeledSolution(problem, samplesPerClass, best[0], best[1],
                Arrays.copyOfRange(best, 2, best.length), objective.features(best), bestLoss,
                bestStationarity, iterations);
    }

    /**
     * Fluent builder; defaults: 3 restarts, seed 0, stationarity tolerance 1e-9, 20000 iterations per run, one
     * free feature per class (the class-mean program).
     */
    public static final class Builder {
        private int restarts = 3;
        private long seed = 0;
        private double tolerance = 1e-9;
        private int maxIterations = 20_000;
        private int samplesPerClass = 1;

        private Builder() {
        }

        /** Free input features per class (>= 1); 1 optimises the class means directly. */
        public Builder samplesPerClass(int n) {
            this.samplesPerClass = n;
            return this;
        }

        public Builder restarts(int n) {
            this.restarts = n;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Stop a run when the projected-gradient norm falls below this (> 0). */
        public Builder tolerance(double tol) {
            this.tolerance = tol;
            return this;
        }

        public Builder maxIterations(int n) {
            this.maxIterations = n;
            return this;
        }

        public DirectPeeledSolver build() {
            return new DirectPeeledSolver(this);
        }
    }
}
