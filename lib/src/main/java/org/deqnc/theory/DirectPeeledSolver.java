package org.deqnc.theory;

import org.deqnc.engine.ComputationInterruptedException;

import java.util.Arrays;
import java.util.Random;

/**
 * Optimises a {@link PeeledNetworkProblem} directly over its parameters (input H0, layer weights, classifier W),
 * without the reduction that {@link PeeledNetworkProblem#solve} uses, so the two can be compared: if the
 * reduction is right, both reach the same loss.
 *
 * <p>Method: spectral projected gradient (SPG2 of Birgin, Martinez and Raydan, 2000) with a non-monotone Armijo
 * line search and Barzilai-Borwein steps, over the product of the exact feasible sets (Frobenius balls for H0 and
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

    private static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;
    private static final double STEP_MIN = 1e-10;
    private static final double STEP_MAX = 1e10;

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
        Objective objective = new Objective(problem, samplesPerClass);
        Random rng = new Random(seed);
        double[][][] best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int iterations = 0;
        for (int r = 0; r < restarts; r++) {
            Run run = spg(objective, objective.project(objective.randomStart(rng)));
            iterations += run.iterations;
            if (run.loss < bestLoss) {
                bestLoss = run.loss;
                best = run.point;
            }
        }
        double[][][] gradient = objective.zerosLike(best);
        objective.evaluate(best, gradient);
        return new DirectPeeledSolution(problem, samplesPerClass, best[0], best[1],
                Arrays.copyOfRange(best, 2, best.length), objective.features(best), bestLoss,
                objective.stationarity(best, gradient), iterations);
    }

    private record Run(double[][][] point, double loss, int iterations) {
    }

    private Run spg(Objective objective, double[][][] x) {
        double[][][] g = objective.zerosLike(x);
        double f = objective.evaluate(x, g);
        double[] recent = new double[MEMORY];
        Arrays.fill(recent, f);
        double step = 1 / Math.max(maxAbs(objective.difference(objective.project(objective.move(x, -1, g)), x)),
                STEP_MIN);
        step = Math.min(STEP_MAX, Math.max(STEP_MIN, step));
        int iteration = 0;
        while (iteration < maxIterations && objective.stationarity(x, g) > tolerance) {
            ComputationInterruptedException.check("peeled-network solver: iteration " + iteration);
            iteration++;
            double[][][] direction = objective.difference(objective.project(objective.move(x, -step, g)), x);
            double slope = innerAll(g, direction);
            double reference = Arrays.stream(recent).max().orElse(f);
            double alpha = 1;
            double[][][] trial = objective.move(x, alpha, direction);
            double[][][] trialGradient = objective.zerosLike(x);
            double trialLoss = objective.evaluate(trial, trialGradient);
            while (trialLoss > reference + ARMIJO * alpha * slope && alpha > 1e-12) {
                // Safeguarded quadratic interpolation of the step along the projected direction.
                double quadratic = -0.5 * alpha * alpha * slope / (trialLoss - f - alpha * slope);
                alpha = quadratic >= 0.1 * alpha && quadratic <= 0.9 * alpha ? quadratic : alpha / 2;
                trial = objective.move(x, alpha, direction);
                trialLoss = objective.evaluate(trial, trialGradient);
            }
            double[][][] s = objective.difference(trial, x);
            double[][][] y = objective.difference(trialGradient, g);
            double sy = innerAll(s, y);
            step = sy > 0 ? Math.min(STEP_MAX, Math.max(STEP_MIN, innerAll(s, s) / sy)) : STEP_MAX;
            x = trial;
            g = trialGradient;
            f = trialLoss;
            recent[iteration % MEMORY] = f;
        }
        return new Run(x, f, iteration);
    }

    private static double innerAll(double[][][] a, double[][][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Dense.inner(a[i], b[i]);
        }
        return s;
    }

    private static double maxAbs(double[][][] a) {
        double m = 0;
        for (double[][] block : a) {
            for (double[] row : block) {
                for (double v : row) {
                    m = Math.max(m, Math.abs(v));
                }
            }
        }
        return m;
    }

    /** The loss over the blocks [H0, W, layer weights...] and the feasible set's projection. */
    private static final class Objective {
        private final PeeledNetworkProblem problem;
        private final FeatureLayer layer;
        private final double[] weights;
        private final int k;
        private final int samplesPerClass;

        Objective(PeeledNetworkProblem problem, int samplesPerClass) {
            this.problem = problem;
            this.layer = problem.layer();
            this.weights = problem.base().classWeights();
            this.k = problem.base().classes();
            this.samplesPerClass = samplesPerClass;
        }

        double[][][] randomStart(Random rng) {
            double[][][] x = new double[2 + layer.depth()][][];
            for (int i = 0; i < x.length; i++) {
                // Gaussian blocks scaled to O(budget); the projection then makes them feasible.
                x[i] = Dense.scale(Dense.gaussian(i == 0 ? k * samplesPerClass : k, k, rng),
                        i < 2 ? 1 : layer.normBound() / Math.sqrt(k));
            }
            return x;
        }

        double[][][] project(double[][][] x) {
            LayerPeeledProblem base = problem.base();
            double[][][] p = new double[x.length][][];
            p[0] = Dense.projectFrobeniusBall(x[0], Math.sqrt(samplesPerClass * k * base.featureBudget()));
            p[1] = Dense.projectFrobeniusBall(x[1], Math.sqrt(k * base.classifierBudget()));
            for (int l = 2; l < x.length; l++) {
                p[l] = Dense.projectSpectralBall(x[l], layer.normBound());
            }
            return p;
        }

        double[][] features(double[][][] x) {
            return layer.forward(x[0], Arrays.copyOfRange(x, 2, x.length));
        }

        /** Loss at x; the gradient is written into {@code gradient} block by block. */
        double evaluate(double[][][] x, double[][][] gradient) {
            double[][][] layerWeights = Arrays.copyOfRange(x, 2, x.length);
            double[][] features = layer.forward(x[0], layerWeights);
            double[][] logitGradient = new double[features.length][k];
            double loss = WeightedCrossEntropy.evaluate(Dense.multiplyTransposed(features, x[1]), weights,
                    samplesPerClass, logitGradient);
            double[][][] layerGradients = new double[layerWeights.length][][];
            gradient[0] = layer.backward(x[0], layerWeights, Dense.multiply(logitGradient, x[1]), layerGradients);
            gradient[1] = Dense.multiply(Dense.transpose(logitGradient), features);
            System.arraycopy(layerGradients, 0, gradient, 2, layerGradients.length);
            return loss;
        }

        /** ||P(x - g) - x||: zero exactly at a first-order stationary point of the constrained problem. */
        double stationarity(double[][][] x, double[][][] g) {
            return Math.sqrt(innerAll(difference(project(move(x, -1, g)), x), difference(project(move(x, -1, g)), x)));
        }

        double[][][] move(double[][][] x, double alpha, double[][][] d) {
            double[][][] y = new double[x.length][][];
            for (int i = 0; i < x.length; i++) {
                y[i] = Dense.axpy(x[i], alpha, d[i]);
            }
            return y;
        }

        double[][][] difference(double[][][] a, double[][][] b) {
            double[][][] neg = new double[b.length][][];
            for (int i = 0; i < b.length; i++) {
                neg[i] = Dense.scale(b[i], -1);
            }
            return move(a, 1, neg);
        }

        double[][][] zerosLike(double[][][] x) {
            double[][][] z = new double[x.length][][];
            for (int i = 0; i < x.length; i++) {
                z[i] = Dense.zeros(x[i].length, x[i][0].length);
            }
            return z;
        }
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
