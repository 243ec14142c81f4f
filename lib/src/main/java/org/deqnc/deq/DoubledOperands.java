package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import org.deqnc.engine.Scalars;

import java.util.function.Function;

/**
 * A bound cell's operands times two, for the grad-off calls of a tanh cell (the solvers' calls), which compute
 * tanh(a) as 2σ(2a) − 1 ({@link Activation#tanhOfHalf}). When the pre-activation a is linear in the operands (a
 * matrix or convolution product with W plus the injection Ux + b), the same map on 2W and 2(Ux + b) gives 2a bit
 * for bit: doubling is exact in floating point, and so is the rounding of every product and sum of doubled terms
 * (outside the subnormal range, below 1.2e-38), so each call saves the doubling op, a pass over the state. The
 * doubled operands are made on the first such call and belong to the bind's scope.
 */
final class DoubledOperands {

    private final NDList bound;
    private final NDManager scope;
    private NDList doubled;

    /** For the operands {@code bound} of a bind whose arrays belong to {@code scope}. */
    DoubledOperands(NDList bound, NDManager scope) {
        this.bound = bound;
        this.scope = scope;
    }

    /**
     * act(a(t)) for the pre-activation map a: from the doubled operands when act is tanh, grad mode is off and
     * t are the bound operands themselves (not the detached copies of {@link BoundCell#detached}); else as is.
     */
    NDArray activate(Activation act, NDList t, Function<NDList, NDArray> preActivation) {
        if (act != Activation.TANH || t != bound || GradMode.isOn()) {
            return act.apply(preActivation.apply(t));
        }
        return Activation.tanhOfHalf(preActivation.apply(doubled()));
    }

    /** The operands times two, made on the first call. */
    NDList doubled() {
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
