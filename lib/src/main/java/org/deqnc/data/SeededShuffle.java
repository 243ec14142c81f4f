package org.deqnc.data;

import java.util.Random;

/**
 * Seeded permutations, the single source of randomness for every data-order decision in this package
 * (imbalance selection, batch order, DJL sampling), so equal seeds give equal orders on every JDK:
 * {@link java.util.Random}'s algorithm is fixed by its specification.
 */
public final class SeededShuffle {

    private SeededShuffle() {
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher–Yates driven by {@code new Random(seed)}). */
    public static int[] permutation(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n: must be >= 0, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /**
     * An independent-looking seed for sub-stream {@code stream} of {@code seed} (SplitMix64 finaliser), e.g.
     * {@code streamSeed(seed, epoch)} gives each epoch its own batch order while the whole run stays
     * reproducible from one seed, and a resumed run can recompute any epoch's order.
     */
    public static long streamSeed(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
