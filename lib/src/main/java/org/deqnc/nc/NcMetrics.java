package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import org.deqnc.engine.HostKernels;

import java.util.Objects;

/**
 * Entry point: computes an {@link NcReport} from in-memory features or from streamed
 * {@link NcStatistics}, with explicit {@link NcConventions}.
 *
 * <pre>{@code
 * NcReport r = NcMetrics.of(Features.of(h), labels, 10)
 *         .classifier(w, b)                       // K×d, bias may be null
 *         .logits(logits)                         // or .predictions(int[]); default argmax(W h + b)
 *         .split(ClassSplit.firstMajority(3))     // Fang et al.'s K_A
 *         .conventions(NcConventions.defaults().with(GlobalMean.SAMPLE))
 *         .report();
 * System.out.println(r);            // every value with its convention
 * Table t = r.toTable();
 * }</pre>
 */
public final class NcMetrics {

    private final Features features;
    private final int[] labels;
    private final NcStatistics statistics;
    private final int numClasses;
    private double[][] weights;
    private double[] bias;
    private int[] predictions;
    private String predictionSource;
    private ClassifierDecisions decisions;
    private ClassSplit split;
    private NcConventions conventions = NcConventions.defaults();
    private WithinScatter keep = WithinScatter.PROJECTED;

    private NcMetrics(Features features, int[] labels, NcStatistics statistics, int numClasses) {
        this.features = features;
        this.labels = labels;
        this.statistics = statistics;
        this.numClasses = numClasses;
    }

    /** Metrics of in-memory N×d features with labels in [0, K). */
    public static NcMetrics of(Features features, int[] labels, int numClasses) {
        Objects.requireNonNull(features, "features");
        Checks.requireClassCount(numClasses);
        Checks.countLabels("labels", labels, features.rows(), numClasses);
        return new NcMetrics(features, labels.clone(), null, numClasses);
    }

    /** Metrics of streamed statistics; NC4 and accuracies need {@link #decisions(ClassifierDecisions)}. */
    public static NcMetrics of(NcStatistics statistics) {
        Objects.requireNonNull(statistics, "statistics");
        return new NcMetrics(null, null, statistics, statistics.numClasses());
    }

    /** The K×d classifier W without bias. */
    public NcMetrics classifier(double[][] w) {
        return classifier(w, null);
    }

    /** The K×d classifier W and its length-K bias b (may be null). */
    public NcMetrics classifier(double[][] w, double[] b) {
        this.weights = w;
        this.bias = b;
        return this;
    }

    /** The classifier as NDArrays: W of shape (K, d), b of shape (K) or null. Values are copied. */
    public NcMetrics classifier(NDArray w, NDArray b) {
        if (w.getShape().dimension() != 2) {
            throw new IllegalArgumentException("W: expected a 2-D array (K, d), got shape " + w.getShape());
        }
        int cols = (int) w.getShape().get(1);
        double[] flat = HostKernels.toDoubles(w);
        double[][] rows = new double[(int) w.getShape().get(0)][cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(flat, r * cols, rows[r], 0, cols);
        }
        return classifier(rows, b == null ? null : HostKernels.toDoubles(b));
    }

    /** The network's class decision for each sample (in-memory features only). */
    public NcMetrics predictions(int[] p) {
        return predictions(p, "predictions given");
    }

    /** N×K logits; predictions are their row-wise argmax (in-memory features only). */
    public NcMetrics logits(double[][] logits) {
        int[] p = Predictions.argmax(logits);
        requireLogitColumns(logits[0].length);
        return predictions(p, "predictions = argmax of given logits");
    }

    /** (N, K) logits as an NDArray; predictions are their row-wise argmax (in-memory features only). */
    public NcMetrics logits(NDArray logits) {
        int[] p = Predictions.argmax(logits);
        requireLogitColumns(logits.getShape().get(1));
        return predictions(p, "predictions = argmax of given logits");
    }

    private NcMetrics predictions(int[] p, String source) {
        if (features == null) {
            throw new IllegalStateException("predictions: only for in-memory features; for statistics stream them "
                    + "through a DecisionAccumulator and pass decisions(...)");
        }
        Checks.countLabels("predictions", p, features.rows(), numClasses);
        this.predictions = p.clone();
        this.predictionSource = source;
        return this;
    }

    /**
     * Decision tallies from a {@link DecisionAccumulator} run with these statistics' class means (give it the
     * classifier too for {@link NcMetric#NC4_LINEAR_NCC_DISAGREEMENT}).
     */
    public NcMetrics decisions(ClassifierDecisions d) {
        if (statistics == null) {
            throw new IllegalStateException("decisions: only for statistics; with in-memory features give predictions or logits");
        }
        if (!d.meansFingerprint().equals(statistics.classMeans().fingerprint())) {
            throw new IllegalArgumentException("decisions: computed against class means with fingerprint "
                    + d.meansFingerprint() + ", but the statistics have " + statistics.classMeans().fingerprint()
                    + "; run the DecisionAccumulator with statistics.classMeans()");
        }
        this.decisions = d;
        this.predictionSource = "decisions streamed";
        return this;
    }

    /** Majority/minority classes for the imbalance measurements and split accuracies. */
    public NcMetrics split(ClassSplit s) {
        this.split = s;
        return this;
    }

    /** The conventions to compute with; {@link NcConventions#defaults()} otherwise. */
    public NcMetrics conventions(NcConventions c) {
        this.conventions = Objects.requireNonNull(c, "conventions");
        return this;
    }

    /**
     * Whether in-memory statistics keep the d×d within-class scatter ({@link WithinScatter#FULL}, needed only
     * for {@link NcStatistics#withinClassCovariance()}); {@link WithinScatter#PROJECTED} otherwise.
     */
    public NcMetrics withinScatter(WithinScatter w) {
        this.keep = Objects.requireNonNull(w, "withinScatter");
        return this;
    }

    /** Computes every value the inputs allow. */
    public NcReport report() {
        boolean[] minority = split == null ? null : split.minorityMask(numClasses);
        NcStatistics stats = statistics;
        ClassifierDecisions dec = decisions;
        String source = predictionSource;
        int dim = statistics != null ? statistics.dim() : features.cols();
        Classifier c = weights == null ? null : Classifier.of(weights, bias, numClasses, dim);
        if (features != null) {
            int[] p = predictions;
            if (p == null && c != null) {
                p = Predictions.linear(features, weights, bias);
                source = "predictions = argmax(W h + b) of the given classifier";
            }
            try (TwoPassAccumulator acc = new TwoPassAccumulator(numClasses, dim, keep)) {
                acc.addFirstPass(features, labels);
                ClassMeans means = acc.endFirstPass();
                if (p == null) {
                    acc.addSecondPass(features, labels);
                } else {
                    // The decisions need only the means, so they ride on pass two's centred blocks: one
                    // reading of the features fewer than a separate decision pass.
                    try (DecisionAccumulator tally = c == null ? new DecisionAccumulator(means)
                            : new DecisionAccumulator(means, c.weights(), c.bias())) {
                        acc.addSecondPass(features, labels, tally.scoreVectors(), tally.blockTally(features, labels, p));
                        dec = tally.finish();
                    }
                }
                stats = acc.finish("in-memory");
            }
        }
        String context = (split == null ? "no class split" : split.describe()) + "; "
                + (source == null ? "no network predictions" : source);
        return NcFormulas.report(stats, conventions, c, dec, minority, context);
    }

    private void requireLogitColumns(long cols) {
        if (cols != numClasses) {
            throw new IllegalArgumentException("logits: expected K = " + numClasses + " columns, got " + cols);
        }
    }
}
