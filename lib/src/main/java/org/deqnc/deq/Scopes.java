package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.deqnc.engine.Scalars;

import java.util.Arrays;

/** Manager-ownership helpers (an op's result belongs to the manager of the array it is called on). */
final class Scopes {

    private Scopes() {
    }

    /**
     * A view of {@code a} (same storage, gradient flows through) owned by {@code scope}, so that
     * operations called on it allocate in {@code scope} rather than in, e.g., the parameters' manager.
     */
    static NDArray view(NDArray a, NDManager scope) {
        NDArray v = a.reshape(a.getShape());
        v.attach(scope);
        return v;
    }

    /**
     * a · c for an array a that may be tracked. DJL's {@code mul(Number)} wraps c in a tensor that
     * borrows a Java direct buffer and closes it at once, but autograd keeps that tensor for the
     * backward; after a garbage collection frees the buffer the backward reads freed memory, so the
     * gradient is silently wrong (intermittently: it depends on GC timing). Here c is a PyTorch-owned
     * copy, so the graph holds valid storage. Use this (or {@link #div}) for every Java scalar that
     * multiplies or divides an array gradients flow through.
     */
    static NDArray mul(NDArray a, double c) {
        try (NDArray k = Scalars.owned(a.getManager(), a, c)) {
            return a.mul(k);
        }
    }

    /** a / c, safe for tracked arrays (see {@link #mul}). */
    static NDArray div(NDArray a, double c) {
        try (NDArray k = Scalars.owned(a.getManager(), a, c)) {
            return a.div(k);
        }
    }

    /** (s[0], 1, 1, ...): per-sample (or per-row) scalars that broadcast over the rest of shape s. */
    static Shape leadingAxis(Shape s) {
        long[] dims = new long[s.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = s.get(0);
        return new Shape(dims);
    }
}
