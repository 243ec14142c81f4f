package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A DEQ cell f(z, x). As a DJL block it takes {@code (z, x)} and returns f(z, x); equilibrium and
 * explicit layers use {@link #bind} instead, which does the z-independent work once per batch.
 *
 * <p>Subclasses declare parameters in their constructor, shape them in {@link #prepareFor} from the
 * input shape, and implement {@link #bind}.
 */
public abstract class DeqCell extends AbstractBlock {

    private final String kind;

    protected DeqCell(String kind) {
        this.kind = kind;
    }

    /** Shape of z for a batch of inputs of shape {@code inputShape}. */
    public abstract Shape stateShape(Shape inputShape);

    /**
     * Binds the cell to input {@code x}: returns z ↦ f(z, x). Arrays derived here (input injection,
     * normalised weights) must be owned by {@code scope}; parameters are read from {@code ps}.
     */
    public abstract BoundCell bind(ParameterStore ps, NDArray x, boolean training, NDManager scope);

    /** Sets parameter shapes for inputs of shape {@code inputShape} (batch first). */
    protected abstract void prepareFor(Shape inputShape);

    /** Throws a one-line {@link IllegalArgumentException} when x's shape does not fit the cell. */
    public abstract void checkInput(Shape inputShape);

    /** Hook after parameters are initialised (e.g. weight-norm scales). */
    protected void afterInitialize() {
    }

    /** The kind used in messages, e.g. "mlp". */
    public String kind() {
        return kind;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape x = inputShapes[inputShapes.length - 1];
        checkInput(x);
        prepareFor(x);
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean fresh = !isInitialized();
        super.initialize(manager, dataType, inputShapes);
        if (fresh) {
            afterInitialize();
        }
    }

    /** Inputs (z, x) give f(z, x); (x) alone gives f(0, x). */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.get(inputs.size() - 1);
        checkInput(x.getShape());
        NDManager out = x.getManager();
        try (NDManager scope = out.newSubManager()) {
            NDArray z = inputs.size() == 2 ? inputs.get(0) : scope.zeros(stateShape(x.getShape()), x.getDataType());
            NDArray fz = bind(ps, x, training, scope).apply(z);
            fz.attach(out);
            return new NDList(fz);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {stateShape(inputShapes[inputShapes.length - 1])};
    }

    /** Helper for subclasses: a parameter's value as a view owned by {@code scope}. */
    protected static NDArray value(ParameterStore ps, Parameter p, NDManager scope, boolean training) {
        return Scopes.view(ps.getValue(p, scope.getDevice(), training), scope);
    }

    /** Once initialised, axis 1 of x must match axis 1 of the input weight {@code u}. */
    protected final void checkInputWidth(Parameter u, Shape s, String unit) {
        if (u.isInitialized() && u.getArray().getShape().get(1) != s.get(1)) {
            throw new IllegalArgumentException(kind + " cell: was initialised for " + u.getArray().getShape().get(1)
                    + " " + unit + ", got input of shape " + s);
        }
    }

    /** "(batch, features)"-style message for a wrong input rank. */
    protected final IllegalArgumentException badInput(String expected, Shape got) {
        return new IllegalArgumentException(kind + " cell: expects input of shape " + expected + ", got " + got);
    }
}
