package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

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
}
