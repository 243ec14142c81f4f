package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/**
 * f(z, x) = act(W z + U x + b) on (batch, hidden) states, act = tanh or ReLU. W is the recurrent
 * weight (optionally weight- or spectrally normalised), initialised so that ‖W‖₂ ≈ init_scale
 * (entries N(0, (init_scale / (2√h))²); a Gaussian h×h matrix has ‖·‖₂ ≈ 2σ√h). The
 * vector–Jacobian product is analytic: vᵀJ = (v ⊙ act'(·)) W.
 */
public class MlpCell extends DenseCell {

    private final Activation act;

    public MlpCell(int hidden, Activation act, Norm norm, int snIters, double initScale, long seed) {
        super("mlp", hidden, norm, snIters, initScale / (2 * Math.sqrt(hidden)), seed);
        this.act = act;
    }

    @Override
    public BoundCell bind(ParameterStore ps, NDArray x, boolean training, NDManager scope) {
        NDArray inj = injection(ps, x, scope, training);
        NDArray weight = recurrentWeight(ps, scope, training);
        NDList bound = new NDList(weight, inj);
        // the (batch, hidden) injection as linear's bias: one fused addmm per f call instead of matmul + add
        DoubledOperands cell = new DoubledOperands(bound, scope, act,
                (o, z) -> Linear.linear(z, o.get(0), o.get(1)).singletonOrThrow());
        return new BoundCell(bound, cell, (t, z, fz) -> {
            NDArray d = act.derivativeFromOutput(fz);
            return v -> v.mul(d).matMul(t.get(0));
        }, cell.tanhTail());
    }
}
