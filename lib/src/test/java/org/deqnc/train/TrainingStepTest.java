package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;

import org.deqnc.engine.Engines;
import org.junit.jupiter.api.Test;

/** The training step on a DJL block, against one step worked by hand. */
class TrainingStepTest {

    /**
     * Linear 2 → 2 with W = 0, b = 0; x = [(1, 2), (3, −1)], labels (0, 1). Logits 0, so softmax p = (½, ½) and the
     * mean cross-entropy is ln 2. dL/dz = (p − onehot)/N: sample 0 (−¼, ¼), sample 1 (¼, −¼).
     * dL/dW = dzᵀx: row 0 = −¼(1, 2) + ¼(3, −1) = (½, −¾), row 1 = (−½, ¾); dL/db = (0, 0).
     * SGD, lr 0.1, first step (momentum buffer = gradient): W = −0.1·dL/dW = [(−0.05, 0.075), (0.05, −0.075)].
     */
    @Test
    void oneSgdStepOfALinearBlockMatchesTheHandWorkedGradient() {
        try (NDManager m = Engines.newManager()) {
            Linear block = Linear.builder().setUnits(2).build();
            block.initialize(m, DataType.FLOAT32, new Shape(2, 2));
            block.getParameters().forEach(p -> p.getValue().getArray().set(new float[(int) p.getValue().getArray().size()]));
            try (TrainingStep step = TrainingStep.of(block, OptimizerKind.SGD, 0.9, 0, m)) {
                float loss = step.step(m.create(new float[] {1, 2, 3, -1}, new Shape(2, 2)), m.create(new int[] {0, 1}), 0.1);
                assertEquals(Math.log(2), loss, 1e-6);
                assertEquals(1, step.updates());
            }
            assertArrayEquals(new float[] {-0.05f, 0.075f, 0.05f, -0.075f},
                    block.getParameters().get("weight").getArray().toFloatArray(), 1e-7f);
            assertArrayEquals(new float[] {0, 0}, block.getParameters().get("bias").getArray().toFloatArray(), 1e-7f);
        }
    }

    /** The step's cross-entropy is DJL's softmax cross-entropy loss bit for bit, value and gradient. */
    @Test
    void crossEntropyIsDjlsSoftmaxCrossEntropyBitForBit() {
        try (NDManager m = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(5);
            NDArray logits = m.randomNormal(0, 3, new Shape(128, 10), DataType.FLOAT32);
            NDArray classes = m.randomInteger(0, 10, new Shape(128), DataType.INT64);
            float[][] valueAndGradient = new float[2][];
            float[][] djl = new float[2][];
            for (float[][] out : new float[][][] {valueAndGradient, djl}) {
                NDArray z = logits.duplicate();
                z.setRequiresGradient(true);
                try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                    NDArray l = out == djl ? Loss.softmaxCrossEntropyLoss().evaluate(new NDList(classes), new NDList(z))
                            : TrainingStep.crossEntropy(z, classes);
                    gc.backward(l);
                    out[0] = l.toFloatArray();
                }
                out[1] = z.getGradient().toFloatArray();
            }
            assertArrayEquals(djl[0], valueAndGradient[0]);
            assertArrayEquals(djl[1], valueAndGradient[1]);
            assertEquals(1, valueAndGradient[0].length);
        }
    }
}
