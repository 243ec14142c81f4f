package org.deqnc.theory;

import java.util.Objects;

/**
 * The layer-peeled model in which the feature layer has its own parameter budget (issue 20): free class-mean
 * inputs {@code h0_k}, a {@link FeatureLayer} (linear or ReLU DEQ, unrolled weight-tied iteration, untied
 * product) and a classifier W, with Fang et al.'s step-imbalanced weighted cross-entropy.
 *
 * <p><b>Constrained form</b> ({@link #constrained}): per-class budgets {@code (1/K) sum_k ||h0_k||^2 <= E_H},
 * {@code (1/K) ||W||_F^2 <= E_W}, the layer's parameter norm {@code sum_l ||W_l||_F^2 <= E_D} and its spectral
 * bound ({@code ||W_D||_2 <= gamma < 1} for a DEQ, the well-posedness condition; beta, possibly +infinity, for
 * explicit layers). The budgets are per class (Fang's form on class means); a per-sample budget with unequal
 * class sizes tends to the SELI geometry of Thrampoulidis et al. (2022), not to an ETF, and is not used here.
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

    private MatchedBudgetProblem(LayerPeeledProblem base, FeatureLayer layer, double layerBudget, WeightDecay decay) {
        this.base = Objects.requireNonNull(base, "base");
        this.layer = Objects.requireNonNull(layer, "layer");
        if (!(layerBudget > 0)) {
            throw new IllegalArgumentException("E_D: must be > 0 (+infinity for no parameter budget), got "
                    + layerBudget);
        }
        this.layerBudget = layerBudget;
        this.decay = decay;
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
        return new MatchedBudgetProblem(base.toBuilder().ratio(ratio).build(), layer, layerBudget, decay);
    }

    private void requireConstrained(String what) {
        if (decay != null) {
            throw new IllegalArgumentException(what + ": defined for the constrained form only, got " + this);
        }
    }

    @Override
    public String toString() {
        return "MatchedBudgetProblem[" + base + ", layer=" + layer
                + (decay == null ? ", E_D=" + layerBudget : ", " + decay) + "]";
    }
}
