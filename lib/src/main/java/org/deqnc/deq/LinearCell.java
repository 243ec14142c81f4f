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
 * f(z, x) = W z + U x + b with W = c · V / ‖V‖_F, c = contraction &lt; 1. Since ‖V‖₂ ≤ ‖V‖_F, the
 * parametrisation guarantees ‖W‖₂ ≤ c &lt; 1 for every V, so the fixed point z* = (I − W)⁻¹(U x + b)
 * exists and is unique throughout training.
 */
public class LinearCell extends DeqCell {

    private final int hidden;
    private final double contraction;
    private final NormalizedWeight w;
    private final Parameter u;
    private final Parameter b;
    private final long seed;

    public LinearCell(int hidden, double contraction, Norm norm, int snIters, long seed) {
        super("linear");
        if (!(contraction > 0 && contraction < 1)) {
            throw new IllegalArgumentException("contraction: must be in (0, 1), got " + contraction);
        }
        this.hidden = hidden;
        this.contraction = contraction;
        this.seed = seed;
        w = new NormalizedWeight("W", norm, snIters, new SeededNormal(1 / Math.sqrt(hidden), seed), seed + 1);
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

    /** The contractive recurrent weight c · V / ‖V‖_F (after the optional norm), owned by scope. */
    NDArray recurrentWeight(ParameterStore ps, NDManager scope, boolean training) {
        NDArray v = w.effective(ps, scope, training);
        return v.mul(contraction).divi(v.norm());
    }

    @Override
    public BoundCell bind(ParameterStore ps, NDArray x, boolean training, NDManager scope) {
        checkInput(x.getShape());
        NDArray weight = recurrentWeight(ps, scope, training);
        NDArray inj = Linear.linear(Scopes.view(x, scope), value(ps, u, scope, training),
                value(ps, b, scope, training)).singletonOrThrow();
        return new BoundCell(new NDList(weight, inj),
                (t, z) -> Linear.linear(z, t.get(0)).singletonOrThrow().addi(t.get(1)),
                (t, z) -> v -> v.matMul(t.get(0)));
    }
}
