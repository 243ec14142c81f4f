package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * f(z, x) = W z + U x + b with W = c · V / ‖V‖_F, c = contraction &lt; 1. Since ‖V‖₂ ≤ ‖V‖_F, the
 * parametrisation guarantees ‖W‖₂ ≤ c &lt; 1 for every V, so the fixed point z* = (I − W)⁻¹(U x + b)
 * exists and is unique throughout training.
 */
public class LinearCell extends DenseCell {

    private final double contraction;

    public LinearCell(int hidden, double contraction, Norm norm, int snIters, long seed) {
        super("linear", hidden, norm, snIters, 1 / Math.sqrt(hidden), seed);
        if (!(contraction > 0 && contraction < 1)) {
            throw new IllegalArgumentException("contraction: must be in (0, 1), got " + contraction);
        }
        this.contraction = contraction;
    }

    /** The contractive recurrent weight c · V / ‖V‖_F (after the optional norm), owned by scope. */
    @Override
    NDArray recurrentWeight(ParameterStore ps, NDManager scope, boolean training) {
        NDArray v = super.recurrentWeight(ps, scope, training);
        return Scopes.mul(v, contraction).divi(v.norm());
    }

    @Override
    public BoundCell bind(ParameterStore ps, NDArray x, boolean training, NDManager scope) {
        NDArray inj = injection(ps, x, scope, training);
        NDArray weight = recurrentWeight(ps, scope, training);
        return new BoundCell(new NDList(weight, inj),
                (t, z) -> Linear.linear(z, t.get(0)).singletonOrThrow().addi(t.get(1)),
                (t, z, fz) -> v -> v.matMul(t.get(0)));
    }
}
