package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.Engines;

/**
 * Streams (features, labels, network predictions) against fixed class means and counts, per class, how
 * often the network is right, how often the nearest-class-centre rule argmin_k ‖h − μ_k‖ is right, and
 * how often the two disagree (NC4). The result carries the means' fingerprint so that it can only be
 * combined with statistics that have the same means.
 */
public final class DecisionAccumulator implements AutoCloseable {

    private final ClassMeans classMeans;
    private final int numClasses;
    private final NDManager manager;
    private final NDArray meansTransposed;
    private final NDArray squaredNorms;
    private final long[] counts;
    private final long[] networkCorrect;
    private final long[] nccCorrect;
    private final long[] disagreements;

    /** Decisions against {@code means}, e.g. {@link NcStatistics#classMeans()} or {@link TwoPassAccumulator#endFirstPass()}. */
    public DecisionAccumulator(ClassMeans means) {
        this.classMeans = means;
        this.numClasses = means.numClasses();
        this.manager = Engines.newManager();
        NDArray m = manager.create(means.flatMeans(), new Shape(numClasses, means.dim()));
        this.meansTransposed = m.transpose();
        this.squaredNorms = m.square().sum(new int[] {1}).reshape(1, numClasses);
        this.counts = new long[numClasses];
        this.networkCorrect = new long[numClasses];
        this.nccCorrect = new long[numClasses];
        this.disagreements = new long[numClasses];
    }

    /** Adds a batch; {@code predictions} are the network's class decisions for its rows. */
    public void add(Features batch, int[] labels, int[] predictions) {
        Checks.requireDim(classMeans.dim(), batch);
        Checks.countLabels("labels", labels, batch.rows(), numClasses);
        Checks.countLabels("predictions", predictions, batch.rows(), numClasses);
        batch.forEachChunk(manager, (x, from, to, tmp) -> {
            // ‖h − μ_k‖² = ‖h‖² − 2 h·μ_k + ‖μ_k‖²; the ‖h‖² term does not change the argmin.
            long[] ncc = x.matMul(meansTransposed).muli(-2).addi(squaredNorms).argMin(1).toLongArray();
            for (int i = from; i < to; i++) {
                int y = labels[i];
                long nearest = ncc[i - from];
                counts[y]++;
                networkCorrect[y] += predictions[i] == y ? 1 : 0;
                nccCorrect[y] += nearest == y ? 1 : 0;
                disagreements[y] += nearest != predictions[i] ? 1 : 0;
            }
        });
    }

    /** The per-class tallies so far. */
    public ClassifierDecisions finish() {
        return new ClassifierDecisions(classMeans.fingerprint(), counts, networkCorrect, nccCorrect, disagreements);
    }

    @Override
    public void close() {
        manager.close();
    }
}
