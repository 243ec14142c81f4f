package org.deqnc.train;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import org.deqnc.deq.DeqGradientCollector;

/**
 * The one training step of the project: training-mode forward pass, softmax cross-entropy on integer labels,
 * backward through a {@link DeqGradientCollector} (implicit gradients and Jacobian penalties of any DEQ layer),
 * then the optimiser's update ({@link ParameterUpdate}: SGD with momentum or Adam, torch.optim's rules, with L2
 * weight decay). {@code %%experiment} and {@link ExperimentRunner} train through it, and so do the benchmarks, so
 * that a benchmark times the step notebooks run.
 *
 * <pre>{@code
 * try (TrainingStep step = TrainingStep.of(block, OptimizerKind.ADAM, 0, 0, manager)) {
 *     float loss = step.step(x, labels, 1e-3);
 * }
 * }</pre>
 */
public final class TrainingStep implements AutoCloseable {

    /** A network's forward pass to logits (N, K); {@code training} selects training-mode layers. */
    @FunctionalInterface
    public interface Forward {
        NDArray logits(NDArray x, boolean training);
    }

    private final Forward forward;
    private final ParameterUpdate update;

    TrainingStep(Forward forward, List<Network.NamedParameter> parameters, OptimizerKind kind, double momentum,
            double weightDecay, NDManager manager) {
        this.forward = forward;
        this.update = new ParameterUpdate(kind, momentum, weightDecay, parameters, manager);
    }

    /**
     * The step of an initialised DJL {@code block} whose output is the logits; its parameters are updated in
     * place, the optimiser state lives in a sub-manager of {@code manager}. {@code momentum} is SGD's (ignored by
     * Adam), {@code weightDecay} the L2 coefficient added to the gradient (0: none).
     */
    public static TrainingStep of(Block block, OptimizerKind kind, double momentum, double weightDecay,
            NDManager manager) {
        ParameterStore store = new ParameterStore(manager, false);
        List<Network.NamedParameter> parameters = block.getParameters().stream()
                .map(p -> new Network.NamedParameter(p.getKey(), p.getValue())).toList();
        return new TrainingStep((x, training) -> block.forward(store, new NDList(x), training).singletonOrThrow(),
                parameters, kind, momentum, weightDecay, manager);
    }

    /**
     * Forward, loss and backward on the batch {@code x} with class indices {@code labels} (any integer or float
     * type); leaves the gradients in the parameters and returns the batch's mean loss.
     */
    public float lossAndGradients(NDArray x, NDArray labels) {
        NDArray y = labels.toType(DataType.INT64, false);
        try (DeqGradientCollector gc = DeqGradientCollector.open()) {
            NDArray l = crossEntropy(forward.logits(x, true), y);
            gc.backward(l);
            // the one read-back of the step; getFloat() would index the 0-d array first, a clone in libtorch
            return l.toFloatArray()[0];
        }
    }

    /**
     * Applies the optimiser with learning rate {@code lr} to the gradients of {@link #lossAndGradients}, then
     * zeroes them; fails, changing nothing, when a gradient has NaN or infinite entries.
     */
    public void update(double lr) {
        update.step(lr);
    }

    /**
     * The mean softmax cross-entropy of {@code logits} (N, K) against int64 class indices (N): log-softmax, each
     * sample's class picked with a gather, negated, averaged. These are the libtorch ops of DJL's
     * {@code SoftmaxCrossEntropyLoss}, in its order, so the loss and its gradient are the same bits; its pick goes
     * through DJL's index expressions, about 80 µs of Java per step before the JIT has compiled that path.
     */
    static NDArray crossEntropy(NDArray logits, NDArray classes) {
        return logits.logSoftmax(-1).gather(classes.reshape(classes.getShape().get(0), 1), 1).neg().mean();
    }

    /** {@link #lossAndGradients} then {@link #update}; returns the batch's mean loss. */
    public float step(NDArray x, NDArray labels, double lr) {
        float l = lossAndGradients(x, labels);
        update(lr);
        return l;
    }

    /** The forward pass this step trains, in inference ({@code training = false}) or training mode. */
    public NDArray logits(NDArray x, boolean training) {
        return forward.logits(x, training);
    }

    /** Number of updates so far. */
    public long updates() {
        return update.steps();
    }

    /** The optimiser state, for checkpoints. */
    ParameterUpdate optimizer() {
        return update;
    }

    @Override
    public void close() {
        update.close();
    }
}
