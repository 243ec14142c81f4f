package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import org.deqnc.engine.Scalars;

/**
 * A cell's map act(a(operands, z)) that, for the grad-off calls of a tanh cell (the solvers' calls), uses its
 * operands times two and computes tanh(a) as 2σ(2a) − 1 ({@link Activation#tanhOfHalf}). When the pre-activation a is linear in the operands (a
 * matrix or convolution product with W plus the injection Ux + b), the same map on 2W and 2(Ux + b) gives 2a bit
 * for bit: doubling is exact in floating point, and so is the rounding of every product and sum of doubled terms
 * (outside the subnormal range, below 1.2e-38), so each call saves the doubling op, a pass over the state. The
 * doubled operands are made on the first such call and belong to the bind's scope.
 */
final class DoubledOperands implements BoundCell.Map {

    private final NDList bound;
    private final NDManager scope;
    private final Activation act;
    private final BoundCell.Map preActivation;
    private NDList doubled;

    /**
     * The cell act(a(operands, z)) for the operands {@code bound} of a bind whose arrays belong to {@code scope};
     * {@code preActivation} must be linear in the operands (see above).
     */
    DoubledOperands(NDList bound, NDManager scope, Activation act, BoundCell.Map preActivation) {
        this.bound = bound;
        this.scope = scope;
        this.act = act;
        this.preActivation = preActivation;
    }

    /**
     * act(a(t, z)): from the doubled operands when act is tanh, grad mode is off and t are the bound operands
     * themselves (not the detached copies of {@link BoundCell#detached}); else as is.
     */
    @Override
    public NDArray apply(NDList t, NDArray z) {
        if (act != Activation.TANH || t != bound || GradMode.isOn()) {
            return act.apply(preActivation.apply(t, z));
        }
        return Activation.tanhOfHalf(preActivation.apply(doubled(), z));
    }

    /**
     * For a tanh cell, the split of {@link #apply}'s grad-off value that a solver may finish itself: σ(a(2W, 2inj, z))
     * from libtorch, then 2s − 1 ({@link Activation#tanhFromSigmoid}); null for other activations.
     */
    BoundCell.Tail tanhTail() {
        if (act != Activation.TANH) {
            return null;
        }
        return new BoundCell.Tail((t, z) -> ai.djl.nn.Activation.sigmoid(preActivation.apply(doubled(), z)),
                Activation.HALF_TANH_SCALE, Activation.HALF_TANH_SHIFT);
    }

    private NDList doubled() {
        if (doubled == null) {
            doubled = new NDList(bound.size());
            for (NDArray a : bound) {
                NDArray twice = a.mul(Scalars.shared(a, 2));
                twice.attach(scope);
                doubled.add(twice);
            }
        }
        return doubled;
    }
}
