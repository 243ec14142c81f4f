package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.Engines;

/** Network class decisions from logits or from a linear classifier, for NC4 and the accuracies. */
public final class Predictions {

    private Predictions() {
    }

    /** argmax of each row of N×K logits (the first maximum on ties). */
    public static int[] argmax(double[][] logits) {
        if (logits == null || logits.length == 0) {
            throw new IllegalArgumentException("logits: must have at least one row");
        }
        int[] p = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            double[] row = logits[i];
            if (row == null || row.length != logits[0].length) {
                throw new IllegalArgumentException("logits: row " + i + " has length "
                        + (row == null ? "null" : row.length) + ", expected " + logits[0].length + " like row 0");
            }
            for (int k = 1; k < row.length; k++) {
                if (row[k] > row[p[i]]) {
                    p[i] = k;
                }
            }
        }
        return p;
    }

    /** argmax of each row of an (N, K) logits array; the array is not modified. */
    public static int[] argmax(NDArray logits) {
        if (logits.getShape().dimension() != 2) {
            throw new IllegalArgumentException("logits: expected a 2-D array (N, K), got shape " + logits.getShape());
        }
        try (NDArray idx = logits.argMax(1)) {
            long[] l = idx.toLongArray();
            int[] p = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                p[i] = (int) l[i];
            }
            return p;
        }
    }

    /** argmax_k (w_k·h + b_k) for each row h of the features; {@code bias} may be null. */
    public static int[] linear(Features features, double[][] weights, double[] bias) {
        Classifier c = Classifier.of(weights, bias, weights == null ? 0 : weights.length, features.cols());
        int[] p = new int[features.rows()];
        try (NDManager m = Engines.newManager()) {
            NDArray weightsT = m.create(c.flatWeights(), new Shape(c.numClasses(), c.dim())).transpose();
            NDArray b = m.create(c.bias() == null ? new double[c.numClasses()] : c.bias());
            NativeRows rows = new NativeRows(m, features.cols());
            features.forEachBlock((x, offset, from, to) -> {
                try (NDManager tmp = m.newSubManager()) {
                    NDArray scores = rows.copy(tmp, x, offset, from, to).matMul(weightsT).addi(b);
                    if (!RowKernels.allFinite(scores.toDoubleArray())) {
                        Features.requireFinite(x, offset, from, to, features.cols());
                    }
                    System.arraycopy(argmax(scores), 0, p, from, to - from);
                }
            });
        }
        return p;
    }
}
