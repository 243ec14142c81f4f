package org.deqnc.deq;

import ai.djl.ndarray.NDArray;

/** Cell nonlinearity, with its derivative expressed through the activation's output. */
public enum Activation {
    TANH {
        @Override
        NDArray apply(NDArray pre) {
            return pre.tanh();
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
