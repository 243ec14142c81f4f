package org.deqnc.train;

import org.deqnc.data.DataOptions;
import org.deqnc.data.LabeledData;
import org.deqnc.data.Normalization;
import org.deqnc.data.SeededShuffle;
import org.deqnc.data.Split;
import org.deqnc.data.StepImbalance;

/**
 * The training and test sets of an experiment: read (or generated), step-imbalanced (training only),
 * sub-sampled, and normalised with the training set's statistics.
 *
 * @param train the (imbalanced) training set
 * @param test  the balanced test set
 */
record TrainingData(LabeledData train, LabeledData test) {

    /** Streams of {@link SeededShuffle#streamSeed} for data decisions, apart from the per-epoch batch orders. */
    private static final long SELECTION_STREAM = -2;
    private static final long TEST_SELECTION_STREAM = -3;

    static TrainingData load(Experiment e) {
        LabeledData train = read(e, Split.TRAIN);
        LabeledData test = read(e, Split.TEST);
        train = StepImbalance.of(e.kA(), e.r()).apply(train, e.get(Experiment.PER_CLASS),
                SeededShuffle.streamSeed(e.seed(), SELECTION_STREAM));
        int testPerClass = e.get(Experiment.TEST_PER_CLASS);
        if (testPerClass > 0) {
            test = test.balancedSubset(testPerClass, SeededShuffle.streamSeed(e.seed(), TEST_SELECTION_STREAM));
        }
        if (e.get(Experiment.NORMALIZE)) {
            Normalization n = Normalization.fit(train);
            train = train.normalized(n);
            test = test.normalized(n);
        }
        return new TrainingData(train, test);
    }

    /** The split of the configured data set; a reader's error is prefixed with the settings that chose it. */
    private static LabeledData read(Experiment e, Split split) {
        try {
            return e.dataSource().load(e.dataOptions(), split);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("experiment: dataset=" + e.dataset() + " data_dir="
                    + e.get(DataOptions.DATA_DIR) + ": " + ex.getMessage(), ex);
        }
    }
}
