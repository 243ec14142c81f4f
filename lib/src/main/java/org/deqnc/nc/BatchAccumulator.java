package org.deqnc.nc;

import ai.djl.ndarray.NDManager;
import org.deqnc.engine.Engines;

/**
 * What every accumulator shares: validated K and d, a private native-memory manager freed by
 * {@link #close()}, and the check of each incoming batch.
 */
abstract class BatchAccumulator implements AutoCloseable {

    final int numClasses;
    final int dim;
    final NDManager manager;

    BatchAccumulator(int numClasses, int dim) {
        Checks.requireClassCount(numClasses);
        Checks.requireFeatureDim(dim);
        this.numClasses = numClasses;
        this.dim = dim;
        this.manager = Engines.newManager();
    }

    /** The batch's per-class label counts, after checking its width and its labels. */
    final long[] countBatch(Features batch, int[] labels) {
        Checks.requireDim(dim, batch);
        return Checks.countLabels("labels", labels, batch.rows(), numClasses);
    }

    /** Frees the accumulator's native memory. */
    @Override
    public void close() {
        manager.close();
    }
}
