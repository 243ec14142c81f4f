package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import org.deqnc.solver.AffineTailMap;

import java.util.function.UnaryOperator;

/**
 * A cell bound to one input batch: z ↦ f(z, x) with everything that does not depend on z (the input
 * injection, the normalised recurrent weight) computed once. Applying it under grad mode records a
 * graph back to the parameters and x; under no-grad mode (the forward solve) it records nothing.
 *
 * <p>The bound tensors are borrowed (some are parameters): a {@code BoundCell} never closes them.
 */
public final class BoundCell implements AffineTailMap {

    /** f(z) from the bound tensors. Must call its operations on z so results land in z's manager. */
    @FunctionalInterface
    public interface Map {
        NDArray apply(NDList bound, NDArray z);
    }

    /**
     * Builds v ↦ vᵀ ∂f/∂z at a point z, analytically, given also the value fz = f(z) (activations'
     * derivatives follow from their outputs); arrays it keeps belong to z's manager.
     */
    @FunctionalInterface
    public interface VjpFactory {
        UnaryOperator<NDArray> at(NDList bound, NDArray z, NDArray fz);
    }

    /**
     * The map's grad-off value as head(z) · scale + shift, the last two as elementwise ops in the map
     * ({@link AffineTailMap}).
     */
    public record Tail(Map head, double scale, double shift) {
    }

    private final NDList bound;
    private final Map map;
    private final VjpFactory vjp;
    private final Tail tail;

    /**
     * @param bound z-independent tensors (parameters or values derived from them and from x)
     * @param map f(z) in terms of them
     * @param vjp analytic vector–Jacobian product, or null to use autograd
     */
    public BoundCell(NDList bound, Map map, VjpFactory vjp) {
        this(bound, map, vjp, null);
    }

    /** As above, with the split of the map's grad-off value that a solver may use, or null. */
    public BoundCell(NDList bound, Map map, VjpFactory vjp, Tail tail) {
        this.bound = bound;
        this.map = map;
        this.vjp = vjp;
        this.tail = tail;
    }

    @Override
    public NDArray apply(NDArray z) {
        return map.apply(bound, z);
    }

    /** The tail's split while grad mode is off (the map then ends in it), else null. */
    @Override
    public Split split() {
        if (tail == null || GradMode.isOn()) {
            return null;
        }
        return new Split(z -> tail.head().apply(bound, z), tail.scale(), tail.shift());
    }

    /** The same map on detached copies of the bound tensors (handles owned by {@code into}). */
    public BoundCell detached(NDManager into) {
        NDList d = new NDList(bound.size());
        for (NDArray t : bound) {
            NDArray s = t.stopGradient();
            s.attach(into);
            d.add(s);
        }
        return new BoundCell(d, map, vjp);
    }

    /**
     * v ↦ vᵀ ∂f/∂z at {@code z}, flat in the shape of z, with no effect on parameter gradients.
     * Analytic when the cell provides it, otherwise autograd on a graph built once here and
     * re-used (keep_graph) for every product; everything it allocates belongs to {@code scope}.
     */
    public UnaryOperator<NDArray> vjpAt(NDArray z, NDManager scope) {
        return vjpAt(z, null, scope);
    }

    /**
     * As {@link #vjpAt(NDArray, NDManager)}, with {@code fz} = f(z) when the caller has already
     * computed it (an analytic product then needs no further evaluation of f), else null.
     */
    public UnaryOperator<NDArray> vjpAt(NDArray z, NDArray fz, NDManager scope) {
        BoundCell d = detached(scope);
        NDArray point = z.stopGradient();
        point.attach(scope);
        if (vjp != null) {
            try (GradMode g = GradMode.off()) {
                NDArray value;
                if (fz == null) {
                    value = d.apply(point);
                } else {
                    value = fz.stopGradient();
                    value.attach(scope);
                }
                return vjp.at(d.bound, point, value);
            }
        }
        // the leaf is point itself, a detached alias of z rather than a copy: the graph only reads it
        NDArray leaf = point;
        leaf.setRequiresGradient(true);
        NDArray tracked;
        try (GradMode g = GradMode.on()) {
            tracked = d.apply(leaf);
        }
        return v -> {
            JniUtils.backward((PtNDArray) tracked, (PtNDArray) v, true, false);
            try (NDArray grad = leaf.getGradient()) {
                NDArray out = grad.duplicate();
                out.attach(v.getManager());
                JniUtils.zeroGrad((PtNDArray) leaf);
                return out;
            }
        };
    }
}
