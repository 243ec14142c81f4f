package org.deqnc.deq;

import ai.djl.ndarray.NDArray;

import org.deqnc.engine.Scalars;

/** Cell nonlinearity, with its derivative expressed through the activation's output. */
public enum Activation {
    TANH {
        @Override
        NDArray apply(NDArray pre) {
            if (GradMode.isOn()) {
                return pre.tanh();
            }
            // libtorch's CPU tanh costs ~9x its sigmoid (measured ~100 vs ~11 us on 128x256 float32), and the
            // solvers call f with grad off dozens of times per step: tanh x = 2 sigmoid(2x) - 1 (exact identity)
            NDArray two = Scalars.shared(pre, 2);
            return ai.djl.nn.Activation.sigmoid(pre.mul(two)).muli(two).subi(Scalars.shared(pre, 1));
        }

        @Override
        NDArray derivativeFromOutput(NDArray out) {
            return out.square().neg().addi(1); // 1 - tanh²
        }
    },
    RELU {
        @Override
        NDArray apply(NDArray pre) {
            return ai.djl.nn.Activation.relu(pre);
        }

        @Override
        NDArray derivativeFromOutput(NDArray out) {
            return out.gt(0).toType(out.getDataType(), false);
        }
    };

    abstract NDArray apply(NDArray pre);

    /** act'(pre), computed from act(pre) so the pre-activation need not be kept. */
    abstract NDArray derivativeFromOutput(NDArray out);
}
