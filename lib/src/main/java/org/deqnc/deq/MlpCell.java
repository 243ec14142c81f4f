package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

import org.deqnc.engine.Scalars;

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
        // 2W and 2(Ux + b), made on the first grad-off call: z(2W)ᵀ + 2(Ux + b) is exactly twice the
        // pre-activation (doubling is exact in floating point), so the solver's tanh saves its doubling op
        NDArray[] doubled = new NDArray[2];
        // σ(2a) with the (batch, hidden) injection as linear's bias: one fused addmm per f call, not matmul + add
        BoundCell.Map sigmoidOfTwice = (t, z) -> {
            if (doubled[0] == null) {
                doubled[0] = weight.mul(Scalars.shared(weight, 2));
                doubled[1] = inj.mul(Scalars.shared(inj, 2));
                doubled[0].attach(scope);
                doubled[1].attach(scope);
            }
            return ai.djl.nn.Activation.sigmoid(Linear.linear(z, doubled[0], doubled[1]).singletonOrThrow());
        };
        BoundCell.Map map = (t, z) -> {
            if (act == Activation.TANH && t == bound && !GradMode.isOn()) {
                return Activation.tanhFromSigmoid(sigmoidOfTwice.apply(t, z));
            }
            return act.apply(Linear.linear(z, t.get(0), t.get(1)).singletonOrThrow());
        };
        BoundCell.Tail tail = act == Activation.TANH
                ? new BoundCell.Tail(sigmoidOfTwice, Activation.HALF_TANH_SCALE, Activation.HALF_TANH_SHIFT) : null;
        return new BoundCell(bound, map, (t, z, fz) -> {
            NDArray d = act.derivativeFromOutput(fz);
            return v -> v.mul(d).matMul(t.get(0));
        }, tail);
    }
}
