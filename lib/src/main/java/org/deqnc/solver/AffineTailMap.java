package org.deqnc.solver;

import ai.djl.ndarray.NDArray;

import java.util.function.UnaryOperator;

/**
 * A map whose value ends in an elementwise affine step, f(z) = scale · h(z) + shift, which f computes as two
 * elementwise ops (a multiply by scale, then an add of shift, each rounded in z's type). A solver that reads f's
 * value back to the host anyway (Anderson on CPU arrays) evaluates only h with libtorch and does the two ops in Java
 * as it reads h: two dispatches and two passes over the batch fewer per iteration, and the same values bit for bit.
 * The tanh cells' solver-time evaluation tanh(a) = 2σ(2a) − 1 is such a map.
 */
public interface AffineTailMap extends UnaryOperator<NDArray> {

    /** The split of f as it would evaluate now, or null when f must be evaluated whole (e.g. under grad mode). */
    Split split();

    /** h (same shape and type as its input) and the affine step that turns its value into f's. */
    record Split(UnaryOperator<NDArray> head, double scale, double shift) {
    }
}
