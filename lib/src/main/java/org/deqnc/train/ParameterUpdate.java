package org.deqnc.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * SGD with momentum and Adam over the network's NDArrays, with L2 weight decay, in PyTorch's formulation
 * (torch.optim.SGD with dampening 0, torch.optim.Adam without amsgrad).
 *
 * <p>Why not DJL's {@code Optimizer}: a resumed run must continue with bit-identical momentum buffers, Adam
 * moments and step count, and DJL's optimisers keep that state in private maps with no way to save or restore
 * it. Owning the update makes the whole optimiser state a few named arrays and one counter that the
 * checkpoint writes and reads back exactly.
 */
final class ParameterUpdate implements AutoCloseable {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final OptimizerKind kind;
    private final double momentum;
    private final double weightDecay;
    private final List<Network.NamedParameter> trainable;
    private final NDManager state;
    private final Map<String, NDArray> slots = new LinkedHashMap<>();
    private long steps;

    ParameterUpdate(OptimizerKind kind, double momentum, double weightDecay, List<Network.NamedParameter> parameters,
            NDManager parent) {
        this.kind = kind;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.trainable = parameters.stream().filter(p -> p.parameter().requiresGradient()).toList();
        this.state = parent.newSubManager();
        for (Network.NamedParameter p : trainable) {
            NDArray w = p.parameter().getArray();
            for (String slot : slotNames()) {
                slots.put(p.name() + "/" + slot, state.zeros(w.getShape(), w.getDataType()));
            }
        }
    }

    private List<String> slotNames() {
        return kind == OptimizerKind.SGD ? List.of("momentum") : List.of("m", "v");
    }

    /** One update of every trainable parameter from its accumulated gradient, which is then zeroed. */
    void step(double lr) {
        steps++;
        for (Network.NamedParameter p : trainable) {
            NDArray w = p.parameter().getArray();
            try (NDManager s = state.newSubManager()) {
                NDArray g = owned(w.getGradient(), s);
                NDArray d = weightDecay == 0 ? g : g.add(owned(w.mul(weightDecay), s));
                if (kind == OptimizerKind.SGD) {
                    NDArray buf = slots.get(p.name() + "/momentum");
                    buf.muli(momentum).addi(d);
                    w.subi(owned(buf.mul(lr), s));
                } else {
                    NDArray m = slots.get(p.name() + "/m");
                    NDArray v = slots.get(p.name() + "/v");
                    m.muli(BETA1).addi(d.mul(1 - BETA1));
                    v.muli(BETA2).addi(d.square().muli(1 - BETA2));
                    double bc1 = 1 - Math.pow(BETA1, steps);
                    double bc2 = 1 - Math.pow(BETA2, steps);
                    NDArray denom = owned(v.sqrt(), s).divi(Math.sqrt(bc2)).addi(EPS);
                    w.subi(owned(m.div(denom), s).muli(lr / bc1));
                }
            }
            JniUtils.zeroGrad((PtNDArray) w);
        }
    }

    /** An op's result lands in the manager of the array it was called on; move it to the step scope. */
    private static NDArray owned(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    /** Number of updates so far (Adam's bias-correction counter). */
    long steps() {
        return steps;
    }

    /** The state arrays by name ({@code <parameter>/momentum} or {@code <parameter>/m}, {@code /v}). */
    Map<String, NDArray> slots() {
        return slots;
    }

    /** Restores the step counter; slot values are copied into {@link #slots()} by the caller. */
    void restoreSteps(long restored) {
        steps = restored;
    }

    @Override
    public void close() {
        state.close();
    }
}
