package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import org.deqnc.engine.Engines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The one-pass float32 update against the tensor ops it replaces: same start, same gradients, and after every
 * update the same weights and optimiser slots: bit for bit where no square root is involved (SGD; Adam's moments
 * without weight decay); Adam's weights within one unit in the last place of the weight and 1e-9 (a few units
 * in the last place of a step of size lr ≤ 5e-3) per update so far, as libtorch's float32 square root is not
 * correctly rounded and Java's is; a wrong rule or constant moves weights by ~1e-4 and more. Shapes longer than one chunk and not a multiple of it,
 * gradients over six orders of magnitude (so that ε and the bias corrections matter).
 */
class FusedUpdateTest {

    private static final long[][] SHAPES = {{37, 129}, {5000}, {1}};

    /** Parameters with seeded values and a fresh gradient slot, owned by {@code m}. */
    private static List<Network.NamedParameter> parameters(NDManager m) {
        Random r = new Random(7);
        List<Network.NamedParameter> out = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            Shape shape = new Shape(SHAPES[i]);
            float[] values = new float[(int) shape.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) r.nextGaussian();
            }
            Parameter p = Parameter.builder().setName("p" + i).setType(Parameter.Type.WEIGHT).build();
            p.setArray(m.create(values, shape));
            p.getArray().setRequiresGradient(true);
            out.add(new Network.NamedParameter("p" + i, p));
        }
        return out;
    }

    /** Leaves the gradient c in every parameter (loss Σ c·w), c seeded by {@code step}. */
    private static void gradients(List<Network.NamedParameter> ps, NDManager m, int step) {
        Random r = new Random(100 + step);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Network.NamedParameter p : ps) {
                NDArray w = p.parameter().getArray();
                float[] c = new float[(int) w.size()];
                for (int j = 0; j < c.length; j++) {
                    c[j] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 4));
                }
                NDArray term = w.mul(m.create(c, w.getShape())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    @ParameterizedTest
    @CsvSource({"ADAM, 0", "ADAM, 0.01", "SGD, 0", "SGD, 0.01"})
    void fusedPassEqualsTheTensorOpsBitForBit(OptimizerKind kind, double weightDecay) {
        Engines.pytorch();
        try (NDManager m = Engines.newManager()) {
            List<Network.NamedParameter> a = parameters(m);
            List<Network.NamedParameter> b = parameters(m);
            try (ParameterUpdate fused = new ParameterUpdate(kind, 0.9, weightDecay, a, m, true);
                    ParameterUpdate ops = new ParameterUpdate(kind, 0.9, weightDecay, b, m, false)) {
                assertTrue(fused.fused());
                assertFalse(ops.fused());
                for (int step = 0; step < 5; step++) {
                    gradients(a, m, step);
                    gradients(b, m, step);
                    double lr = 1e-3 * (step + 1);
                    fused.step(lr);
                    ops.step(lr);
                    // Adam's weights take a square root; with weight decay they feed back into the moments
                    boolean adam = kind == OptimizerKind.ADAM;
                    int weightUlps = adam ? step + 1 : 0;
                    double weightAbs = adam ? 1e-9 * (step + 1) : 0;
                    int slotUlps = adam && weightDecay != 0 ? 2 * (step + 1) : 0;
                    double slotAbs = adam && weightDecay != 0 ? 1e-12 * (step + 1) : 0;
                    for (int i = 0; i < a.size(); i++) {
                        assertWithin(b.get(i).parameter().getArray().toFloatArray(),
                                a.get(i).parameter().getArray().toFloatArray(), weightUlps, weightAbs, "weights, update " + (step + 1));
                        assertEquals(0, a.get(i).parameter().getArray().getGradient().abs().sum().getFloat(),
                                "gradient zeroed");
                    }
                    for (String slot : ops.slots().keySet()) {
                        assertWithin(ops.slots().get(slot).toFloatArray(), fused.slots().get(slot).toFloatArray(),
                                slotUlps, slotAbs, slot + ", update " + (step + 1));
                    }
                }
            }
        }
    }

    /** |actual[i] − expected[i]| ≤ ulps units in the last place of expected[i] + abs, for every i (0, 0: equal). */
    private static void assertWithin(float[] expected, float[] actual, int ulps, double abs, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double allowed = ulps * (double) Math.ulp(expected[i]) + abs;
            if (!(Math.abs((double) actual[i] - expected[i]) <= allowed)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", the tensor ops give "
                        + expected[i] + ", allowed difference " + allowed);
            }
        }
    }

    @Test
    void finitenessCheckFindsEveryNanAndInfinityAndNothingElse() {
        // the finite extremes of every kind (zeros, subnormals, the largest values) over more than two chunks
        float[] finite = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
            Float.MAX_VALUE, -Float.MAX_VALUE, Math.nextDown(Float.MAX_VALUE), 1f, -1f};
        int n = 2 * 2048 + 77;
        java.nio.IntBuffer values = java.nio.IntBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            values.put(i, Float.floatToRawIntBits(finite[i % finite.length]));
        }
        FusedUpdate f = new FusedUpdate();
        assertTrue(f.allFinite(values));
        // quiet and signalling NaNs with either sign, both infinities; first, last, at a chunk's edges, in the tail
        int[] nonFinite = {0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0xffffffff,
            Float.floatToRawIntBits(Float.POSITIVE_INFINITY), Float.floatToRawIntBits(Float.NEGATIVE_INFINITY)};
        for (int bad : nonFinite) {
            for (int at : new int[] {0, 2047, 2048, 4095, n - 1}) {
                int kept = values.get(at);
                values.put(at, bad);
                assertFalse(f.allFinite(values), Integer.toHexString(bad) + " at " + at);
                values.put(at, kept);
            }
        }
        assertTrue(f.allFinite(values));
    }

    @Test
    void nonFiniteGradientStopsTheFusedPassBeforeAnyChange() {
        Engines.pytorch();
        try (NDManager m = Engines.newManager()) {
            List<Network.NamedParameter> ps = parameters(m);
            float[] before = ps.get(0).parameter().getArray().toFloatArray();
            try (ParameterUpdate u = new ParameterUpdate(OptimizerKind.ADAM, 0, 0, ps, m)) {
                assertTrue(u.fused());
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray w1 = ps.get(1).parameter().getArray();
                    float[] c = new float[(int) w1.size()];
                    c[4321] = Float.POSITIVE_INFINITY;
                    gc.backward(ps.get(0).parameter().getArray().sum().add(w1.mul(m.create(c, w1.getShape())).sum()));
                }
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> u.step(1e-3));
                assertEquals("training diverged: the gradient of p1 has NaN or infinite entries at update 1; lower lr "
                        + "or check the DEQ's convergence", e.getMessage());
                assertEquals(0, u.steps());
            }
            assertArrayEquals(before, ps.get(0).parameter().getArray().toFloatArray(), 0f);
        }
    }
}
