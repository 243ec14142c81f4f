package org.deqnc.theory;

/**
 * A solution of a {@link MatchedBudgetProblem}: the best stationary point found, its evidence (stationarity,
 * spread over starts) and, in the constrained form, the certified bracket of the global optimum. Accessors copy.
 */
public final class MatchedBudgetSolution {

    /** Relative width of the bracket under which a solution counts as certified ("exact"). */
    public static final double CERTIFIED_RELATIVE_WIDTH = 1e-6;

    private final MatchedBudgetProblem problem;
    private final double[][] input;
    private final double[][] classifier;
    private final double[][][] layerWeights;
    private final double[][] features;
    private final double objective;
    private final double crossEntropy;
    private final double stationarity;
    private final double restartSpread;
    private final int iterations;
    private final double lowerBound;
    private final double upperBound;

    MatchedBudgetSolution(MatchedBudgetProblem problem, double[][] input, double[][] classifier,
                          double[][][] layerWeights, double[][] features, double objective, double crossEntropy,
                          double stationarity, double restartSpread, int iterations, double lowerBound,
                          double upperBound) {
        this.problem = problem;
        this.input = input;
        this.classifier = classifier;
        this.layerWeights = layerWeights;
        this.features = features;
        this.objective = objective;
        this.crossEntropy = crossEntropy;
        this.stationarity = stationarity;
        this.restartSpread = restartSpread;
        this.iterations = iterations;
        this.lowerBound = lowerBound;
        this.upperBound = upperBound;
    }

    public MatchedBudgetProblem problem() {
        return problem;
    }

    /** The minimised value (cross-entropy, plus the penalties in the weight-decay form). */
    public double objective() {
        return objective;
    }

    /** The weighted cross-entropy alone. */
    public double crossEntropy() {
        return crossEntropy;
    }

    /** Projected-gradient norm at the solution. */
    public double stationarity() {
        return stationarity;
    }

    /** Worst minus best objective over the starts. */
    public double restartSpread() {
        return restartSpread;
    }

    public int iterations() {
        return iterations;
    }

    /** Certified lower bound on the global optimum (constrained form; NaN otherwise). */
    public double lowerBound() {
        return lowerBound;
    }

    /** Certified attainable value, an upper bound on the global optimum (constrained linear layers; NaN otherwise). */
    public double upperBound() {
        return upperBound;
    }

    /**
     * "exact" when the bracket is narrower than {@link #CERTIFIED_RELATIVE_WIDTH} and the solution sits in it,
     * "bracket" when a bracket exists but is wider (the solution is a local optimum inside it), "local" when only
     * a stationary point is available.
     */
    public String certificate() {
        if (Double.isNaN(upperBound)) {
            return "local";
        }
        boolean tight = upperBound - lowerBound <= CERTIFIED_RELATIVE_WIDTH * upperBound
                && Math.abs(objective - upperBound) <= CERTIFIED_RELATIVE_WIDTH * upperBound;
        return tight ? "exact" : "bracket";
    }

    /** H0 (rows h0_k; in the per-sample form one row per sample, grouped by class). */
    public double[][] input() {
        return Dense.copy(input);
    }

    /** The layer outputs that enter the classifier (rows as in {@link #input()}). */
    public double[][] features() {
        return Dense.copy(features);
    }

    public double[][] classifier() {
        return Dense.copy(classifier);
    }

    /**
     * {@code (1/K) sum_k ||f_k||^2} (per-sample form: {@code (1/N) sum_i ||f_i||^2}): the feature budget the
     * classifier actually sees (the effective budget).
     */
    public double effectiveFeatureBudget() {
        return Dense.inner(features, features) / features.length;
    }

    /** {@code (1/K) ||W||_F^2}: the classifier energy actually used (E_W when its budget binds). */
    public double effectiveClassifierBudget() {
        return Dense.inner(classifier, classifier) / classifier.length;
    }

    /** {@code sum_l ||W_l||_F^2}, the layer's parameter norm used. */
    public double layerNormSquared() {
        double s = 0;
        for (double[][] w : layerWeights) {
            s += Dense.inner(w, w);
        }
        return s;
    }

    /** Largest spectral norm over the layer weights (0 without a layer). */
    public double layerSpectralNorm() {
        double m = 0;
        for (double[][] w : layerWeights) {
            m = Math.max(m, Dense.spectralNorm(w));
        }
        return m;
    }

    /**
     * The weight decay whose stationary point this is, by fitting each block's multiplier
     * {@code lambda = max(0, -<grad CE, x> / ||x||^2)}: the Lagrangian twin of a constrained solution.
     */
    public MatchedBudgetProblem.WeightDecay fittedWeightDecay() {
        PeeledObjective plain = new PeeledObjective(problem.base(), problem.layer(), Double.POSITIVE_INFINITY, null,
                problem.sampleCounts());
        double[][][] x = new double[2 + layerWeights.length][][];
        x[0] = input;
        x[1] = classifier;
        System.arraycopy(layerWeights, 0, x, 2, layerWeights.length);
        double[][][] g = SpectralProjectedGradient.zerosLike(x);
        plain.evaluate(x, g);
        double[] lambda = new double[3];
        for (int i = 0; i < x.length; i++) {
            double norm2 = Dense.inner(x[i], x[i]);
            lambda[Math.min(i, 2)] += norm2 == 0 ? 0 : Math.max(0, -Dense.inner(g[i], x[i]) / norm2) / (i >= 2
                    ? layerWeights.length : 1);
        }
        return new MatchedBudgetProblem.WeightDecay(lambda[0], lambda[1], lambda[2]);
    }

    /** Geometry of the class means of the features and of the classifier (conventions in {@link PeeledGeometry}). */
    public PeeledGeometry geometry() {
        return PeeledGeometry.measure(classMeans(), classifier, problem.base().majorityClasses(),
                problem.base().classWeights());
    }

    /**
     * Largest distance of a sample's feature from its class mean over the largest class-mean norm: 0 when every
     * class has collapsed onto its mean (always 0 in the per-class form).
     */
    public double withinClassSpread() {
        double[][] means = classMeans();
        int[] counts = problem.sampleCounts();
        double spread = 0;
        double scale = 0;
        for (int k = 0, row = 0; k < counts.length; k++) {
            scale = Math.max(scale, Dense.norm(means[k]));
            for (int i = 0; i < counts[k]; i++, row++) {
                spread = Math.max(spread, Dense.distance(features[row], means[k]));
            }
        }
        return spread / scale;
    }

    private double[][] classMeans() {
        return Dense.groupMeans(features, problem.sampleCounts());
    }
}
