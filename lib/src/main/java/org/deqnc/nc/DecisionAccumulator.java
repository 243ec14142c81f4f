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
    private final NDArray meansTransposed;
    private final NDArray squaredNorms;
    private final NDArray weightsTransposed;
    private final NDArray bias;
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
        NDArray m = manager.create(means.flatMeans(), new Shape(numClasses, dim));
        this.meansTransposed = m.transpose();
        this.squaredNorms = m.square().sum(new int[] {1}).reshape(1, numClasses);
        if (weights == null) {
            this.weightsTransposed = null;
            this.bias = null;
            this.linearDisagreements = null;
        } else {
            Classifier c = Classifier.of(weights, bias, numClasses, dim);
            this.weightsTransposed = manager.create(c.flatWeights(), new Shape(numClasses, dim)).transpose();
            this.bias = manager.create(c.bias() == null ? new double[numClasses] : c.bias());
            this.linearDisagreements = new long[numClasses];
        }
        this.counts = new long[numClasses];
        this.networkCorrect = new long[numClasses];
        this.nccCorrect = new long[numClasses];
        this.disagreements = new long[numClasses];
    }

    /** Adds a batch; {@code predictions} are the network's class decisions for its rows. */
    public void add(Features batch, int[] labels, int[] predictions) {
        countBatch(batch, labels);
        Checks.countLabels("predictions", predictions, batch.rows(), numClasses);
        batch.forEachChunk(manager, (x, from, to, tmp) -> {
            // ‖h − μ_k‖² = ‖h‖² − 2 h·μ_k + ‖μ_k‖²; the ‖h‖² term does not change the argmin.
            long[] ncc = x.matMul(meansTransposed).muli(-2).addi(squaredNorms).argMin(1).toLongArray();
            long[] linear = weightsTransposed == null ? null
                    : x.matMul(weightsTransposed).addi(bias).argMax(1).toLongArray();
            for (int i = from; i < to; i++) {
                int y = labels[i];
                long nearest = ncc[i - from];
                counts[y]++;
                networkCorrect[y] += predictions[i] == y ? 1 : 0;
                nccCorrect[y] += nearest == y ? 1 : 0;
                disagreements[y] += nearest != predictions[i] ? 1 : 0;
                if (linear != null) {
                    linearDisagreements[y] += nearest != linear[i - from] ? 1 : 0;
                }
            }
        });
    }

    /** The per-class tallies so far. */
    public ClassifierDecisions finish() {
        return new ClassifierDecisions(classMeans.fingerprint(), counts, networkCorrect, nccCorrect, disagreements,
                linearDisagreements);
    }
}
