package org.deqnc.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;

import java.util.Arrays;
import java.util.Iterator;

/**
 * A DJL sub-sampler that shuffles reproducibly: the e-th call to {@link #sample} (the e-th epoch of a
 * training loop over {@code dataset.getData}) yields {@code permutation(N, streamSeed(seed, e))}. DJL's own
 * {@code RandomSampler} draws from a process-wide generator and cannot be seeded per data set.
 */
public final class SeededSampler implements Sampler.SubSampler {

    private final long seed;
    private long epoch;

    /** Starts at epoch 0. */
    public SeededSampler(long seed) {
        this(seed, 0);
    }

    /** Starts at {@code epoch}, e.g. when a training run resumes. */
    public SeededSampler(long seed, long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch: must be >= 0, got " + epoch);
        }
        this.seed = seed;
        this.epoch = epoch;
    }

    @Override
    public synchronized Iterator<Long> sample(RandomAccessDataset dataset) {
        int n = Math.toIntExact(dataset.size());
        int[] order = SeededShuffle.permutation(n, SeededShuffle.streamSeed(seed, epoch++));
        return Arrays.stream(order).mapToObj(i -> (long) i).iterator();
    }
}
