package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * Shared part of the cells on (batch, hidden) states: recurrent weight W (hidden × hidden, with its
 * {@link Norm}), input weight U (hidden × features) and bias b; the injection U x + b.
 */
abstract class DenseCell extends DeqCell {

    private final int hidden;
    private final NormalizedWeight w;
    private final Parameter u;
    private final Parameter b;
    private final long seed;

    DenseCell(String kind, int hidden, Norm norm, int snIters, double recurrentStd, long seed) {
        super(kind);
        this.hidden = hidden;
        this.seed = seed;
        w = new NormalizedWeight("W", norm, snIters, new SeededNormal(recurrentStd, seed), seed + 1);
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

    /** The recurrent weight as the map uses it, owned by scope. */
    NDArray recurrentWeight(ParameterStore ps, NDManager scope, boolean training) {
        return w.effective(ps, scope, training);
    }

    /** U x + b, owned by scope. */
    NDArray injection(ParameterStore ps, NDArray x, NDManager scope, boolean training) {
        checkInput(x.getShape());
        return Linear.linear(Scopes.view(x, scope), value(ps, u, scope, training), value(ps, b, scope, training))
                .singletonOrThrow();
    }
}
