package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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

    /** (s[0], 1, 1, ...): per-sample (or per-row) scalars that broadcast over the rest of shape s. */
    static Shape leadingAxis(Shape s) {
        long[] dims = new long[s.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = s.get(0);
        return new Shape(dims);
    }
}
