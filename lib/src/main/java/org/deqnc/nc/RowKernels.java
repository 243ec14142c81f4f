package org.deqnc.nc;

import org.deqnc.engine.HostKernels;

/**
 * The per-row loops behind every accumulator, run in Java on the features where they already lie (no
 * float64 copy of the batch, no N×d temporary): class sums, squared norms, finiteness. Only the products
 * with d×P matrices go to BLAS, on the centred rows of a {@link NativeRows} buffer. They run on the
 * calling thread: splitting them over the two cores of the dev machine made the whole report no faster
 * (two rounds of 10 repeats each way, N = 60000, d = 512), since libtorch's own threads compete for the same cores.
 */
final class RowKernels {

    private RowKernels() {
    }

    /**
     * Adds row i of {@code x} (row-major, row {@code from} at {@code offset}) to row labels[i] of the
     * row-major K×d {@code sums}, for i in [from, to).
     */
    static void addClassSums(double[] x, int offset, int[] labels, int from, int to, int d, double[] sums) {
        for (int i = from; i < to; i++) {
            int row = offset + (i - from) * d;
            int k = labels[i] * d;
            for (int j = 0; j < d; j++) {
                sums[k + j] += x[row + j];
            }
        }
    }

    /** ‖v‖² of v[at..at+d). */
    static double squaredNorm(double[] v, int at, int d) {
        return HostKernels.dot(v, at, v, at, d);
    }

    /** Whether every entry is finite. */
    static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
