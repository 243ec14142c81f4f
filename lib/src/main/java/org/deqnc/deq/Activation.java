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

    /** tanh(t / 2) = {@code HALF_TANH_SCALE} · σ(t) + {@code HALF_TANH_SHIFT}. */
    static final double HALF_TANH_SCALE = 2;
    static final double HALF_TANH_SHIFT = -1;

    /**
     * tanh(t / 2) = 2σ(t) − 1 (an exact identity), for grad-off calls given t = 2·pre: libtorch's CPU tanh costs
     * ~9x its sigmoid (measured ~100 vs ~11 us on 128x256 float32), and the solvers call f with grad off dozens
     * of times per step. A cell that can fold the 2 into its weights saves the doubling op.
     */
    static NDArray tanhOfHalf(NDArray twicePre) {
        return tanhFromSigmoid(ai.djl.nn.Activation.sigmoid(twicePre));
    }

    /**
     * 2s − 1 for s = σ(t), in place: a multiply and an add, the affine tail that a solver reading the value back
     * may apply itself ({@link org.deqnc.solver.AffineTailMap}).
     */
    static NDArray tanhFromSigmoid(NDArray s) {
        return s.muli(Scalars.shared(s, HALF_TANH_SCALE)).addi(Scalars.shared(s, HALF_TANH_SHIFT));
    }

    /** act'(pre), computed from act(pre) so the pre-activation need not be kept. */
    abstract NDArray derivativeFromOutput(NDArray out);
}
