package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * f(z, x) = act(W z + U x + b) on (batch, hidden) states, act = tanh or ReLU. W is the recurrent
 * weight (optionally weight- or spectrally normalised), initialised so that ‖W‖₂ ≈ init_scale
 * (entries N(0, (init_scale / (2√h))²); a Gaussian h×h matrix has ‖·‖₂ ≈ 2σ√h).
 */
public class MlpCell extends DeqCell {

    private final int hidden;
    private final Activation act;
    private final NormalizedWeight w;
    private final Parameter u;
    private final Parameter b;
    private final long seed;

    public MlpCell(int hidden, Activation act, Norm norm, int snIters, double initScale, long seed) {
        this("mlp", hidden, act, norm, snIters, initScale, seed);
    }

    MlpCell(String kind, int hidden, Activation act, Norm norm, int snIters, double initScale, long seed) {
        super(kind);
        this.hidden = hidden;
        this.act = act;
        this.seed = seed;
        w = new NormalizedWeight("W", norm, snIters, new SeededNormal(initScale / (2 * Math.sqrt(hidden)), seed),
                seed + 1);
        w.parameters().forEach(this::addParameter);
        u = addParameter(Parameter.builder().setName("U").setType(Parameter.Type.WEIGHT).build());
        b = addParameter(Parameter.builder().setName("b").setType(Parameter.Type.BIAS)
                .optInitializer(Initializer.ZEROS).build());
    }

    @Override
    public Shape stateShape(Shape inputShape) {
        return new Shape(inputShape.get(0), hidden);
    }

    @Override
    public void checkInput(Shape s) {
        if (s.dimension() != 2) {
            throw badInput("(batch, features)", s);
        }
        checkInputWidth(u, s, "input features");
    }

    @Override
    protected void prepareFor(Shape x) {
        long in = x.get(1);
        w.setShape(new Shape(hidden, hidden));
        u.setShape(new Shape(hidden, in));
        u.setInitializer(new SeededNormal(1 / Math.sqrt(in), seed + 2));
        b.setShape(new Shape(hidden));
    }

    @Override
    protected void afterInitialize() {
        w.afterInitialize();
    }

    /** The recurrent weight after normalisation, owned by scope. */
    NDArray recurrentWeight(ParameterStore ps, NDManager scope, boolean training) {
        return w.effective(ps, scope, training);
    }

    @Override
    public BoundCell bind(ParameterStore ps, NDArray x, boolean training, NDManager scope) {
        checkInput(x.getShape());
        NDArray weight = recurrentWeight(ps, scope, training);
        NDArray inj = Linear.linear(Scopes.view(x, scope), value(ps, u, scope, training),
                value(ps, b, scope, training)).singletonOrThrow();
        return new BoundCell(new NDList(weight, inj),
                (t, z) -> act.apply(Linear.linear(z, t.get(0)).singletonOrThrow().addi(t.get(1))),
                (t, z) -> {
                    NDArray d = act.derivativeFromOutput(act.apply(Linear.linear(z, t.get(0)).singletonOrThrow()
                            .addi(t.get(1))));
                    return v -> v.mul(d).matMul(t.get(0));
                });
    }
}
