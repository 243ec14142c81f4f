package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import org.deqnc.engine.ConvolutionCheck;
import org.deqnc.engine.Engines;
import org.deqnc.solver.AffineTailMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolutional cell against its formula act(W ⊛ z + U ⊛ x + b), evaluated here op by op from the cell's
 * parameters: the solvers' grad-off calls (tanh through the doubled operands), the tracked calls, and the
 * autograd vector–Jacobian product, each bit for bit.
 */
class ConvCellTest {

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape INPUT = new Shape(4, 3, 10, 10);
    private static final Shape STATE = new Shape(4, 16, 10, 10);

    private static ConvCell cell(NDManager manager, String act) {
        ConvCell cell = (ConvCell) DeqConfig.parse("cell=conv hidden=16 seed=5 act=" + act).newCell(0);
        cell.initialize(manager, DataType.FLOAT32, STATE, INPUT);
        return cell;
    }

    /** W ⊛ z + U ⊛ x + b from (detached copies of) the cell's parameters, as two convolutions and an add. */
    private static NDArray preActivation(ConvCell cell, NDArray z, NDArray x) {
        NDArray w = DeqLayerTest.param(cell, "W").getArray().stopGradient();
        NDArray u = DeqLayerTest.param(cell, "U").getArray().stopGradient();
        NDArray b = DeqLayerTest.param(cell, "b").getArray().stopGradient();
        NDArray inj = Conv2d.conv2d(x, u, b, ONE, ONE).singletonOrThrow();
        return Conv2d.conv2d(z, w, null, ONE, ONE).singletonOrThrow().add(inj);
    }

    /**
     * Grad off (the solvers' calls), tanh is 2σ(2a) − 1 with 2a from the doubled weight and injection, which must
     * be the identity applied to 2·a bit for bit, on the first call (which doubles) and on later ones (which
     * reuse); ReLU is unchanged. Grad on, the cell is the plain formula.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tanh", "relu"})
    void evaluationsEqualTheFormulaBitForBit(String act) {
        try (NDManager s = Engines.newManager()) {
            ConvCell cell = cell(s, act);
            ParameterStore ps = new ParameterStore(s, false);
            NDArray x = s.randomNormal(INPUT);
            NDArray pre;
            float[][] solverCalls = new float[3][];
            float[] tracked;
            float[] viaSplit = null;
            try (GradMode off = GradMode.off()) {
                BoundCell f = cell.bind(ps, x, false, s);
                NDArray z = s.randomNormal(STATE);
                for (int i = 0; i < solverCalls.length; i++) {
                    solverCalls[i] = f.apply(z).toFloatArray();
                }
                // the split a solver finishes itself: head, then the multiply and add libtorch would do
                AffineTailMap.Split split = f.split();
                assertEquals(act.equals("tanh"), split != null, "split offered for " + act);
                if (split != null) {
                    viaSplit = split.head().apply(z).mul(s.create((float) split.scale()))
                            .add(s.create((float) split.shift())).toFloatArray();
                }
                pre = preActivation(cell, z, x);
                try (GradMode on = GradMode.on()) {
                    tracked = cell.bind(ps, x, true, s).apply(z).toFloatArray();
                }
            }
            float[] expected = act.equals("tanh") ? Activation.tanhOfHalf(pre.mul(2)).toFloatArray()
                    : ai.djl.nn.Activation.relu(pre).toFloatArray();
            for (float[] call : solverCalls) {
                assertArrayEquals(expected, call, 0f);
            }
            if (viaSplit != null) {
                assertArrayEquals(expected, viaSplit, 0f);
            }
            float[] plain = act.equals("tanh") ? pre.tanh().toFloatArray() : expected;
            assertArrayEquals(plain, tracked, 0f);
        }
    }

    /**
     * The autograd product vᵀ ∂f/∂z (its graph on the point itself, not on a copy) equals the gradient of
     * ⟨v, f(z)⟩ taken through a graph built here on a copy of z, bit for bit, call after call (each call zeroes
     * the leaf's gradient), and leaves z as it was.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tanh", "relu"})
    void autogradProductEqualsAReferenceGraphBitForBit(String act) {
        try (NDManager s = Engines.newManager(); GradMode off = GradMode.off()) {
            ConvCell cell = cell(s, act);
            ParameterStore ps = new ParameterStore(s, false);
            NDArray x = s.randomNormal(INPUT);
            NDArray z = s.randomNormal(STATE);
            float[] zBefore = z.toFloatArray();
            UnaryOperator<NDArray> vjp = cell.bind(ps, x, false, s).vjpAt(z, s);
            for (int i = 0; i < 3; i++) {
                NDArray v = s.randomNormal(STATE);
                float[] got = vjp.apply(v).toFloatArray();
                assertArrayEquals(referenceProduct(cell, z, x, v, act), got, 0f);
            }
            assertArrayEquals(zBefore, z.toFloatArray(), 0f);
        }
    }

    private static float[] referenceProduct(ConvCell cell, NDArray z, NDArray x, NDArray v, String act) {
        try (NDManager r = z.getManager().newSubManager()) {
            NDArray leaf = z.duplicate();
            leaf.attach(r);
            leaf.setRequiresGradient(true);
            NDArray out;
            try (GradMode on = GradMode.on()) {
                NDArray pre = preActivation(cell, leaf, x);
                out = act.equals("tanh") ? pre.tanh() : ai.djl.nn.Activation.relu(pre);
            }
            JniUtils.backward((PtNDArray) out, (PtNDArray) v, false, false);
            return leaf.getGradient().toFloatArray();
        }
    }

    /**
     * In float32 the cell refuses, on initialisation, convolutions that this CPU computes wrongly (on the development
     * machine with AVX2: 4 output channels), naming itself; in float64, which PyTorch computes without oneDNN, never.
     */
    @Test
    void float32InitialisationChecksTheCellsTwoConvolutionsAndFloat64DoesNot() {
        Shape input = new Shape(2, 8, 8, 8);
        boolean wrongHere;
        try {
            ConvolutionCheck.require("probe U", new ConvolutionCheck.Shape2d(8, 4, 3, 1, 1, 8, 8, true, false));
            ConvolutionCheck.require("probe W", new ConvolutionCheck.Shape2d(4, 4, 3, 1, 1, 8, 8, true, false));
            wrongHere = false;
        } catch (IllegalStateException e) {
            wrongHere = true;
        }
        System.out.println("4-channel conv cell convolutions wrong on this CPU: " + wrongHere);
        try (NDManager s = Engines.newManager()) {
            ConvCell single = (ConvCell) DeqConfig.parse("cell=conv hidden=4 seed=5").newCell(0);
            Shape state = new Shape(2, 4, 8, 8);
            if (wrongHere) {
                String m = assertThrows(IllegalStateException.class,
                        () -> single.initialize(s, DataType.FLOAT32, state, input)).getMessage();
                assertTrue(m.contains("for layer conv cell "), m);
            } else {
                single.initialize(s, DataType.FLOAT32, state, input);
            }
            ConvCell dbl = (ConvCell) DeqConfig.parse("cell=conv hidden=4 seed=5").newCell(0);
            dbl.initialize(s, DataType.FLOAT64, state, input);
            assertEquals(new Shape(4, 8, 3, 3), DeqLayerTest.param(dbl, "U").getArray().getShape());
        }
    }
}
