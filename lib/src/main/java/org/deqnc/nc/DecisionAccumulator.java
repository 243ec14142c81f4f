package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

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
    /** d×K columns −2μ_k, then (with a classifier) d×K columns w_k. */
    private final NDArray scoreColumns;
    /** ‖μ_k‖², then (with a classifier) b_k: added to each row of x·scoreColumns. */
    private final NDArray scoreOffsets;
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
        double[] flatMeans = means.flatMeans();
        double[] minusTwoMeans = new double[flatMeans.length];
        double[] squaredNorms = new double[numClasses];
        for (int i = 0; i < flatMeans.length; i++) {
            minusTwoMeans[i] = -2 * flatMeans[i];
            squaredNorms[i / dim] += flatMeans[i] * flatMeans[i];
        }
        if (weights == null) {
            this.scoreColumns = manager.create(minusTwoMeans, new Shape(numClasses, dim)).transpose();
            this.scoreOffsets = manager.create(squaredNorms);
            this.linearDisagreements = null;
        } else {
            Classifier c = Classifier.of(weights, bias, numClasses, dim);
            double[] rows = Arrays.copyOf(minusTwoMeans, 2 * numClasses * dim);
            System.arraycopy(c.flatWeights(), 0, rows, numClasses * dim, numClasses * dim);
            double[] offsets = Arrays.copyOf(squaredNorms, 2 * numClasses);
            if (c.bias() != null) {
                System.arraycopy(c.bias(), 0, offsets, numClasses, numClasses);
            }
            this.scoreColumns = manager.create(rows, new Shape(2 * numClasses, dim)).transpose();
            this.scoreOffsets = manager.create(offsets);
            this.linearDisagreements = new long[numClasses];
        }
        this.counts = new long[numClasses];
        this.networkCorrect = new long[numClasses];
        this.nccCorrect = new long[numClasses];
        this.disagreements = new long[numClasses];
    }

    /** Adds a batch; {@code predictions} are the network's class decisions for its rows. */
    public void add(Features batch, int[] labels, int[] predictions) {
        batch.forEachChunk(manager, chunkTally(batch, labels, predictions));
    }

    /**
     * Checks the batch and returns the per-chunk tally, so that a pass that already has each float64 chunk
     * (the in-memory report's pass two) can tally decisions without converting the features again.
     */
    Features.ChunkBody chunkTally(Features batch, int[] labels, int[] predictions) {
        countBatch(batch, labels);
        Checks.countLabels("predictions", predictions, batch.rows(), numClasses);
        int columns = linearDisagreements == null ? numClasses : 2 * numClasses;
        return (x, from, to, tmp) -> {
            // One product for both rules: ‖h − μ_k‖² − ‖h‖² = ‖μ_k‖² − 2 h·μ_k (the ‖h‖² term does not change
            // the argmin) in the first K columns, w_k·h + b_k in the next K; the argmin/argmax run here in Java
            // on the small (rows × 2K) result instead of as further native calls.
            double[] scores = x.matMul(scoreColumns).addi(scoreOffsets).toDoubleArray();
            for (int i = from; i < to; i++) {
                int row = (i - from) * columns;
                int y = labels[i];
                int nearest = argBest(scores, row, numClasses, -1);
                counts[y]++;
                networkCorrect[y] += predictions[i] == y ? 1 : 0;
                nccCorrect[y] += nearest == y ? 1 : 0;
                disagreements[y] += nearest != predictions[i] ? 1 : 0;
                if (linearDisagreements != null) {
                    linearDisagreements[y] += nearest != argBest(scores, row + numClasses, numClasses, 1) ? 1 : 0;
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
