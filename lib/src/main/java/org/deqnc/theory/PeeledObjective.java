package org.deqnc.theory;

import java.util.Arrays;
import java.util.Random;

/**
 * The layer-peeled network objective over the blocks {@code [H0, W, layer weights...]}: weighted cross-entropy of
 * {@code W f(H0)} plus, in the weight-decay form, {@code (lambda_H/2)||H0||^2 + (lambda_W/2)||W||^2 +
 * (lambda_D/2) sum_l ||W_l||^2} (a per-sample input counted with weight K/N, N the number of rows, like its
 * budget {@code sum_i ||h0_i||^2 <= N E_H}; class k owns {@code counts[k]} consecutive rows). Its feasible
 * set is the product of the exact sets: Frobenius balls for H0 and W (constrained form only) and, for the layer
 * weights together, {@code ||W_l||_2 <= bound} for each l and {@code sum_l ||W_l||_F^2 <= E_D}; each projection is
 * exact (the layer set is unitarily invariant, so its projection keeps the singular vectors and projects the
 * singular values onto a clipped ball).
 */
final class PeeledObjective implements SpectralProjectedGradient.Objective {

    private final LayerPeeledProblem base;
    private final FeatureLayer layer;
    private final double layerBudget;
    private final MatchedBudgetProblem.WeightDecay decay;
    private final double[] weights;
    private final int k;
    private final int[] counts;
    private final int rows;

    PeeledObjective(LayerPeeledProblem base, FeatureLayer layer, double layerBudget,
                    MatchedBudgetProblem.WeightDecay decay, int samplesPerClass) {
        this(base, layer, layerBudget, decay, equalCounts(base.classes(), samplesPerClass));
    }

    PeeledObjective(LayerPeeledProblem base, FeatureLayer layer, double layerBudget,
                    MatchedBudgetProblem.WeightDecay decay, int[] counts) {
        this.base = base;
        this.layer = layer;
        this.layerBudget = layerBudget;
        this.decay = decay;
        this.weights = base.classWeights();
        this.k = base.classes();
        this.counts = counts.clone();
        this.rows = java.util.stream.IntStream.of(counts).sum();
    }

    static int[] equalCounts(int classes, int samplesPerClass) {
        int[] c = new int[classes];
        Arrays.fill(c, samplesPerClass);
        return c;
    }

    /** Gaussian blocks scaled to the budgets (the first projection makes them feasible). */
    double[][][] randomStart(Random rng) {
        double layerScale = finiteOr(Math.min(layer.normBound(), Math.sqrt(layerBudget / Math.max(1, layer.depth()))),
                1) / Math.sqrt(k);
        double[][][] x = new double[2 + layer.depth()][][];
        for (int i = 0; i < x.length; i++) {
            x[i] = Dense.scale(Dense.gaussian(i == 0 ? rows : k, k, rng), i < 2 ? 1 : layerScale);
        }
        return x;
    }

    private static double finiteOr(double value, double fallback) {
        return Double.isFinite(value) ? value : fallback;
    }

    @Override
    public double[][][] project(double[][][] x) {
        double[][][] p = new double[x.length][][];
        if (decay == null) {
            p[0] = Dense.projectFrobeniusBall(x[0], Math.sqrt(rows * base.featureBudget()));
            p[1] = Dense.projectFrobeniusBall(x[1], Math.sqrt(k * base.classifierBudget()));
        } else {
            p[0] = Dense.copy(x[0]);
            p[1] = Dense.copy(x[1]);
        }
        double[][][] projected = projectLayerWeights(Arrays.copyOfRange(x, 2, x.length), layer.normBound(),
                decay == null ? layerBudget : Double.POSITIVE_INFINITY);
        System.arraycopy(projected, 0, p, 2, projected.length);
        return p;
    }

    /**
     * Projection onto {@code {||W_l||_2 <= bound for all l, sum_l ||W_l||_F^2 <= budget}}: the singular values of
     * all layers are clipped at {@code bound} after a common shrink {@code s / (1 + theta)}, theta &ge; 0 the
     * smallest value that meets the budget (found by bisection; 0 when the budget is not binding).
     */
    static double[][][] projectLayerWeights(double[][][] layers, double bound, double budget) {
        org.hipparchus.linear.SingularValueDecomposition[] svds =
                new org.hipparchus.linear.SingularValueDecomposition[layers.length];
        double[][] singular = new double[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            svds[l] = Dense.svd(layers[l]);
            singular[l] = svds[l].getSingularValues();
        }
        double theta = 0;
        if (shrunkSquares(singular, bound, 0) > budget) {
            double hi = 1;
            while (shrunkSquares(singular, bound, hi) > budget) {
                hi *= 2;
            }
            double lo = 0;
            for (int i = 0; i < 200 && hi - lo > 1e-15 * (1 + hi); i++) {
                double mid = (lo + hi) / 2;
                if (shrunkSquares(singular, bound, mid) > budget) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            theta = hi;
        }
        double[][][] p = new double[layers.length][][];
        for (int l = 0; l < layers.length; l++) {
            double[] s = new double[singular[l].length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.min(singular[l][i] / (1 + theta), bound);
            }
            p[l] = Dense.compose(svds[l].getU(), s, svds[l].getV());
        }
        return p;
    }

    private static double shrunkSquares(double[][] singular, double bound, double theta) {
        double sum = 0;
        for (double[] s : singular) {
            for (double v : s) {
                double c = Math.min(v / (1 + theta), bound);
                sum += c * c;
            }
        }
        return sum;
    }

    double[][] features(double[][][] x) {
        return layer.forward(x[0], Arrays.copyOfRange(x, 2, x.length));
    }

    /** Weighted cross-entropy at x, without the weight-decay terms. */
    double crossEntropy(double[][][] x) {
        return WeightedCrossEntropy.evaluate(Dense.multiplyTransposed(features(x), x[1]), weights, counts, null);
    }

    @Override
    public double evaluate(double[][][] x, double[][][] gradient) {
        double[][][] layerWeights = Arrays.copyOfRange(x, 2, x.length);
        double[][] features = layer.forward(x[0], layerWeights);
        double[][] logitGradient = new double[features.length][k];
        double loss = WeightedCrossEntropy.evaluate(Dense.multiplyTransposed(features, x[1]), weights, counts,
                logitGradient);
        double[][][] layerGradients = new double[layerWeights.length][][];
        gradient[0] = layer.backward(x[0], layerWeights, Dense.multiply(logitGradient, x[1]), layerGradients);
        gradient[1] = Dense.multiply(Dense.transpose(logitGradient), features);
        System.arraycopy(layerGradients, 0, gradient, 2, layerGradients.length);
        if (decay != null) {
            double[] lambda = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                lambda[i] = i == 0 ? decay.features() * k / rows : i == 1 ? decay.classifier() : decay.layer();
                loss += lambda[i] / 2 * Dense.inner(x[i], x[i]);
                gradient[i] = Dense.axpy(gradient[i], lambda[i], x[i]);
            }
        }
        return loss;
    }
}
