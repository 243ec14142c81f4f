package org.deqnc.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * 0-d constants for arithmetic between arrays and Java numbers, instead of DJL's {@code Number} overloads
 * ({@code a.mul(0.9)}). Those build their scalar from a fresh direct buffer on every call (~25 us, more than the
 * op itself on a 128×256 array), and the tensor borrows that buffer: if autograd saves it for the backward and a
 * garbage collection frees the buffer, the gradient reads freed memory. The scalars made here are float64 (as
 * DJL's own; a 0-d operand does not promote a float32 array) and live in storage PyTorch owns.
 */
public final class Scalars {

    private static final NDManager SHARED_OWNER = Engines.newManager();
    private static final Map<List<Object>, NDArray> SHARED = new ConcurrentHashMap<>();

    private Scalars() {
    }

    /** c on {@code like}'s device, owned by {@code owner} (close it, or its manager, when done). */
    public static NDArray owned(NDManager owner, NDArray like, double c) {
        try (NDArray borrowed = owner.create(c)) {
            return borrowed.toDevice(like.getDevice(), false).duplicate();
        }
    }

    /**
     * c on {@code like}'s device, created once per (value, device) and shared, never closed: only for a handful
     * of fixed constants per process (a coefficient that changes every step belongs in {@link #owned}).
     */
    public static NDArray shared(NDArray like, double c) {
        return SHARED.computeIfAbsent(List.of(c, like.getDevice()), k -> owned(SHARED_OWNER, like, c));
    }
}
