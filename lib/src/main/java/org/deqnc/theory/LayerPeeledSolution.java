package org.deqnc.theory;

/**
 * A solved class-mean layer-peeled program: the optimal features and classifier, the loss, and the evidence of
 * convergence (certified duality gap, KKT residual in the original variables, spread over restarts).
 * Features and classifier are K x K (feature dimension d = K suffices: any d &ge; K embeds isometrically).
 * Accessors return copies.
 */
public final class LayerPeeledSolution {

    private final LayerPeeledProblem problem;
    private final double[][] features;
    private final double[][] classifier;
    private final double loss;
    private final double dualityGap;
    private final int iterations;
    private final int restarts;
    private final double restartLossSpread;

    LayerPeeledSolution(LayerPeeledProblem problem, double[][] features, double[][] classifier, double loss,
                        double dualityGap, int iterations, int restarts, double restartLossSpread) {
        this.problem = problem;
        this.features = features;
        this.classifier = classifier;
        this.loss = loss;
        this.dualityGap = dualityGap;
        this.iterations = iterations;
        this.restarts = restarts;
        this.restartLossSpread = restartLossSpread;
    }

    public LayerPeeledProblem problem() {
        return problem;
    }

    /** H, K x K: row k is the class-mean feature h_k. */
    public double[][] features() {
        return Dense.copy(features);
    }

    /** W, K x K: row k is the classifier w_k. */
    public double[][] classifier() {
        return Dense.copy(classifier);
    }

    /** The logits H W^T (row k: logits of class mean k). */
    public double[][] logits() {
        return Dense.multiplyTransposed(features, classifier);
    }

    /** The attained objective value. */
    public double loss() {
        return loss;
    }

    /** Certified upper bound on {@code loss() - optimum} (Frank-Wolfe gap of the convex form). */
    public double dualityGap() {
        return dualityGap;
    }

    /** {@link #dualityGap()} / {@link #loss()}. */
    public double relativeGap() {
        return dualityGap / loss;
    }

    /**
     * KKT residual of the original (H, W) program: with G = dL/dZ, multipliers fitted by least squares,
     * {@code lambda = max(0, -<G, Z>) / (2 ||H||^2)} and likewise mu for W, the residual is the Euclidean norm of
     * {@code (G W + 2 lambda H, G^T H + 2 mu W, lambda (K E_H - ||H||^2), mu (K E_W - ||W||^2))}.
     * Zero exactly at a KKT point; the tests check it is small.
     */
    public double kktResidual() {
        int k = problem.classes();
        double[][] logits = logits();
        double[][] g = new double[k][k];
        WeightedCrossEntropy.evaluate(logits, problem.classWeights(), g);
        double descent = Math.max(0, -Dense.inner(g, logits));
        double hh = Dense.inner(features, features);
        double ww = Dense.inner(classifier, classifier);
        double lambda = descent / (2 * hh);
        double mu = descent / (2 * ww);
        double[][] stationH = Dense.axpy(Dense.multiply(g, classifier), 2 * lambda, features);
        double[][] stationW = Dense.axpy(Dense.multiply(Dense.transpose(g), features), 2 * mu, classifier);
        double slackH = lambda * (k * problem.featureBudget() - hh);
        double slackW = mu * (k * problem.classifierBudget() - ww);
        return Math.sqrt(Dense.inner(stationH, stationH) + Dense.inner(stationW, stationW)
                + slackH * slackH + slackW * slackW);
    }

    /** Total FISTA iterations over all restarts. */
    public int iterations() {
        return iterations;
    }

    public int restarts() {
        return restarts;
    }

    /** Worst minus best loss over the restarts (small for this convex problem; a convergence check). */
    public double restartLossSpread() {
        return restartLossSpread;
    }

    /** Minority-collapse and NC measurements of this solution (conventions in {@link PeeledGeometry}). */
    public PeeledGeometry geometry() {
        return PeeledGeometry.measure(features, classifier, problem.majorityClasses(), problem.classWeights());
    }
}
