package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

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
}
