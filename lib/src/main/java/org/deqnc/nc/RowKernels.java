package org.deqnc.nc;

import java.util.stream.IntStream;

/**
 * The per-row loops behind every accumulator, run in Java on the features where they already lie (no
 * float64 copy of the batch, no N×d temporary): class sums, and rows minus their class mean with their
 * squared norms. Only the products with d×P matrices go to BLAS, on the centred rows of a
 * {@link NativeRows} buffer. Rows are split into a fixed number of parts that run in parallel, each with its
 * own partial result, merged in part order: the result does not depend on the number of threads.
 */
final class RowKernels {

    /** Parts a block of rows is split into (the dev machine has 2 cores; more parts only add merging). */
    static final int PARTS = 2;
    /** Blocks with fewer rows run as one part: forking costs more than it saves. */
    private static final int MIN_PARALLEL_ROWS = 512;

    private RowKernels() {
    }

    /** Work on rows [from, to) of a block; {@code part} numbers the part, 0 ≤ part &lt; {@link #parts}. */
    interface RowRange {
        void accept(int part, int from, int to);
    }

    /** How many parts {@link #forEachPart} splits {@code rows} rows into. */
    static int parts(int rows) {
        return rows < MIN_PARALLEL_ROWS ? 1 : PARTS;
    }

    /** Runs {@code body} on {@link #parts} contiguous row ranges of [from, to), in parallel. */
    static void forEachPart(int from, int to, RowRange body) {
        int parts = parts(to - from);
        if (parts == 1) {
            body.accept(0, from, to);
            return;
        }
        IntStream.range(0, parts).parallel().forEach(p ->
                body.accept(p, from + (int) ((long) (to - from) * p / parts), from + (int) ((long) (to - from) * (p + 1) / parts)));
    }

    /**
     * Adds row i of {@code x} (row-major, row {@code from} at {@code offset}) to row labels[i] of the
     * row-major K×d {@code sums}, for i in [from, to).
     */
    static void addClassSums(double[] x, int offset, int[] labels, int from, int to, int d, double[] sums) {
        int parts = parts(to - from);
        double[][] partial = new double[parts][sums.length];
        forEachPart(from, to, (p, lo, hi) -> {
            double[] s = partial[p];
            for (int i = lo; i < hi; i++) {
                int row = offset + (i - from) * d;
                int k = labels[i] * d;
                for (int j = 0; j < d; j++) {
                    s[k + j] += x[row + j];
                }
            }
        });
        for (double[] s : partial) {
            for (int j = 0; j < sums.length; j++) {
                sums[j] += s[j];
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
