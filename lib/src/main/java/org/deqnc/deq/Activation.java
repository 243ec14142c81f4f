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
            return tanhOfHalf(pre.mul(Scalars.shared(pre, 2)));
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

    /**
     * tanh(t / 2) = 2σ(t) − 1 (an exact identity), for grad-off calls given t = 2·pre: libtorch's CPU tanh costs
     * ~9x its sigmoid (measured ~100 vs ~11 us on 128x256 float32), and the solvers call f with grad off dozens
     * of times per step. A cell that can fold the 2 into its weights saves the doubling op.
     */
    static NDArray tanhOfHalf(NDArray twicePre) {
        return ai.djl.nn.Activation.sigmoid(twicePre).muli(Scalars.shared(twicePre, 2))
                .subi(Scalars.shared(twicePre, 1));
    }

    /** act'(pre), computed from act(pre) so the pre-activation need not be kept. */
    abstract NDArray derivativeFromOutput(NDArray out);
}
