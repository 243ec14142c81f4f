package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.ComputationInterruptedException;

import java.util.Objects;

/**
 * A read-only view of an N×d feature matrix (one sample per row) as a Java {@code double[][]}, a flat
 * row-major {@code double[]} with its shape, or a 2-D DJL {@link NDArray} of any floating type. Metric
 * code reads it block by block, in place where it is a Java array. Non-finite entries are reported when
 * the features are first used, naming the row and column.
 */
public final class Features {

    private final double[] flat;
    private final NDArray array;
    private final int rows;
    private final int cols;

    private Features(double[] flat, NDArray array, int rows, int cols) {
        this.flat = flat;
        this.array = array;
        this.rows = rows;
        this.cols = cols;
    }

    /** Rows of {@code h} are samples; all rows must have the same length. The data is copied. */
    public static Features of(double[][] h) {
        Objects.requireNonNull(h, "features");
        if (h.length == 0 || h[0] == null || h[0].length == 0) {
            throw new IllegalArgumentException("features: must have at least one row and one column");
        }
        int d = h[0].length;
        double[] flat = new double[Math.multiplyExact(h.length, d)];
        for (int i = 0; i < h.length; i++) {
            if (h[i] == null || h[i].length != d) {
                throw new IllegalArgumentException("features: row " + i + " has length "
                        + (h[i] == null ? "null" : h[i].length) + ", expected " + d + " like row 0");
            }
            System.arraycopy(h[i], 0, flat, i * d, d);
        }
        return new Features(flat, null, h.length, d);
    }

    /** A row-major {@code rows × cols} matrix stored in {@code flat}; the array is read, not copied. */
    public static Features of(double[] flat, int rows, int cols) {
        Objects.requireNonNull(flat, "features");
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("features: shape must be positive, got " + rows + " x " + cols);
        }
        if (flat.length != (long) rows * cols) {
            throw new IllegalArgumentException("features: flat length " + flat.length + " does not match shape "
                    + rows + " x " + cols + " = " + (long) rows * cols);
        }
        return new Features(flat, null, rows, cols);
    }

    /** A 2-D floating-point array; it stays owned by its manager and is never modified. */
    public static Features of(NDArray h) {
        Objects.requireNonNull(h, "features");
        Shape s = h.getShape();
        if (s.dimension() != 2 || s.get(0) < 1 || s.get(1) < 1 || s.get(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("features: expected a non-empty 2-D array (N, d), got shape " + s);
        }
        if (!h.getDataType().isFloating()) {
            throw new IllegalArgumentException("features: expected a floating-point array, got " + h.getDataType());
        }
        return new Features(null, h, (int) s.get(0), (int) s.get(1));
    }

    /** N, the number of samples. */
    public int rows() {
        return rows;
    }

    /** d, the feature dimension. */
    public int cols() {
        return cols;
    }

    /**
     * Rows per block in {@link #forEachBlock}: the accumulators' native buffer of centred rows holds one
     * block (16 MiB at d = 512), small enough to be reused from cache by the products that read it.
     */
    static final int CHUNK_ROWS = 4096;

    /** Work on one block: rows [from, to) are {@code values[offset ..]}, row-major, read-only. */
    interface RowBlock {
        void accept(double[] values, int offset, int from, int to);
    }

    /**
     * Hands the rows to {@code body} block by block, in order. Flat and {@code double[][]} features are handed
     * in place; an NDArray is copied one float64 block at a time, so both see the same blocks and give
     * bit-identical results.
     */
    void forEachBlock(RowBlock body) {
        for (int from = 0; from < rows; from += CHUNK_ROWS) {
            ComputationInterruptedException.check("NC statistics: feature rows");
            int to = Math.min(rows, from + CHUNK_ROWS);
            if (array == null) {
                body.accept(flat, from * cols, from, to);
            } else {
                try (NDArray view = array.get(new NDIndex(from + ":" + to));
                     NDArray block = view.toType(DataType.FLOAT64, true)) {
                    body.accept(block.toDoubleArray(), 0, from, to);
                }
            }
        }
    }

    /**
     * Throws naming the first non-finite entry of a block, if there is one. Callers call it when a sum over
     * the block is not finite: it then is either such an entry, or (finite but huge values) an overflow, which
     * is left to the metrics.
     */
    static void requireFinite(double[] values, int offset, int from, int to, int cols) {
        for (int i = offset; i < offset + (to - from) * cols; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("features: non-finite value " + values[i] + " at row "
                        + (from + (i - offset) / cols) + ", column " + (i - offset) % cols
                        + "; NC metrics need finite features");
            }
        }
    }
}
