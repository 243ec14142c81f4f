package org.deqnc.theory.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.deqnc.deq.SeededNormal;

import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The forward passes of Ling et al.'s random networks on DJL arrays (float32, columns are samples), shared by
 * the Monte-Carlo kernels and the random features of the readout experiment. One draw of weights is two seeds:
 * A (m x m) from {@code seedA}, B (m x p) from {@code seedB}; an explicit network's first layer is B, its second
 * A (as in the authors' matching scripts), a third layer onward takes A's seed plus the layer index.
 */
final class RandomNetworks {

    private static final int MAX_ITERATIONS = MonteCarloKernels.DEFAULT_MAX_ITERATIONS;
    private static final double TOLERANCE = MonteCarloKernels.DEFAULT_TOLERANCE;

    private RandomNetworks() {
    }

    /** The fixed point Z (m x n) and its pre-activation {@code sigma_a A Z + sigma_b B X}. */
    record FixedPoint(NDArray z, NDArray preActivation, int iterations) {
    }

    /** A (m x m) of the draw. */
    static NDArray recurrent(NDManager manager, int width, long seedA) {
        return SeededNormal.gaussian(manager, new Shape(width, width), DataType.FLOAT32, 1, seedA);
    }

    /** B (m x p) of the draw. */
    static NDArray input(NDManager manager, int width, long dimension, long seedB) {
        return SeededNormal.gaussian(manager, new Shape(width, dimension), DataType.FLOAT32, 1, seedB);
    }

    /**
     * {@code Z <- phi(sigma_a A Z + sigma_b B X)/sqrt(m)} from Z = 0 until the relative Frobenius change is below
     * {@link #TOLERANCE}; {@code bx} is {@code B X} (m x n). The arrays returned belong to {@code manager}.
     */
    static FixedPoint deq(NDManager manager, NDArray a, NDArray bx, CenteredActivation phi, double sigmaA2) {
        double sa = Math.sqrt(sigmaA2), rootM = Math.sqrt(a.getShape().get(0));
        NDArray input = bx.mul(Math.sqrt(1 - sigmaA2));
        NDArray z = manager.zeros(bx.getShape(), DataType.FLOAT32);
        for (int k = 1; k <= MAX_ITERATIONS; k++) {
            checkInterrupt();
            try (NDManager step = manager.newSubManager()) {
                z.attach(step);   // the previous iterate is closed with this step
                NDArray next = phi.value(a.matMul(z).mul(sa).add(input)).div(rootM);
                double change = next.sub(z).norm().getFloat() / next.norm().getFloat();
                next.attach(manager);
                z = next;
                if (!Double.isFinite(change)) {
                    throw new IllegalStateException("DEQ fixed point: the iteration diverged (change " + change
                            + ") for " + phi.name() + " at sigma_a^2 = " + sigmaA2);
                }
                if (change < TOLERANCE) {
                    NDArray u = a.matMul(z).mul(sa).add(input);
                    u.attach(manager);
                    return new FixedPoint(z, u, k);
                }
            }
        }
        throw new IllegalStateException("DEQ fixed point: no convergence to " + TOLERANCE + " within "
                + MAX_ITERATIONS + " iterations for " + phi.name() + " at sigma_a^2 = " + sigmaA2);
    }

    /** {@code Y_l = sigma_l(W_l Y_{l-1})/sqrt(m)}, Y_0 = {@code x} (p x n), W entries N(0, 1). */
    static NDArray explicit(NDManager manager, NDArray x, List<CenteredActivation> layers, int width, long seedA, long seedB) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers: need at least one layer");
        }
        double rootM = Math.sqrt(width);
        NDArray y = x;
        for (int l = 0; l < layers.size(); l++) {
            checkInterrupt();
            long layerSeed = l == 0 ? seedB : l == 1 ? seedA : seedA + l;
            NDArray w = SeededNormal.gaussian(manager, new Shape(width, y.getShape().get(0)), DataType.FLOAT32, 1, layerSeed);
            y = layers.get(l).value(w.matMul(y)).div(rootM);
        }
        return y;
    }

    static void checkInterrupt() {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new CancellationException("random networks: interrupted");
        }
    }
}
