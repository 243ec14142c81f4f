package org.deqnc.nc;

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

    /** ‖v‖² of v[at..at+d) with four independent sums, so the loop is not bound by the latency of one add. */
    static double squaredNorm(double[] v, int at, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < d; j += 4) {
            s0 += v[at + j] * v[at + j];
            s1 += v[at + j + 1] * v[at + j + 1];
            s2 += v[at + j + 2] * v[at + j + 2];
            s3 += v[at + j + 3] * v[at + j + 3];
        }
        for (; j < d; j++) {
            s0 += v[at + j] * v[at + j];
        }
        return (s0 + s1) + (s2 + s3);
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
