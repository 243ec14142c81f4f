package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell's recurrent weight V and its {@link Norm} re-parametrisation. Holds the extra parameters
 * (weight-norm scale g, spectral-norm vector u) and computes the effective W once per forward.
 */
final class NormalizedWeight {

    private static final int[] ROW_AXIS = {1};

    private final Norm norm;
    private final int powerIterations;
    private final Parameter weight;
    private final Parameter scale;
    private final Parameter u;

    NormalizedWeight(String name, Norm norm, int powerIterations, Initializer init, long seed) {
        this.norm = norm;
        this.powerIterations = powerIterations;
        weight = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optInitializer(init).build();
        scale = norm != Norm.WEIGHT ? null : Parameter.builder().setName(name + "_g").setType(Parameter.Type.GAMMA)
                .optInitializer(Initializer.ONES).build();
        u = norm != Norm.SPECTRAL ? null : Parameter.builder().setName(name + "_u").setType(Parameter.Type.OTHER)
                .optRequiresGrad(false).optInitializer(new SeededNormal(1.0, seed ^ 0x5DEECE66DL)).build();
    }

    List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        out.add(weight);
        if (scale != null) {
            out.add(scale);
        }
        if (u != null) {
            out.add(u);
        }
        return out;
    }

    Parameter weight() {
        return weight;
    }

    void setShape(Shape shape) {
        weight.setShape(shape);
        if (scale != null) {
            scale.setShape(new Shape(shape.get(0)));
        }
        if (u != null) {
            u.setShape(new Shape(shape.get(0)));
        }
    }

    /** After initialisation: g = ‖V‖ per row (W starts equal to V), u normalised. */
    void afterInitialize() {
        if (scale != null) {
            NDArray g = scale.getArray();
            try (NDArray v = weight.getArray().stopGradient(); NDArray rows = rowNorms(v)) {
                g.intern(rows.toType(g.getDataType(), true));
            }
            g.setRequiresGradient(true); // intern swapped in a fresh handle
        }
        if (u != null) {
            NDArray a = u.getArray();
            a.intern(a.div(a.norm()));
        }
    }

    /**
     * The effective weight for this forward, owned by {@code scope}. In training, spectral norm's
     * power iteration advances first (without gradient), so σ̂ tracks V as it trains.
     */
    NDArray effective(ParameterStore ps, NDManager scope, boolean training) {
        NDArray v = Scopes.view(ps.getValue(weight, scope.getDevice(), training), scope);
        switch (norm) {
            case WEIGHT: {
                NDArray g = Scopes.view(ps.getValue(scale, scope.getDevice(), training), scope);
                Shape bcast = Scopes.leadingAxis(v.getShape());
                return v.mul(g.reshape(bcast)).divi(rowNorms(v).reshape(bcast));
            }
            case SPECTRAL: {
                NDArray uArr = ps.getValue(u, scope.getDevice(), false);
                NDArray mat = v.reshape(v.getShape().get(0), -1);
                NDArray uVec;
                NDArray vVec;
                try (GradMode g = GradMode.off()) {
                    uVec = uArr.duplicate();
                    uVec.attach(scope);
                    vVec = null;
                    int steps = training ? powerIterations : 0;
                    for (int i = 0; i <= steps; i++) {
                        vVec = normalize(mat.transpose().matMul(uVec));
                        if (i < steps) {
                            uVec = normalize(mat.matMul(vVec));
                        }
                    }
                    if (training) {
                        uArr.intern(uVec.duplicate());
                    }
                }
                NDArray sigma = mat.matMul(vVec).dot(uVec);
                return v.div(sigma);
            }
            default:
                return v;
        }
    }

    private static NDArray normalize(NDArray a) {
        return a.div(a.norm().addi(a.getDataType() == DataType.FLOAT64 ? 1e-300 : 1e-30));
    }

    private static NDArray rowNorms(NDArray v) {
        return v.reshape(v.getShape().get(0), -1).norm(ROW_AXIS);
    }
}
