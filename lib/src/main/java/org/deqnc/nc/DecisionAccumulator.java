package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;


/**
 * Streams (features, labels, network predictions) against fixed class means and counts, per class, how
 * often the network is right, how often the nearest-class-centre rule argmin_k ‖h − μ_k‖ is right, and
 * how often the two disagree (NC4 as in Papyan et al.'s {@code NCC_mismatch}). Given a linear classifier
 * it also counts how often argmax_k (w_k·h + b_k) disagrees with the NCC rule (NC4 as in rhubarbwu's
 * {@code clf_ncc_agreement}); the two coincide when the network's predictions are that classifier's.
 * The result carries the means' fingerprint so that it can only be combined with statistics that have
 * the same means.
 */
public final class DecisionAccumulator extends BatchAccumulator {

    private final ClassMeans classMeans;
    private final double[] means;
    /** S×d row-major: −2μ_k, then (with a classifier) w_k: S = K or 2K scores per row. */
    private final double[] scoreVectors;
    /**
     * K×S, row y: what a row of class y adds to its centred row's products with {@link #scoreVectors} to get
     * its scores, ‖μ_k‖² − 2μ_y·μ_k, then w_k·μ_y + b_k (the rows arrive centred about their class mean).
     */
    private final double[] scoreOffsets;
    private final int scores;
    private final NativeRows nativeRows;
    private final long[] counts;
    private final long[] networkCorrect;
    private final long[] nccCorrect;
    private final long[] disagreements;
    private final long[] linearDisagreements;

    /** Decisions against {@code means}, e.g. {@link NcStatistics#classMeans()} or {@link TwoPassAccumulator#endFirstPass()}. */
    public DecisionAccumulator(ClassMeans means) {
        this(means, null, null);
    }

    /**
     * As {@link #DecisionAccumulator(ClassMeans)}, also tallying the linear classifier W (K×d) with bias b
     * (length K, may be null) against the NCC rule.
     */
    public DecisionAccumulator(ClassMeans means, double[][] weights, double[] bias) {
        super(means.numClasses(), means.dim());
        this.classMeans = means;
        this.means = means.flatMeans();
        Classifier c = weights == null ? null : Classifier.of(weights, bias, numClasses, dim);
        double[][] mu = means.meansView();
        this.scores = c == null ? numClasses : 2 * numClasses;
        double[] rows = new double[scores * dim];
        this.scoreOffsets = new double[numClasses * scores];
        for (int k = 0; k < numClasses; k++) {
            for (int j = 0; j < dim; j++) {
                rows[k * dim + j] = -2 * mu[k][j];
            }
            for (int y = 0; y < numClasses; y++) {
                scoreOffsets[y * scores + k] = Dense.dot(mu[k], mu[k]) - 2 * Dense.dot(mu[y], mu[k]);
            }
        }
        if (c != null) {
            System.arraycopy(c.flatWeights(), 0, rows, numClasses * dim, numClasses * dim);
            double[][] w = c.weights();
            for (int k = 0; k < numClasses; k++) {
                for (int y = 0; y < numClasses; y++) {
                    scoreOffsets[y * scores + numClasses + k] = Dense.dot(w[k], mu[y])
                            + (c.bias() == null ? 0 : c.bias()[k]);
                }
            }
        }
        this.scoreVectors = rows;
        this.nativeRows = new NativeRows(manager, dim);
        this.linearDisagreements = c == null ? null : new long[numClasses];
        this.counts = new long[numClasses];
        this.networkCorrect = new long[numClasses];
        this.nccCorrect = new long[numClasses];
        this.disagreements = new long[numClasses];
    }

    /** Adds a batch; {@code predictions} are the network's class decisions for its rows. */
    public void add(Features batch, int[] labels, int[] predictions) {
        NativeRows.ProductBody tally = blockTally(batch, labels, predictions);
        try (NDArray vectors = manager.create(scoreVectors, new Shape(scores, dim))) {
            nativeRows.forEachBlock(manager, batch, labels, means, new double[numClasses], (centred, from, to) ->
                    tally.accept(NativeRows.products(vectors, centred), 0, from, to));
        }
    }

    /** The S×d row-major vectors whose products with the centred rows {@link #blockTally} reads. */
    double[] scoreVectors() {
        return scoreVectors.clone();
    }

    /**
     * Checks the batch and returns the tally of blocks of its rows centred about these means, given their
     * products with {@link #scoreVectors()}, so that a pass that already multiplies each centred block (the
     * in-memory report's pass two) can tally decisions in the same product.
     */
    NativeRows.ProductBody blockTally(Features batch, int[] labels, int[] predictions) {
        countBatch(batch, labels);
        Checks.countLabels("predictions", predictions, batch.rows(), numClasses);
        return (product, first, from, to) -> {
            // One product for both rules: ‖h − μ_k‖² − ‖h‖² = ‖μ_k‖² − 2 h·μ_k (the ‖h‖² term does not change
            // the argmin) in the first K scores, w_k·h + b_k in the next K, with h = c + μ_y for the centred
            // row c; the argmin/argmax run here in Java on the small (S × rows) product.
            int rows = to - from;
            double[] s = new double[scores];
            for (int i = from; i < to; i++) {
                int y = labels[i];
                for (int k = 0; k < scores; k++) {
                    s[k] = product[(first + k) * rows + i - from] + scoreOffsets[y * scores + k];
                }
                int nearest = argBest(s, 0, numClasses, -1);
                counts[y]++;
                networkCorrect[y] += predictions[i] == y ? 1 : 0;
                nccCorrect[y] += nearest == y ? 1 : 0;
                disagreements[y] += nearest != predictions[i] ? 1 : 0;
                if (linearDisagreements != null) {
                    linearDisagreements[y] += nearest != argBest(s, numClasses, numClasses, 1) ? 1 : 0;
                }
            }
        };
    }

    /** The index of the first largest {@code sign · v} among {@code v[at..at+k)}, as torch's argmax/argmin. */
    private static int argBest(double[] v, int at, int k, int sign) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (sign * v[at + j] > sign * v[at + best]) {
                best = j;
            }
        }
        return best;
    }

    /** The per-class tallies so far. */
    public ClassifierDecisions finish() {
        return new ClassifierDecisions(classMeans.fingerprint(), counts, networkCorrect, nccCorrect, disagreements,
                linearDisagreements);
    }
}
