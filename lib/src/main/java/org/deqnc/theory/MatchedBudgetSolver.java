package org.deqnc.theory;

import java.util.Arrays;
import java.util.Random;

/**
 * Solves a {@link MatchedBudgetProblem} over its own parameters (H0, W, layer weights) with
 * {@link SpectralProjectedGradient} from several starts, and certifies what can be certified.
 *
 * <p>The problem is non-convex in these variables, so each run reaches a stationary point (a local optimum in
 * practice). Starts: for a linear layer in the constrained form, first the structured point that realises Fang's
 * certified optimum at the evenly spread gain (see {@link MatchedBudgetProblem}); then {@code restarts} seeded
 * Gaussian starts. The best objective is kept; the spread over starts is reported. For the constrained form the
 * solution also carries the certified bracket {@code [lowerBound, upperBound]} of the global optimum (the upper
 * end only for linear layers); the weight-decay form, the per-sample form and the ReLU DEQ's upper end have no
 * certificate: only local optima are available there.
 */
public final class MatchedBudgetSolver {

    private final int restarts;
    private final long seed;
    private final double tolerance;
    private final int maxIterations;
    private final LayerPeeledSolver certified;

    private MatchedBudgetSolver(Builder b) {
        this.restarts = Checks.requireAtLeast("restarts", b.restarts, 0);
        this.seed = b.seed;
        this.tolerance = Checks.requirePositive("tolerance", b.tolerance);
        this.maxIterations = Checks.requireAtLeast("maxIterations", b.maxIterations, 1);
        this.certified = java.util.Objects.requireNonNull(b.certified, "certified");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The certified solver used for the bounds and the structured start. */
    public LayerPeeledSolver certifiedSolver() {
        return certified;
    }

    /** Best of the structured start (when there is one) and {@code restarts} seeded random starts. */
    public MatchedBudgetSolution solve(MatchedBudgetProblem problem) {
        LayerPeeledProblem base = problem.base();
        FeatureLayer layer = problem.layer();
        PeeledObjective objective = new PeeledObjective(base, layer, problem.layerBudget(), problem.decay(),
                problem.sampleCounts());
        int directions = base.classes() - 1;
        double lower = Double.NaN;
        double upper = Double.NaN;
        double[][][] structured = null;
        if (problem.isConstrained() && !problem.isPerSample()) {
            LayerPeeledSolution atMax = certified.solve(problem.fangAtGain(problem.maximalGain()));
            lower = atMax.loss() - atMax.dualityGap();
            if (layer.linear()) {
                double gain = problem.uniformGain(directions);
                LayerPeeledSolution even = certified.solve(problem.fangAtGain(gain));
                upper = even.loss();
                structured = realise(even, problem.uniformSingularValue(directions), gain, layer.depth());
            }
        }
        if (structured == null && restarts == 0) {
            throw new IllegalArgumentException("restarts: must be >= 1 when there is no structured start for " + problem);
        }
        Random rng = new Random(seed);
        SpectralProjectedGradient.Run best = null;
        double worst = Double.NEGATIVE_INFINITY;
        int iterations = 0;
        for (int r = structured == null ? 1 : 0; r <= restarts; r++) {
            double[][][] start = r == 0 ? structured : objective.randomStart(rng);
            SpectralProjectedGradient.Run run = SpectralProjectedGradient.minimise(objective, start, tolerance,
                    maxIterations);
            iterations += run.iterations();
            worst = Math.max(worst, run.loss());
            if (best == null || run.loss() < best.loss()) {
                best = run;
            }
        }
        double[][][] x = best.point();
        return new MatchedBudgetSolution(problem, x[0], x[1], Arrays.copyOfRange(x, 2, x.length),
                objective.features(x), best.loss(), objective.crossEntropy(x), best.stationarity(),
                worst - best.loss(), iterations, lower, upper);
    }

    /**
     * Input, classifier and layer weights {@code s P_r} that realise Fang's solution at the evenly spread gain:
     * Fang's features span the first K - 1 coordinates, where the layer multiplies by {@code gain}.
     */
    private static double[][][] realise(LayerPeeledSolution fang, double singular, double gain, int depth) {
        double[][] features = fang.features();
        int d = features[0].length;
        double[] projector = new double[d];
        Arrays.fill(projector, 0, d - 1, singular);
        double[][][] x = new double[2 + depth][][];
        x[0] = Dense.scale(features, 1 / gain);
        x[1] = fang.classifier();
        for (int l = 0; l < depth; l++) {
            x[2 + l] = Dense.diagonal(projector);
        }
        return x;
    }

    /**
     * Fluent builder; defaults: 2 random restarts, seed 0, stationarity tolerance 1e-9, 5000 iterations per run,
     * the default certified solver.
     */
    public static final class Builder {
        private int restarts = 2;
        private long seed = 0;
        private double tolerance = 1e-9;
        private int maxIterations = 5_000;
        private LayerPeeledSolver certified = LayerPeeledSolver.builder().build();

        private Builder() {
        }

        /** Seeded random starts (>= 0; 0 keeps only the structured start, which linear constrained layers have). */
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

        /** The certified solver for the bounds and the structured start. */
        public Builder certified(LayerPeeledSolver s) {
            this.certified = s;
            return this;
        }

        public MatchedBudgetSolver build() {
            return new MatchedBudgetSolver(this);
        }
    }
}
