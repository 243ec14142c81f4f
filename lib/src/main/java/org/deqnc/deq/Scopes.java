package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.deqnc.engine.Engines;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Manager-ownership helpers (an op's result belongs to the manager of the array it is called on). */
final class Scopes {

    private static final NDManager SHARED_OWNER = Engines.newManager();
    private static final Map<List<Object>, NDArray> SHARED = new ConcurrentHashMap<>();

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
        try (NDArray k = constant(a.getManager(), a, c)) {
            return a.mul(k);
        }
    }

    /** a / c, safe for tracked arrays (see {@link #mul}). */
    static NDArray div(NDArray a, double c) {
        try (NDArray k = constant(a.getManager(), a, c)) {
            return a.div(k);
        }
    }

    /** A 0-d float64 c (as DJL's Number ops use) on a's device, in storage PyTorch owns, owned by {@code owner}. */
    private static NDArray constant(NDManager owner, NDArray a, double c) {
        try (NDArray borrowed = owner.create(c)) {
            return borrowed.toDevice(a.getDevice(), false).duplicate();
        }
    }

    /**
     * A 0-d float64 c (as DJL's Number ops use; a 0-d operand does not promote a's type) on a's device,
     * created once and shared (never closed: a handful per process), in PyTorch-owned storage. For the
     * solvers' grad-off arithmetic: DJL's Number overloads build their scalar from a fresh direct buffer on
     * every call (~25 us, more than the op itself on a 128×256 array).
     */
    static NDArray shared(NDArray a, double c) {
        return SHARED.computeIfAbsent(List.of(c, a.getDevice()), k -> constant(SHARED_OWNER, a, c));
    }

    /** (s[0], 1, 1, ...): per-sample (or per-row) scalars that broadcast over the rest of shape s. */
    static Shape leadingAxis(Shape s) {
        long[] dims = new long[s.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = s.get(0);
        return new Shape(dims);
    }
}
