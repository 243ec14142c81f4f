package org.deqnc.theory;

import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;

import java.util.Random;

/**
 * Solves the class-mean layer-peeled program ({@link LayerPeeledProblem}) to a certified accuracy.
 *
 * <p><b>Method: an exact convex reformulation, solved by accelerated projected gradient.</b> The loss depends on
 * H and W only through the logit matrix {@code Z = H W^T} (K x K), and with feature dimension d &ge; K
 * <pre>
 *   { H W^T : ||H||_F^2 &le; K E_H, ||W||_F^2 &le; K E_W } = { Z : ||Z||_* &le; K sqrt(E_H E_W) }.
 * </pre>
 * (Subset: {@code ||H W^T||_* <= ||H||_F ||W||_F}, Hoelder for Schatten norms. Superset: for
 * {@code Z = U S V^T} take {@code H = t U S^{1/2}}, {@code W = V S^{1/2} / t} with {@code t^2 = sqrt(E_H/E_W)}.)
 * So the program is equivalent to minimising a smooth convex function over a nuclear-norm ball, the same convex
 * problem as Fang et al.'s SDP over the Gram matrix of [H; W], with K^2 instead of (2K)^2 unknowns. It is solved
 * by FISTA with adaptive restart (exact projection by SVD, exact Lipschitz step), and convergence is
 * <em>certified</em> by the Frank-Wolfe duality gap, an upper bound on {@code loss - optimum}. H and W are then
 * recovered from the balanced factorisation above, so both budgets hold with equality at the optimum.
 *
 * <p>Why not the alternatives: projected Adam stalls above the optimum; SQP or augmented Lagrangian on the
 * non-convex (H, W) form gives no optimality certificate. As a check against the original variables each
 * solution also reports the KKT residual of the (H, W) problem (see {@link LayerPeeledSolution#kktResidual()}).
 * The problem is convex, so seeded random restarts serve as a consistency check: their loss spread is reported.
 */
public final class LayerPeeledSolver {

    private final int restarts;
    private final long seed;
    private final double relativeGap;
    private final int maxIterations;

    private LayerPeeledSolver(Builder b) {
        if (!(b.relativeGap > 0 && b.relativeGap < 1)) {
            throw new IllegalArgumentException("relativeGap: must be in (0, 1), got " + b.relativeGap);
        }
        this.restarts = Checks.requireAtLeast("restarts", b.restarts, 1);
        this.seed = b.seed;
        this.relativeGap = b.relativeGap;
        this.maxIterations = Checks.requireAtLeast("maxIterations", b.maxIterations, 1);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Solves with {@code restarts} seeded random starts and keeps the best. Deterministic given the seed. */
    public LayerPeeledSolution solve(LayerPeeledProblem problem) {
        double[] weights = problem.classWeights();
        int k = problem.classes();
        Random rng = new Random(seed);
        NuclearBallProgram.Result best = null;
        double worstLoss = Double.NEGATIVE_INFINITY;
        int iterations = 0;
        for (int r = 0; r < restarts; r++) {
            NuclearBallProgram.Result run = NuclearBallProgram.minimise(weights, problem.nuclearRadius(),
                    Dense.gaussian(k, k, rng), relativeGap, maxIterations);
            iterations += run.iterations();
            worstLoss = Math.max(worstLoss, run.loss());
            if (best == null || run.loss() < best.loss()) {
                best = run;
            }
        }
        double[][][] factors = balancedFactors(best.logits(), problem.featureBudget(), problem.classifierBudget());
        return new LayerPeeledSolution(problem, factors[0], factors[1], best.loss(), best.gap(),
                iterations, restarts, worstLoss - best.loss());
    }

    /** H = t U S^{1/2}, W = V S^{1/2} / t with t^2 = sqrt(E_H / E_W): the budget-balanced factors of Z. */
    static double[][][] balancedFactors(double[][] logits, double featureBudget, double classifierBudget) {
        SingularValueDecomposition svd = Dense.svd(logits);
        double[] root = svd.getSingularValues().clone();
        for (int i = 0; i < root.length; i++) {
            root[i] = Math.sqrt(root[i]);
        }
        double t = Math.pow(featureBudget / classifierBudget, 0.25);
        RealMatrix u = svd.getU();
        RealMatrix v = svd.getV();
        double[][] features = Dense.scale(Dense.multiply(u.getData(), Dense.diagonal(root)), t);
        double[][] classifier = Dense.scale(Dense.multiply(v.getData(), Dense.diagonal(root)), 1 / t);
        return new double[][][] {features, classifier};
    }

    /** Fluent builder; defaults: 3 restarts, seed 0, relative gap 1e-11, 100000 iterations per restart. */
    public static final class Builder {
        private int restarts = 3;
        private long seed = 0;
        private double relativeGap = 1e-11;
        private int maxIterations = 100_000;

        private Builder() {
        }

        /** Number of seeded random starts (>= 1). */
        public Builder restarts(int n) {
            this.restarts = n;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Stop when the certified duality gap is below this fraction of the loss, in (0, 1). */
        public Builder relativeGap(double tol) {
            this.relativeGap = tol;
            return this;
        }

        /** Iteration cap per restart (>= 1); the reported gap says whether it was reached. */
        public Builder maxIterations(int n) {
            this.maxIterations = n;
            return this;
        }

        public LayerPeeledSolver build() {
            return new LayerPeeledSolver(this);
        }
    }
}
