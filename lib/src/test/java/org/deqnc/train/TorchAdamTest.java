package org.deqnc.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.deqnc.engine.Engines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TorchAdamTest {

    /**
     * {@code steps} updates of w under the loss sum(g * w), whose gradient is g (autograd fills w's gradient, as in
     * training); returns w and w's gradient after the last update.
     */
    private static double[][] run(double lr, int steps, double[] w0, double[] g) {
        try (NDManager m = Engines.newManager()) {
            NDArray w = m.create(w0);
            w.setRequiresGradient(true);
            NDArray coef = m.create(g);
            TorchAdam adam = TorchAdam.lr(lr);
            for (int s = 0; s < steps; s++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(w.mul(coef).sum());
                }
                try (NDArray grad = w.getGradient()) {
                    adam.update("w", w, grad.duplicate());
                }
            }
            return new double[][] {w.toDoubleArray(), w.getGradient().toDoubleArray()};
        }
    }

    @Test
    void constantGradientMovesByLrTimesItsSignAndClearsTheGradient() {
        // bias-corrected m-hat = g and v-hat = g^2 at every step: each step is lr * g / (|g| + eps)
        // lr 2^-7: learning rates pass through a float (DJL's Tracker), exact for powers of two
        double lr = 1.0 / 128;
        double[][] r = run(lr, 3, new double[] {0.5, 0.5}, new double[] {4, -0.25});
        assertArrayEquals(new double[] {0.5 - 3 * lr, 0.5 + 3 * lr}, r[0], 1e-8);
        assertArrayEquals(new double[] {0, 0}, r[1], 0.0);
    }

    /**
     * A gradient of 1e-6 tells the two published rules apart: torch.optim.Adam divides by √v̂ + ε, so step one is
     * lr · 1e-6 / (1e-6 + 1e-8) = 0.990 lr; DJL's Adam (ε added to √v before the bias correction) moves 0.760 lr.
     */
    @Test
    void epsilonIsAddedAfterTheBiasCorrectionAsInTorch() {
        double[][] r = run(0.125, 1, new double[] {1}, new double[] {1e-6});
        assertArrayEquals(new double[] {1 - 0.125 * 1e-6 / (1e-6 + 1e-8)}, r[0], 1e-12);
    }

    @Test
    void nonPositiveLearningRateIsRefusedNamingTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchAdam.lr(0));
        assertEquals("lr: must be a positive finite number, got 0.0", e.getMessage());
    }
}
