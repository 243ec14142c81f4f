package org.deqnc.theory;

/**
 * The class-mean layer-peeled program of Fang, He, Long and Su (PNAS 2021) with step imbalance.
 *
 * <p>K classes, the first {@code K_A} of them majority (weight 1), the other {@code K - K_A} minority (weight
 * {@code 1/R}); one free feature {@code h_k} and one classifier row {@code w_k} per class:
 * <pre>
 *   minimise   sum_{k &lt; K_A} CE(W h_k, k) + (1/R) sum_{k &ge; K_A} CE(W h_k, k)
 *   subject to sum_k ||h_k||^2 &le; K E_H,   sum_k ||w_k||^2 &le; K E_W.
 * </pre>
 * Writing it on class means is exact: at an optimum within-class features collapse (Jensen), so each class is
 * represented by its mean. Defaults are those of Fang et al.'s code: K = 10, K_A = 5, E_H = 5, E_W = 1, R = 1.
 * Classes are 0-based here: majority classes are {@code 0..K_A-1}.
 *
 * <p>Immutable; build with {@link #builder()}. Every parameter is validated with a one-line message naming it.
 */
public final class LayerPeeledProblem {

    public static final int DEFAULT_CLASSES = 10;
    public static final int DEFAULT_MAJORITY_CLASSES = 5;
    public static final double DEFAULT_FEATURE_BUDGET = 5.0;
    public static final double DEFAULT_CLASSIFIER_BUDGET = 1.0;

    private final int classes;
    private final int majorityClasses;
    private final double ratio;
    private final double featureBudget;
    private final double classifierBudget;

    private LayerPeeledProblem(Builder b) {
        Checks.requireAtLeast("K", b.classes, 2);
        if (b.majorityClasses < 1 || b.majorityClasses >= b.classes) {
            throw new IllegalArgumentException("K_A: must satisfy 1 <= K_A < K = " + b.classes
                    + ", got " + b.majorityClasses);
        }
        if (!(b.ratio >= 1.0) || Double.isInfinite(b.ratio)) {
            throw new IllegalArgumentException("R: must be a finite number >= 1, got " + b.ratio);
        }
        this.classes = b.classes;
        this.majorityClasses = b.majorityClasses;
        this.ratio = b.ratio;
        this.featureBudget = Checks.requirePositive("E_H", b.featureBudget);
        this.classifierBudget = Checks.requirePositive("E_W", b.classifierBudget);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this problem's values, to derive variants. */
    public Builder toBuilder() {
        return new Builder().classes(classes).majorityClasses(majorityClasses).ratio(ratio)
                .featureBudget(featureBudget).classifierBudget(classifierBudget);
    }

    /**
     * The balanced optimum in closed form (Fang et al.): {@code K log(1 + (K-1) exp(-sqrt(E_H E_W) K/(K-1)))},
     * attained by a simplex ETF with {@code ||h_k||^2 = E_H} and {@code w_k = sqrt(E_W/E_H) h_k}.
     */
    public static double balancedOptimum(int classes, double featureBudget, double classifierBudget) {
        LayerPeeledProblem p = builder().classes(classes).majorityClasses(1)
                .featureBudget(featureBudget).classifierBudget(classifierBudget).build();
        double margin = Math.sqrt(p.featureBudget * p.classifierBudget) * classes / (classes - 1.0);
        return classes * Math.log1p((classes - 1) * Math.exp(-margin));
    }

    /** Weight of class k in the objective: 1 for a majority class, 1/R for a minority class. */
    public double classWeight(int k) {
        return k < majorityClasses ? 1.0 : 1.0 / ratio;
    }

    double[] classWeights() {
        double[] c = new double[classes];
        for (int k = 0; k < classes; k++) {
            c[k] = classWeight(k);
        }
        return c;
    }

    /**
     * Radius {@code K sqrt(E_H E_W)} of the nuclear-norm ball that the logit matrix {@code H W^T} ranges over
     * (see {@link LayerPeeledSolver} for why).
     */
    public double nuclearRadius() {
        return classes * Math.sqrt(featureBudget * classifierBudget);
    }

    public int classes() {
        return classes;
    }

    public int majorityClasses() {
        return majorityClasses;
    }

    public int minorityClasses() {
        return classes - majorityClasses;
    }

    public double ratio() {
        return ratio;
    }

    /** E_H: the features satisfy {@code sum_k ||h_k||^2 <= K E_H}. */
    public double featureBudget() {
        return featureBudget;
    }

    /** E_W: the classifier satisfies {@code sum_k ||w_k||^2 <= K E_W}. */
    public double classifierBudget() {
        return classifierBudget;
    }

    @Override
    public String toString() {
        return "LayerPeeledProblem[K=" + classes + ", K_A=" + majorityClasses + ", R=" + ratio
                + ", E_H=" + featureBudget + ", E_W=" + classifierBudget + "]";
    }

    /** Fluent builder; defaults K = 10, K_A = 5, R = 1, E_H = 5, E_W = 1 (Fang et al.'s code). */
    public static final class Builder {
        private int classes = DEFAULT_CLASSES;
        private int majorityClasses = DEFAULT_MAJORITY_CLASSES;
        private double ratio = 1.0;
        private double featureBudget = DEFAULT_FEATURE_BUDGET;
        private double classifierBudget = DEFAULT_CLASSIFIER_BUDGET;

        private Builder() {
        }

        /** K, the number of classes (>= 2). */
        public Builder classes(int k) {
            this.classes = k;
            return this;
        }

        /** K_A, the number of majority classes (1 <= K_A < K). */
        public Builder majorityClasses(int kA) {
            this.majorityClasses = kA;
            return this;
        }

        /** R = n_A / n_B >= 1, the imbalance ratio; R = 1 is balanced. */
        public Builder ratio(double r) {
            this.ratio = r;
            return this;
        }

        /** E_H > 0, the feature budget. */
        public Builder featureBudget(double eH) {
            this.featureBudget = eH;
            return this;
        }

        /** E_W > 0, the classifier budget. */
        public Builder classifierBudget(double eW) {
            this.classifierBudget = eW;
            return this;
        }

        public LayerPeeledProblem build() {
            return new LayerPeeledProblem(this);
        }
    }
}
