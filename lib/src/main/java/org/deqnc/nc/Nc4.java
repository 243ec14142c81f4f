package org.deqnc.nc;

/**
 * NC4, convergence of the network's decisions to the nearest-class-centre rule argmin_k ‖h − μ_k‖, for in-memory
 * features; streamed features tally the same through a {@link DecisionAccumulator} (whose
 * {@link ClassifierDecisions} hold every NC4 value), and {@link NcMetrics} composes them into a report.
 */
public final class Nc4 {

    private Nc4() {
    }

    /**
     * Fraction of samples whose NCC decision (with the class means of {@code s}) differs from the network's
     * {@code predictions} ({@link NcMetric#NC4_NCC_DISAGREEMENT}); {@code h} and {@code labels} are the samples
     * {@code s} was gathered from.
     */
    public static double nccDisagreement(NcStatistics s, Features h, int[] labels, int[] predictions) {
        try (DecisionAccumulator tally = new DecisionAccumulator(s.classMeans())) {
            tally.add(h, labels, predictions);
            return tally.finish().nccDisagreement();
        }
    }

    /**
     * Fraction of samples whose NCC decision differs from argmax_k (w_k·h + b_k) of the K×d classifier {@code w}
     * and bias {@code b} (may be null) ({@link NcMetric#NC4_LINEAR_NCC_DISAGREEMENT}).
     */
    public static double linearNccDisagreement(NcStatistics s, Features h, int[] labels, double[][] w, double[] b) {
        try (DecisionAccumulator tally = new DecisionAccumulator(s.classMeans(), w, b)) {
            tally.add(h, labels, Predictions.linear(h, w, b));
            return tally.finish().linearNccDisagreement();
        }
    }
}
