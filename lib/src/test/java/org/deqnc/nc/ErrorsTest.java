package org.deqnc.nc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bad input fails with one clear line that names the argument. */
class ErrorsTest {

    private static final double[][] H = {{2, 1}, {2, -1}, {-2, 2}, {0, 2}, {-1, -1}, {-1, -3}};
    private static final int[] Y = {0, 0, 1, 1, 2, 2};

    @Test
    void emptyClass() {
        assertMessage(IllegalArgumentException.class, () -> NcMetrics.of(Features.of(H), new int[] {0, 0, 1, 1, 1, 1}, 3).report(),
                "labels: class 2 has no samples (class counts [2, 4, 0]); every class 0..2 needs at least one");
        try (OnePassAccumulator acc = new OnePassAccumulator(4, 2)) {
            acc.add(Features.of(H), Y);
            assertMessage(IllegalArgumentException.class, acc::finish,
                    "labels: class 3 has no samples (class counts [2, 2, 2, 0]); every class 0..3 needs at least one");
        }
    }

    @Test
    void mismatchedLabelCount() {
        assertMessage(IllegalArgumentException.class, () -> NcMetrics.of(Features.of(H), new int[] {0, 1, 2}, 3),
                "labels: length 3 does not match the 6 feature rows");
        assertMessage(IllegalArgumentException.class, () -> NcMetrics.of(Features.of(H), Y, 3).predictions(new int[] {0}),
                "predictions: length 1 does not match the 6 feature rows");
    }

    @Test
    void tooFewClasses() {
        assertMessage(IllegalArgumentException.class, () -> NcMetrics.of(Features.of(H), new int[6], 1),
                "K: must be >= 2 (NC compares classes), got 1");
        assertMessage(IllegalArgumentException.class, () -> new TwoPassAccumulator(0, 3),
                "K: must be >= 2 (NC compares classes), got 0");
    }

    @Test
    void nonFiniteFeatures() {
        double[][] bad = {{2, 1}, {Double.NaN, -1}, {-2, 2}, {0, 2}, {-1, -1}, {-1, -3}};
        assertMessage(IllegalArgumentException.class, () -> NcMetrics.of(Features.of(bad), Y, 3).report(),
                "features: non-finite value NaN at row 1, column 0; NC metrics need finite features");
        bad[1][0] = -1;
        bad[4][1] = Double.POSITIVE_INFINITY;
        try (TwoPassAccumulator acc = new TwoPassAccumulator(3, 2)) {
            assertMessage(IllegalArgumentException.class, () -> acc.addFirstPass(Features.of(bad), Y),
                    "features: non-finite value Infinity at row 4, column 1; NC metrics need finite features");
        }
    }

    @Test
    void everyReaderOfTheFeaturesNamesTheNonFiniteEntry() {
        double[][] bad = {{2, 1}, {2, -1}, {-2, 2}, {0, Double.NEGATIVE_INFINITY}, {-1, -1}, {-1, -3}};
        String message = "features: non-finite value -Infinity at row 3, column 1; NC metrics need finite features";
        try (OnePassAccumulator acc = new OnePassAccumulator(3, 2)) {
            assertMessage(IllegalArgumentException.class, () -> acc.add(Features.of(bad), Y), message);
        }
        ClassMeans means = NcStatistics.of(Features.of(H), Y, 3).classMeans();
        try (DecisionAccumulator dec = new DecisionAccumulator(means)) {
            assertMessage(IllegalArgumentException.class, () -> dec.add(Features.of(bad), Y, Y), message);
        }
        assertMessage(IllegalArgumentException.class,
                () -> Predictions.linear(Features.of(bad), new double[][] {{1, 0}, {0, 1}, {1, 1}}, null), message);
        // Pass two reads the rows again: a non-finite entry that only it sees is reported too.
        try (TwoPassAccumulator acc = new TwoPassAccumulator(3, 2)) {
            acc.addFirstPass(Features.of(H), Y);
            acc.endFirstPass();
            assertMessage(IllegalArgumentException.class, () -> acc.addSecondPass(Features.of(bad), Y), message);
        }
        try (ai.djl.ndarray.NDManager m = org.deqnc.engine.Engines.newManager()) {
            ai.djl.ndarray.NDArray nd = m.create(Dense.flatten(bad), new ai.djl.ndarray.types.Shape(6, 2))
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            assertMessage(IllegalArgumentException.class, () -> NcMetrics.of(Features.of(nd), Y, 3).report(), message);
        }
    }

    @Test
    void labelsOutOfRangeAndShapes() {
        assertMessage(IllegalArgumentException.class, () -> NcMetrics.of(Features.of(H), new int[] {0, 0, 1, 1, 2, 3}, 3),
                "labels: value 3 at index 5 is outside [0, K) with K = 3");
        assertMessage(IllegalArgumentException.class,
                () -> NcMetrics.of(Features.of(H), Y, 3).classifier(new double[][] {{1, 0}, {0, 1}}).report(),
                "W: expected 3 x 2, got 2 rows");
        assertMessage(IllegalArgumentException.class, () -> Features.of(new double[5], 2, 3),
                "features: flat length 5 does not match shape 2 x 3 = 6");
        try (TwoPassAccumulator acc = new TwoPassAccumulator(3, 3)) {
            assertMessage(IllegalArgumentException.class, () -> acc.addFirstPass(Features.of(H), Y),
                    "features: expected d = 3 columns, got 2");
        }
    }

    @Test
    void classSplitIsValidatedAgainstK() {
        assertMessage(IllegalArgumentException.class,
                () -> NcMetrics.of(Features.of(H), Y, 3).split(ClassSplit.firstMajority(3)).report(),
                "K_A: must satisfy 1 <= K_A < K = 3, got 3");
        assertMessage(IllegalArgumentException.class,
                () -> NcMetrics.of(Features.of(H), Y, 3).split(ClassSplit.minority(1, 1)).report(),
                "minority classes: [1, 1] must be distinct classes in [0, K) with K = 3");
    }

    @Test
    void twoPassGuards() {
        try (TwoPassAccumulator acc = new TwoPassAccumulator(3, 2)) {
            assertMessage(IllegalStateException.class, () -> acc.addSecondPass(Features.of(H), Y),
                    "addSecondPass: not allowed now (call endFirstPass() first)");
            acc.addFirstPass(Features.of(H), Y);
            acc.endFirstPass();
            assertMessage(IllegalStateException.class, () -> acc.addFirstPass(Features.of(H), Y),
                    "addFirstPass: not allowed now (the first pass has ended; add batches with addSecondPass())");
            acc.addSecondPass(Features.of(H), Y);
            acc.addSecondPass(Features.of(new double[][] {{2, 1}}), new int[] {0});
            assertMessage(IllegalStateException.class, acc::finish,
                    "second pass: class counts [3, 2, 2] differ from the first pass's [2, 2, 2]; "
                            + "both passes must stream the same samples");
        }
    }

    @Test
    void decisionsMustUseTheStatisticsMeans() {
        NcStatistics stats = NcStatistics.of(Features.of(H), Y, 3);
        double[][] shifted = {{2, 1.5}, {2, -1}, {-2, 2}, {0, 2}, {-1, -1}, {-1, -3}};
        NcStatistics other = NcStatistics.of(Features.of(shifted), Y, 3);
        ClassifierDecisions dec;
        try (DecisionAccumulator acc = new DecisionAccumulator(other.classMeans())) {
            acc.add(Features.of(H), Y, Y);
            dec = acc.finish();
        }
        assertMessage(IllegalArgumentException.class, () -> NcMetrics.of(stats).decisions(dec),
                "decisions: computed against class means with fingerprint " + other.classMeans().fingerprint()
                        + ", but the statistics have " + stats.classMeans().fingerprint()
                        + "; run the DecisionAccumulator with statistics.classMeans()");
    }

    @Test
    void missingInputsAreNamedWhenAValueIsAskedFor() {
        NcReport r = NcMetrics.of(Features.of(H), Y, 3).report();
        assertMessage(IllegalStateException.class, r::nc3, "nc3_duality: not computed (needs the classifier W)");
        assertMessage(IllegalStateException.class, r::nc4,
                "nc4_ncc_disagreement: not computed (needs predictions, logits or a classifier)");
        assertMessage(IllegalStateException.class, () -> r.statistics().withinClassCovariance(),
                "withinClassCovariance: the d x d scatter was not kept (WithinScatter.PROJECTED); "
                        + "gather the statistics with WithinScatter.FULL");
    }

    private static void assertMessage(Class<? extends Throwable> type, Executable call, String message) {
        assertEquals(message, assertThrows(type, call).getMessage());
    }
}
