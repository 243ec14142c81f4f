package org.deqnc.deq;

import ai.djl.Model;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;

/**
 * DJL's {@link Trainer} whose gradient collector is a {@link DeqGradientCollector}, so the ordinary
 * loop — or {@code EasyTrain.fit} — trains DEQ layers with implicit gradients and Jacobian
 * penalties. Use it instead of {@code model.newTrainer(config)}:
 *
 * <pre>{@code
 * try (Trainer trainer = new DeqTrainer(model, config)) {
 *     trainer.initialize(new Shape(batch, 784));
 *     try (GradientCollector gc = trainer.newGradientCollector()) {
 *         NDList out = trainer.forward(new NDList(x));
 *         gc.backward(trainer.getLoss().evaluate(new NDList(y), out));
 *     }
 *     trainer.step();
 * }
 * }</pre>
 */
public class DeqTrainer extends Trainer {

    public DeqTrainer(Model model, TrainingConfig trainingConfig) {
        super(model, trainingConfig);
    }

    @Override
    public GradientCollector newGradientCollector() {
        return DeqGradientCollector.open();
    }
}
