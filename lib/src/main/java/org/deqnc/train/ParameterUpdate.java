package org.deqnc.train;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import org.deqnc.engine.Scalars;

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
    /** The one-pass update over float32 CPU memory; null: the tensor ops below (float64, GPU). */
    private final FusedUpdate fused;
    private long steps;

    ParameterUpdate(OptimizerKind kind, double momentum, double weightDecay, List<Network.NamedParameter> parameters,
            NDManager parent) {
        this(kind, momentum, weightDecay, parameters, parent, true);
    }

    /** {@code allowFused} false: always the tensor ops (the reference the fused pass is tested against). */
    ParameterUpdate(OptimizerKind kind, double momentum, double weightDecay, List<Network.NamedParameter> parameters,
            NDManager parent, boolean allowFused) {
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
        List<NDArray> arrays = new java.util.ArrayList<>(slots.values());
        trainable.forEach(p -> arrays.add(p.parameter().getArray()));
        fused = allowFused && FusedUpdate.applies(arrays) ? new FusedUpdate() : null;
    }

    private List<String> slotNames() {
        return kind == OptimizerKind.SGD ? List.of("momentum") : List.of("m", "v");
    }

    /**
     * One update of every trainable parameter from its accumulated gradient, which is then zeroed. Constants are
     * cached scalars and the two bias corrections one scalar each per update ({@link Scalars}: DJL's Number
     * overloads cost a direct buffer per call, seven per parameter here).
     */
    void step(double lr) {
        if (fused != null) {
            fusedStep(lr);
            return;
        }
        checkFinite();
        steps++;
        if (trainable.isEmpty()) {
            return;
        }
        try (NDManager perStep = state.newSubManager()) {
            NDArray like = trainable.get(0).parameter().getArray();
            NDArray lrScalar = kind == OptimizerKind.SGD ? Scalars.owned(perStep, like, lr) : null;
            AdamScalars adam = kind == OptimizerKind.ADAM ? AdamScalars.at(steps, lr, like, perStep) : null;
            for (Network.NamedParameter p : trainable) {
                NDArray w = p.parameter().getArray();
                try (NDManager s = state.newSubManager()) {
                    NDArray g = owned(w.getGradient(), s);
                    NDArray d = weightDecay == 0 ? g : g.add(owned(w.mul(Scalars.shared(w, weightDecay)), s));
                    if (kind == OptimizerKind.SGD) {
                        NDArray buf = slots.get(p.name() + "/momentum");
                        buf.muli(Scalars.shared(w, momentum)).addi(d);
                        w.subi(owned(buf.mul(lrScalar), s));
                    } else {
                        adam(w, d, slots.get(p.name() + "/m"), slots.get(p.name() + "/v"), adam, s);
                    }
                }
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    /**
     * {@link #step} through {@link FusedUpdate}: the same checks and the same numbers, one pass per parameter,
     * which also zeroes the gradient. Gradients must be float32 CPU arrays like their parameters (autograd makes
     * them so, and gives a contiguous parameter a gradient with its strides, so the view is the gradient itself).
     */
    private void fusedStep(double lr) {
        try (NDManager s = state.newSubManager()) {
            List<FloatBuffer> gradients = new java.util.ArrayList<>(trainable.size());
            for (Network.NamedParameter p : trainable) {
                NDArray g = owned(p.parameter().getArray().getGradient(), s);
                if (!FusedUpdate.applies(List.of(g))) {
                    throw new IllegalStateException("optimizer: the gradient of " + p.name() + " is " + g.getDataType()
                            + " on " + g.getDevice() + ", expected float32 on the CPU like its parameter");
                }
                ByteBuffer memory = FusedUpdate.bytes(g);
                if (!fused.allFinite(memory.asIntBuffer())) {
                    throw diverged(p.name());
                }
                gradients.add(memory.asFloatBuffer());
            }
            steps++;
            for (int i = 0; i < trainable.size(); i++) {
                Network.NamedParameter p = trainable.get(i);
                NDArray w = p.parameter().getArray();
                FloatBuffer weight = FusedUpdate.memory(w);
                if (kind == OptimizerKind.SGD) {
                    fused.sgd(weight, gradients.get(i), FusedUpdate.memory(slots.get(p.name() + "/momentum")), momentum,
                            lr, weightDecay);
                } else {
                    fused.adam(weight, gradients.get(i), FusedUpdate.memory(slots.get(p.name() + "/m")),
                            FusedUpdate.memory(slots.get(p.name() + "/v")), AdamScalars.sqrtBiasCorrection2(steps),
                            AdamScalars.stepSize(steps, lr), weightDecay);
                }
            }
        }
    }

    private IllegalStateException diverged(String parameter) {
        return new IllegalStateException("training diverged: the gradient of " + parameter
                + " has NaN or infinite entries at update " + (steps + 1) + "; lower lr or check the DEQ's convergence");
    }

    /** The two coefficients of Adam's update t that change every update: √(1 − β₂ᵗ) and lr / (1 − β₁ᵗ). */
    record AdamScalars(NDArray sqrtBiasCorrection2, NDArray stepSize) {
        static AdamScalars at(long t, double lr, NDArray like, NDManager owner) {
            return new AdamScalars(Scalars.owned(owner, like, sqrtBiasCorrection2(t)),
                    Scalars.owned(owner, like, stepSize(t, lr)));
        }

        static double sqrtBiasCorrection2(long t) {
            return Math.sqrt(1 - Math.pow(BETA2, t));
        }

        static double stepSize(long t, double lr) {
            return lr / (1 - Math.pow(BETA1, t));
        }
    }

    /**
     * torch.optim.Adam's update, in place: m ← β₁m + (1 − β₁)d, v ← β₂v + (1 − β₂)d², w ← w − (lr / (1 − β₁ᵗ)) ·
     * m / (√v / √(1 − β₂ᵗ) + ε), d the gradient with any weight decay added; temporaries in {@code scope}.
     */
    static void adam(NDArray w, NDArray d, NDArray m, NDArray v, AdamScalars c, NDManager scope) {
        m.muli(Scalars.shared(w, BETA1)).addi(owned(d.mul(Scalars.shared(w, 1 - BETA1)), scope));
        v.muli(Scalars.shared(w, BETA2)).addi(owned(d.square(), scope).muli(Scalars.shared(w, 1 - BETA2)));
        NDArray denom = owned(v.sqrt(), scope).divi(c.sqrtBiasCorrection2()).addi(Scalars.shared(w, EPS));
        w.subi(owned(m.div(denom), scope).muli(c.stepSize()));
    }

    /**
     * Fails before any parameter changes when a gradient has a NaN or infinite entry, naming the first such
     * parameter, so a diverging run stops at its cause instead of poisoning the weights (and the next forward
     * solve) with NaN. One max |g| per parameter and one read-back for all of them: max propagates NaN, and
     * checking every parameter separately cost four ops and a host sync each.
     */
    private void checkFinite() {
        try (NDManager s = state.newSubManager()) {
            NDList maxima = new NDList(trainable.size());
            for (Network.NamedParameter p : trainable) {
                NDArray g = owned(p.parameter().getArray().getGradient(), s);
                maxima.add(g.abs().max().toType(DataType.FLOAT64, false).reshape(1)); // in g's manager, s
            }
            double[] max = owned(NDArrays.concat(maxima), s).toDoubleArray();
            for (int i = 0; i < max.length; i++) {
                if (!Double.isFinite(max[i])) {
                    throw diverged(trainable.get(i).name());
                }
            }
        }
    }

    /** An op's result lands in the manager of the array it was called on; move it to the step scope. */
    static NDArray owned(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    /** Whether updates go through {@link FusedUpdate}. */
    boolean fused() {
        return fused != null;
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
