package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.deqnc.engine.Engines;

/**
 * A gradient collector that completes what DEQ layers defer to backward time. It wraps the
 * engine's collector (grad mode on while open, one at a time, as usual) and, in
 * {@link #backward(NDArray)}, after back-propagating the target:
 *
 * <ol>
 *   <li>back-propagates the penalties layers added in forward (Jacobian regularisation);</li>
 *   <li>resolves every pending implicit backward, last layer first: reads ∂L/∂z*, solves the
 *       adjoint fixed point and pushes the result through one application of the cell, which
 *       accumulates the exact implicit gradient into the parameters and the layer's input.</li>
 * </ol>
 *
 * DJL's Trainer cannot be given a custom collector, hence {@link DeqTrainer}; in a plain loop open
 * this instead of {@code Engine.newGradientCollector()}:
 *
 * <pre>{@code
 * try (GradientCollector gc = DeqGradientCollector.open()) {
 *     NDArray loss = lossOf(model.forward(ps, new NDList(x), true).head(), y);
 *     gc.backward(loss);
 * }
 * // then optimizer.update(...) for each parameter, as with any DJL model
 * }</pre>
 */
public final class DeqGradientCollector implements GradientCollector {

    private static final ThreadLocal<DeqGradientCollector> ACTIVE = new ThreadLocal<>();

    private final GradientCollector engineCollector;
    private final Deque<PendingBackward> pending = new ArrayDeque<>();
    private final List<NDArray> penalties = new ArrayList<>();

    private DeqGradientCollector(GradientCollector engineCollector) {
        this.engineCollector = engineCollector;
    }

    /** Opens the engine's collector and makes this the active DEQ collector of the current thread. */
    public static DeqGradientCollector open() {
        DeqGradientCollector c = new DeqGradientCollector(Engines.pytorch().newGradientCollector());
        ACTIVE.set(c);
        return c;
    }

    /** The collector open on this thread, or null. */
    static DeqGradientCollector active() {
        return ACTIVE.get();
    }

    /** Work a layer defers until the loss gradient is known. */
    interface PendingBackward extends AutoCloseable {
        /** Adds this layer's gradient contribution; {@code keepGraph} when more backward passes follow. */
        void resolve(boolean keepGraph);

        @Override
        void close();
    }

    void defer(PendingBackward p) {
        pending.push(p);
    }

    /** A scalar added to the loss at backward time (e.g. the Jacobian penalty). */
    void addPenalty(NDArray scalar) {
        penalties.add(scalar);
    }

    @Override
    public void backward(NDArray target) {
        boolean more = !penalties.isEmpty() || !pending.isEmpty();
        try (NDArray ones = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) ones, more, false);
        }
        for (int i = 0; i < penalties.size(); i++) {
            NDArray p = penalties.get(i);
            try (NDArray one = p.onesLike()) {
                JniUtils.backward((PtNDArray) p, (PtNDArray) one, i < penalties.size() - 1 || !pending.isEmpty(),
                        false);
            }
        }
        penalties.clear();
        while (!pending.isEmpty()) {
            try (PendingBackward p = pending.pop()) {
                p.resolve(!pending.isEmpty());
            }
        }
    }

    @Override
    public void zeroGradients() {
        engineCollector.zeroGradients();
    }

    /** Drops work never resolved (no backward was called), closes the engine collector. */
    @Override
    public void close() {
        try {
            while (!pending.isEmpty()) {
                pending.pop().close();
            }
            penalties.clear();
        } finally {
            ACTIVE.remove();
            engineCollector.close();
        }
    }
}
