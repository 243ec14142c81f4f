package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import org.deqnc.engine.Engines;
import org.junit.jupiter.api.Test;

/** SGD-momentum and Adam steps against the update rules worked by hand (PyTorch's formulation). */
class ParameterUpdateTest {

    /** Runs {@code steps} updates of w (start {@code w0}) under the loss sum(c * w), whose gradient is c. */
    private static double[] train(OptimizerKind kind, double weightDecay, double lr, int steps, double[] w0,
            double[] c) {
        Engines.pytorch();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = Engines.newManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(m.create(w0));
            p.getArray().setRequiresGradient(true);
            NDArray coef = m.create(c);
            try (ParameterUpdate u = new ParameterUpdate(kind, 0.9, weightDecay,
                    List.of(new Network.NamedParameter("w", p)), m)) {
                for (int s = 0; s < steps; s++) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(p.getArray().mul(coef).sum());
                    }
                    u.step(lr);
                }
            }
            return p.getArray().toDoubleArray();
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Test
    void sgdMomentumAccumulatesTheGradient() {
        // constant gradient g: buf1 = g, buf2 = 0.9 g + g = 1.9 g; w2 = w0 - lr (g + 1.9 g) = w0 - 2.9 lr g
        double[] w = train(OptimizerKind.SGD, 0, 0.1, 2, new double[] {1, -2}, new double[] {1, 3});
        assertArrayEquals(new double[] {1 - 0.29, -2 - 0.87}, w, 1e-12);
    }

    @Test
    void sgdWeightDecayAddsLambdaTimesW() {
        // one step: d = g + wd * w0 = 1 + 0.5 * 2 = 2; w1 = 2 - 0.1 * 2 = 1.8
        double[] w = train(OptimizerKind.SGD, 0.5, 0.1, 1, new double[] {2}, new double[] {1});
        assertArrayEquals(new double[] {1.8}, w, 1e-12);
    }

    @Test
    void adamFirstStepsMoveByLrTimesTheGradientSign() {
        // constant gradient: bias-corrected m-hat = g and v-hat = g^2 at every step, so each step is
        // lr * g / (|g| + eps) = lr * sign(g) up to eps / |g| = 1e-8 relative
        double[] w = train(OptimizerKind.ADAM, 0, 0.01, 3, new double[] {0.5, 0.5}, new double[] {4, -0.25});
        assertArrayEquals(new double[] {0.5 - 0.03, 0.5 + 0.03}, w, 1e-8);
    }

    @Test
    void nonFiniteGradientStopsBeforeAnyChangeNamingTheParameter() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(OptimizerKind.SGD, 0, 0.1, 1,
                new double[] {1, 2}, new double[] {1, Double.NaN}));
        assertEquals("training diverged: the gradient of w has NaN or infinite entries at update 1; lower lr or "
                + "check the DEQ's convergence", e.getMessage());
    }
}
