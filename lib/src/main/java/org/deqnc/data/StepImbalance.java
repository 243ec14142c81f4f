package org.deqnc.data;

import java.util.Arrays;

/**
 * Fang et al.'s step imbalance (PNAS 2021, code {@code HornHehhf/LPM}): the first {@code K_A} classes
 * (labels {@code 0..K_A-1}) keep {@code n_A} training samples each, the other {@code K - K_A} keep
 * {@code n_B = floor(n_A / R)}; the kept samples are those met first in a seeded shuffle. Apply it to the
 * training split only — the test split stays balanced.
 *
 * <p>R is a double so that log-spaced grids work; an integral R gives exactly the integer division
 * {@code n_A // R} of the reference code.
 */
public final class StepImbalance {

    /** The {@code n_A} that selects the smallest class count of the data: the default of every entry point. */
    public static final int SMALLEST_CLASS = 0;

    private final int kA;
    private final double r;

    private StepImbalance(int kA, double r) {
        this.kA = kA;
        this.r = r;
    }

    /**
     * @param kA number of majority classes, {@code >= 1} (checked against K when applied: {@code K_A < K})
     * @param r  imbalance ratio {@code n_A / n_B}, finite and {@code >= 1}
     */
    public static StepImbalance of(int kA, double r) {
        if (kA < 1) {
            throw new IllegalArgumentException("K_A: must be >= 1, got " + kA);
        }
        if (!Double.isFinite(r) || r < 1) {
            throw new IllegalArgumentException("R: must be a finite number >= 1, got " + r);
        }
        return new StepImbalance(kA, r);
    }

    /** Number of majority classes K_A. */
    public int kA() {
        return kA;
    }

    /** Imbalance ratio R. */
    public double r() {
        return r;
    }

    /** {@code n_B = floor(n_A / R)}, at least 1. */
    public int minorityCount(int nA) {
        if (nA < 1) {
            throw new IllegalArgumentException("n_A: must be >= 1, got " + nA);
        }
        // integral R: exact integer division, as n_A // R in the reference code
        long nB = r == Math.rint(r) && r <= Integer.MAX_VALUE ? nA / (long) r : (long) Math.floor(nA / r);
        if (nB < 1) {
            throw new IllegalArgumentException("R: n_B = floor(n_A / R) = floor(" + nA + " / " + r + ") = " + nB
                    + ", need n_B >= 1, i.e. R <= n_A = " + nA);
        }
        return (int) nB;
    }

    /** Samples to keep per class for K classes: {@code n_A} for labels below K_A, {@code n_B} for the rest. */
    public int[] counts(int numClasses, int nA) {
        if (kA >= numClasses) {
            throw new IllegalArgumentException("K_A: must satisfy 1 <= K_A < K = " + numClasses + ", got " + kA);
        }
        int nB = minorityCount(nA);
        int[] counts = new int[numClasses];
        for (int k = 0; k < numClasses; k++) {
            counts[k] = ClassGroup.of(k, kA) == ClassGroup.MAJORITY ? nA : nB;
        }
        return counts;
    }

    /** {@code nA} itself, or the smallest class count of {@code train} when it is {@link #SMALLEST_CLASS}. */
    public static int majorityCount(LabeledData train, int nA) {
        return nA == SMALLEST_CLASS ? Arrays.stream(train.classCounts()).min().orElse(0) : nA;
    }

    /**
     * The imbalanced training set: {@link #counts} kept from {@code train} by
     * {@link LabeledData#perClassSubset(int[], long)}.
     *
     * @param nA samples kept per majority class, at most the smallest class of {@code train};
     *           {@link #SMALLEST_CLASS} keeps that many
     */
    public LabeledData apply(LabeledData train, int nA, long seed) {
        nA = majorityCount(train, nA);
        int fewest = majorityCount(train, SMALLEST_CLASS);
        if (nA > fewest) {
            throw new IllegalArgumentException("n_A: must be <= " + fewest + " (the smallest class of the data), got " + nA);
        }
        return train.perClassSubset(counts(train.numClasses(), nA), seed);
    }

    /** The group of class {@code classIndex} under this imbalance. */
    public ClassGroup group(int classIndex) {
        return ClassGroup.of(classIndex, kA);
    }

    @Override
    public String toString() {
        return "step imbalance K_A=" + kA + " R=" + r;
    }
}
