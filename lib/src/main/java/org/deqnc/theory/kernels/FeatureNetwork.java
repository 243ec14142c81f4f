package org.deqnc.theory.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.deqnc.engine.Engines;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One random-feature model, ready to run: a DEQ (its centred activation and sigma_a^2) or an explicit network
 * (its centred layers). {@link #features} gives the n x m features of n samples for the weights of one seed:
 * the DEQ's fixed point z* or the explicit network's last layer, each row one sample.
 *
 * @param description what distinguishes this network's settings (tau, the layers' parameters), for cache keys
 */
public record FeatureNetwork(FeatureModel model, CenteredActivation deqActivation, double sigmaA2,
                             List<CenteredActivation> layers, String description) {

    /** Samples per fixed-point solve: bounds the m x chunk arrays; each chunk runs to the same tolerance. */
    static final int CHUNK = 2048;

    static FeatureNetwork deq(FeatureModel model, CenteredActivation phi, double sigmaA2, String description) {
        return new FeatureNetwork(model, phi, sigmaA2, List.of(), description);
    }

    static FeatureNetwork explicit(FeatureModel model, List<CenteredActivation> layers, String description) {
        return new FeatureNetwork(model, null, 0, List.copyOf(layers), description);
    }

    public boolean isDeq() {
        return deqActivation != null;
    }

    /**
     * The features of the rows of {@code x} (n x p) at width m, row-major n x m, float32. The weights are those
     * of the first draw of {@link MonteCarloKernels} with the same seed (A, B from {@code new SplittableRandom(seed)}).
     */
    public float[] features(double[][] x, int width, long seed) {
        if (width < 1) {
            throw new IllegalArgumentException("width: m must be >= 1, got " + width);
        }
        int n = x.length, p = x[0].length;
        SplittableRandom seeds = new SplittableRandom(seed);
        long seedA = seeds.nextLong(), seedB = seeds.nextLong();
        float[] out = new float[n * width];
        try (NDManager manager = Engines.newManager()) {
            NDArray a = isDeq() ? RandomNetworks.recurrent(manager, width, seedA) : null;
            NDArray b = isDeq() ? RandomNetworks.input(manager, width, p, seedB) : null;
            for (int start = 0; start < n; start += CHUNK) {
                int end = Math.min(n, start + CHUNK);
                try (NDManager chunk = manager.newSubManager()) {
                    NDArray xt = chunk.create(rows(x, start, end)).transpose();   // p x chunk
                    NDArray y = isDeq() ? RandomNetworks.deq(chunk, a, b.matMul(xt), deqActivation, sigmaA2).z()
                            : RandomNetworks.explicit(chunk, xt, layers, width, seedA, seedB);
                    System.arraycopy(y.transpose().toFloatArray(), 0, out, start * width, (end - start) * width);
                }
            }
        }
        return out;
    }

    private static float[][] rows(double[][] x, int start, int end) {
        float[][] f = new float[end - start][];
        for (int i = start; i < end; i++) {
            f[i - start] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                f[i - start][j] = (float) x[i][j];
            }
        }
        return f;
    }
}
