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
        double[][] each = new double[steps][];
        java.util.Arrays.fill(each, c);
        return train(kind, weightDecay, lr, w0, each);
    }

    /** One update of w (start {@code w0}) per row of {@code c}, under the loss sum(c[s] * w): gradient c[s]. */
    private static double[] train(OptimizerKind kind, double weightDecay, double lr, double[] w0, double[][] c) {
        Engines.pytorch();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = Engines.newManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(m.create(w0));
            p.getArray().setRequiresGradient(true);
            try (ParameterUpdate u = new ParameterUpdate(kind, 0.9, weightDecay,
                    List.of(new Network.NamedParameter("w", p)), m)) {
                for (double[] gradient : c) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(p.getArray().mul(m.create(gradient)).sum());
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

    /**
     * A gradient that changes from step to step tells β₁ from β₂ (with a constant one m̂ = g and v̂ = g² whatever
     * they are). lr 0.1, w₀ = (1, −0.5), gradients (1, 0.25), (−2, 0.25), (0.5, −4); by hand (β₁ 0.9, β₂ 0.999):
     * <pre>
     * coordinate 1:
     *   t=1: m = 0.1,    v = 0.001,       m̂ = 1,         v̂ = 1,         w = 1 − 0.1·1/(1 + 1e-8)    = 0.900000001
     *   t=2: m = −0.11,  v = 0.004999,    m̂ = −0.11/0.19 = −0.578947368, v̂ = 0.004999/0.001999 = 2.500750375,
     *        w = 0.900000001 + 0.1·0.578947368/(1.581376102 + 1e-8)                            = 0.936610353
     *   t=3: m = −0.049, v = 0.005244001, m̂ = −0.049/0.271 = −0.180811808, v̂ = 0.005244001/0.002997001 = 1.749749500,
     *        w = 0.936610353 + 0.1·0.180811808/(1.322780972 + 1e-8)                            = 0.950279420
     * coordinate 2:
     *   t=1: m = 0.025,  v = 6.25e-5,     m̂ = 0.25, v̂ = 0.0625,   w = −0.5 − 0.1·0.25/0.25     = −0.6 (−4e-9 from ε)
     *   t=2: m = 0.0475, v = 1.249375e-4, m̂ = 0.25, v̂ = 0.0625,   w                           = −0.7 (−8e-9)
     *   t=3: m = −0.35725, v = 0.0161248125625, m̂ = −1.318265683, v̂ = 5.380316043,
     *        w = −0.699999992 + 0.1·1.318265683/(2.319550828 + 1e-8)                            = −0.643167192
     * </pre>
     * With β₁ and β₂ swapped the same steps end at (0.943904, −0.652087).
     */
    @Test
    void adamWithAVaryingGradientFollowsTorchsRuleStepByStep() {
        double[] w = train(OptimizerKind.ADAM, 0, 0.1, new double[] {1, -0.5},
                new double[][] {{1, 0.25}, {-2, 0.25}, {0.5, -4}});
        assertArrayEquals(new double[] {0.9502794196738216, -0.6431671922575044}, w, 1e-12);
    }

    @Test
    void nonFiniteGradientStopsBeforeAnyChangeNamingTheParameter() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(OptimizerKind.SGD, 0, 0.1, 1,
                new double[] {1, 2}, new double[] {1, Double.NaN}));
        assertEquals("training diverged: the gradient of w has NaN or infinite entries at update 1; lower lr or "
                + "check the DEQ's convergence", e.getMessage());
    }
}
