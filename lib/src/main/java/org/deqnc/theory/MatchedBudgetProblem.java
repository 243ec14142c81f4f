package org.deqnc.theory;

import java.util.Objects;

/**
 * The layer-peeled model in which the feature layer has its own parameter budget: free class-mean
 * inputs {@code h0_k}, a {@link FeatureLayer} (linear or ReLU DEQ, unrolled weight-tied iteration, untied
 * product) and a classifier W, with Fang et al.'s step-imbalanced weighted cross-entropy.
 *
 * <p><b>Constrained form</b> ({@link #constrained}): per-class budgets {@code (1/K) sum_k ||h0_k||^2 <= E_H},
 * {@code (1/K) ||W||_F^2 <= E_W}, the layer's parameter norm {@code sum_l ||W_l||_F^2 <= E_D} and its spectral
 * bound ({@code ||W_D||_2 <= gamma < 1} for a DEQ, the well-posedness condition; beta, possibly +infinity, for
 * explicit layers). The budgets are per class (Fang's form on class means) unless {@link #perSample} is asked for.
 * <br><b>Per-sample form</b> ({@link #perSample(int)}): one input {@code h0_i} per sample, n_B per minority class
 * and {@code n_A = R n_B} per majority class (N in all), every sample weighted {@code 1/n_A} (so a class that
 * collapses onto its mean weighs 1 or 1/R, as in Fang's form) and the budget {@code (1/N) sum_i ||h0_i||^2 <= E_H}.
 * Within-class collapse still holds at an optimum (Jensen), so the form equals the class-mean program with the
 * budget {@code (1/N) sum_k n_k ||h0_k||^2 <= E_H}: minority means become cheap, and as the budgets grow the
 * geometry tends to Thrampoulidis et al.'s (2022) SELI, not to an ETF. No certificate is available for it.
 * <br><b>Weight-decay form</b> ({@link #weightDecay}): the same loss plus {@code (lambda_H/2) sum_k ||h0_k||^2 +
 * (lambda_W/2) ||W||_F^2 + (lambda_D/2) sum_l ||W_l||_F^2}; a DEQ keeps its well-posedness bound.
 *
 * <p><b>What can be certified (our derivation).</b> For a linear layer with matrix A, every reachable feature
 * matrix {@code F = H0 A^T} has {@code ||F||_F <= ||A||_2 ||H0||_F}, so the optimum is at least Fang's optimum at
 * the budget {@code E_H g_max^2}, g_max = {@link #maximalGain()} (also valid for the ReLU DEQ, since ReLU is
 * 1-Lipschitz and fixes 0). Spreading the layer budget evenly over r = K - 1 directions ({@code W = s P_r}, P_r
 * the projector onto the span of Fang's optimal features, which have rank K - 1) reaches Fang's optimum at
 * {@code E_H g_r^2}, g_r = {@link #uniformGain(int)}, so that value bounds the optimum from above. When the two
 * gains agree (e.g. a DEQ with {@code E_D >= (K-1) gamma^2}) the model is exactly Fang's at {@code E_H g^2}; when
 * they differ only a local optimum (found by {@link MatchedBudgetSolver}) lies inside the certified bracket.
 */
public final class MatchedBudgetProblem {

    /** Weight-decay coefficients lambda_H, lambda_W, lambda_D (each &ge; 0). */
    public record WeightDecay(double features, double classifier, double layer) {
        public WeightDecay {
            for (double v : new double[] {features, classifier, layer}) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("weightDecay: coefficients must be finite and >= 0, got ("
                            + features + ", " + classifier + ", " + layer + ")");
                }
            }
        }
    }

    private final LayerPeeledProblem base;
    private final FeatureLayer layer;
    private final double layerBudget;
    private final WeightDecay decay;
    private final int minoritySamples;

    private MatchedBudgetProblem(LayerPeeledProblem base, FeatureLayer layer, double layerBudget, WeightDecay decay) {
        this(base, layer, layerBudget, decay, 0);
    }

    private MatchedBudgetProblem(LayerPeeledProblem base, FeatureLayer layer, double layerBudget, WeightDecay decay,
                                 int minoritySamples) {
        this.base = Objects.requireNonNull(base, "base");
        this.layer = Objects.requireNonNull(layer, "layer");
        if (!(layerBudget > 0)) {
            throw new IllegalArgumentException("E_D: must be > 0 (+infinity for no parameter budget), got "
                    + layerBudget);
        }
        this.layerBudget = layerBudget;
        this.decay = decay;
        this.minoritySamples = minoritySamples;
        if (minoritySamples > 0) {
            double majority = base.ratio() * minoritySamples;
            if (Math.abs(majority - Math.rint(majority)) > 1e-9 * majority) {
                throw new IllegalArgumentException("R: the per-sample form needs R * n_B to be a whole number of"
                        + " majority samples, got R = " + base.ratio() + ", n_B = " + minoritySamples);
            }
        }
    }

    /**
     * The same model in the per-sample form with {@code minoritySamples} (n_B &ge; 1) samples per minority class
     * and {@code R n_B} per majority class (R n_B must be whole).
     */
    public MatchedBudgetProblem perSample(int minoritySamples) {
        Checks.requireAtLeast("n_B", minoritySamples, 1);
        return new MatchedBudgetProblem(base, layer, layerBudget, decay, minoritySamples);
    }

    /** True in the per-sample form. */
    public boolean isPerSample() {
        return minoritySamples > 0;
    }

    /** Rows of h0 per class: all 1 in the per-class form; n_A = R n_B and n_B in the per-sample form. */
    public int[] sampleCounts() {
        int[] counts = new int[base.classes()];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = minoritySamples == 0 ? 1 : k < base.majorityClasses()
                    ? (int) Math.rint(base.ratio() * minoritySamples) : minoritySamples;
        }
        return counts;
    }

    /** Budgets E_H, E_W (from {@code base}), {@code sum_l ||W_l||_F^2 <= E_D} and the layer's spectral bound. */
    public static MatchedBudgetProblem constrained(LayerPeeledProblem base, FeatureLayer layer, double layerBudget) {
        return new MatchedBudgetProblem(base, layer, layerBudget, null);
    }

    /** Weight-decay twin: penalties instead of the budgets (the DEQ keeps its spectral bound). */
    public static MatchedBudgetProblem weightDecay(LayerPeeledProblem base, FeatureLayer layer, WeightDecay decay) {
        return new MatchedBudgetProblem(base, layer, Double.POSITIVE_INFINITY, Objects.requireNonNull(decay, "decay"));
    }

    public LayerPeeledProblem base() {
        return base;
    }

    public FeatureLayer layer() {
        return layer;
    }

    /** E_D, the budget on {@code sum_l ||W_l||_F^2} (+infinity when none, and in the weight-decay form). */
    public double layerBudget() {
        return layerBudget;
    }

    /** The weight-decay coefficients, or null for the constrained form. */
    public WeightDecay decay() {
        return decay;
    }

    public boolean isConstrained() {
        return decay == null;
    }

    /** Largest {@code ||A||_2} over admissible layer weights (constrained form). */
    public double maximalGain() {
        requireConstrained("maximalGain");
        return switch (layer.kind()) {
            case NONE -> 1;
            case EXPLICIT_PRODUCT -> cappedLayer(layerBudget / layer.depth()).gain();
            // One matrix, or (untied injected) every matrix at most sqrt(E_D): an upper bound.
            default -> cappedLayer(layerBudget).gain();
        };
    }

    /** The gain reached by spreading the layer budget evenly over {@code directions} directions (constrained form). */
    public double uniformGain(int directions) {
        requireConstrained("uniformGain");
        Checks.requireAtLeast("directions", directions, 1);
        return layer.kind() == FeatureLayer.Kind.NONE ? 1
                : cappedLayer(layerBudget / ((double) directions * layer.depth())).gain();
    }

    /** The per-direction singular value of every layer matrix in the even spread over {@code directions}. */
    double uniformSingularValue(int directions) {
        return cappedLayer(layerBudget / ((double) directions * layer.depth())).normBound();
    }

    /** The layer with its spectral bound lowered to {@code sqrt(squaredCap)} when that is smaller. */
    private FeatureLayer cappedLayer(double squaredCap) {
        double s = Math.min(layer.normBound(), Math.sqrt(squaredCap));
        return s == layer.normBound() ? layer : layer.withBound(s);
    }

    /** Fang's program at the feature budget {@code E_H gain^2}. */
    public LayerPeeledProblem fangAtGain(double gain) {
        return base.toBuilder().featureBudget(base.featureBudget() * gain * gain).build();
    }

    /** The same model at another imbalance ratio. */
    public MatchedBudgetProblem withRatio(double ratio) {
        return new MatchedBudgetProblem(base.toBuilder().ratio(ratio).build(), layer, layerBudget, decay,
                minoritySamples);
    }

    private void requireConstrained(String what) {
        if (decay != null) {
            throw new IllegalArgumentException(what + ": defined for the constrained form only, got " + this);
        }
    }

    @Override
    public String toString() {
        return "MatchedBudgetProblem[" + base + ", layer=" + layer
                + (decay == null ? ", E_D=" + layerBudget : ", " + decay)
                + (minoritySamples == 0 ? "" : ", per sample n_B=" + minoritySamples) + "]";
    }
}
