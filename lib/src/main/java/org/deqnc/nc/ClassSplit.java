package org.deqnc.nc;

import java.util.Arrays;

/**
 * Which classes are minority classes, for Fang et al.'s minority-collapse measurements and the split
 * accuracies. {@link #firstMajority(int)} follows the step-imbalance convention of Fang et al.'s code:
 * labels 0..K_A−1 are the majority, K_A..K−1 the minority.
 */
public final class ClassSplit {

    private final int majorityCount;
    private final int[] minorityClasses;

    private ClassSplit(int majorityCount, int[] minorityClasses) {
        this.majorityCount = majorityCount;
        this.minorityClasses = minorityClasses;
    }

    /** Classes 0..K_A−1 are the majority; checked against K when the metrics are computed. */
    public static ClassSplit firstMajority(int majorityCount) {
        return new ClassSplit(majorityCount, null);
    }

    /** An explicit, non-empty set of minority classes; the rest are the majority. */
    public static ClassSplit minority(int... classes) {
        if (classes == null || classes.length == 0) {
            throw new IllegalArgumentException("minority classes: must name at least one class");
        }
        return new ClassSplit(-1, classes.clone());
    }

    /** {@code mask[k]} is true for minority classes; validates against K. */
    boolean[] minorityMask(int numClasses) {
        boolean[] mask = new boolean[numClasses];
        if (minorityClasses == null) {
            if (majorityCount < 1 || majorityCount >= numClasses) {
                throw new IllegalArgumentException("K_A: must satisfy 1 <= K_A < K = " + numClasses
                        + ", got " + majorityCount);
            }
            Arrays.fill(mask, majorityCount, numClasses, true);
            return mask;
        }
        for (int c : minorityClasses) {
            if (c < 0 || c >= numClasses || mask[c]) {
                throw new IllegalArgumentException("minority classes: " + Arrays.toString(minorityClasses)
                        + " must be distinct classes in [0, K) with K = " + numClasses);
            }
            mask[c] = true;
        }
        if (minorityClasses.length == numClasses) {
            throw new IllegalArgumentException("minority classes: all " + numClasses
                    + " classes are minority; leave at least one majority class");
        }
        return mask;
    }

    /** e.g. {@code majority = 0..2 (K_A = 3)} or {@code minority = [4, 7]}. */
    public String describe() {
        return minorityClasses == null
                ? "majority = 0.." + (majorityCount - 1) + " (K_A = " + majorityCount + ")"
                : "minority = " + Arrays.toString(minorityClasses);
    }
}
