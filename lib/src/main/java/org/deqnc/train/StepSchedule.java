package org.deqnc.train;

/**
 * Fang et al.'s step decay: the learning rate is multiplied by {@code factor} after {@code epochs / 3} and again
 * after {@code 2 * epochs / 3} completed epochs (integer division), as PyTorch's {@code MultiStepLR} with
 * milestones {@code [epochs // 3, 2 * epochs // 3]} stepped once per epoch. A milestone of 0 never fires there
 * (the scheduler's first step already moves to epoch 1), so runs of fewer than 3 epochs decay less.
 */
public final class StepSchedule {

    private final double lr;
    private final double factor;
    private final int epochs;

    /**
     * @param lr     initial learning rate, finite and {@code > 0}
     * @param factor decay factor in {@code (0, 1]}
     * @param epochs total epochs, {@code >= 1}
     */
    public StepSchedule(double lr, double factor, int epochs) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr: must be a finite number > 0, got " + lr);
        }
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("lr_decay: must be in (0, 1], got " + factor);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
        }
        this.lr = lr;
        this.factor = factor;
        this.epochs = epochs;
    }

    /** The schedule of an experiment's {@code lr}, {@code lr_decay} and {@code epochs}. */
    public static StepSchedule of(Experiment e) {
        return new StepSchedule(e.get(Experiment.LR), e.get(Experiment.LR_DECAY), e.epochs());
    }

    /** The learning rate of 0-based {@code epoch}. */
    public double lr(int epoch) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IllegalArgumentException("epoch: must be in [0, " + epochs + "), got " + epoch);
        }
        double rate = lr;
        for (int milestone : new int[] {epochs / 3, 2 * epochs / 3}) {
            if (milestone >= 1 && epoch >= milestone) {
                rate *= factor;
            }
        }
        return rate;
    }
}
