package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Objects;

/**
 * A read-only view of an N×d feature matrix (one sample per row) as a Java {@code double[][]}, a flat
 * row-major {@code double[]} with its shape, or a 2-D DJL {@link NDArray} of any floating type. Metric
 * code reads it in float64 row chunks, so the d×d scatter runs as a few large BLAS products.
 * Non-finite entries are reported when the features are first used, naming the row and column.
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
     * Rows per chunk in {@link #forEachChunk}. One product over all N rows would allocate several
     * N×d temporaries and fault in fresh pages for each; chunks of this size reuse the allocator's memory
     * and were about 2.5x faster at N = 60000, d = 512 in one run of NcBenchmark on the 2-core dev machine.
     */
    static final int CHUNK_ROWS = 4096;

    /** Work on one chunk: {@code x} holds rows [from, to) as float64 and, like every temporary, lives in {@code tmp}. */
    interface ChunkBody {
        void accept(NDArray x, int from, int to, NDManager tmp);
    }

    /** Converts the rows chunk by chunk into sub-managers of {@code parent}, closing each after its body ran. */
    void forEachChunk(NDManager parent, ChunkBody body) {
        for (int from = 0; from < rows; from += CHUNK_ROWS) {
            int to = Math.min(rows, from + CHUNK_ROWS);
            try (NDManager tmp = parent.newSubManager()) {
                body.accept(toFloat64(tmp, from, to), from, to, tmp);
            }
        }
    }

    /**
     * Rows [from, to) as a new float64 array owned by {@code into}. Finiteness is checked with one
     * reduction: the sum is finite whenever every entry is, and only then is it worth scanning for the culprit.
     */
    private NDArray toFloat64(NDManager into, int from, int to) {
        NDArray x;
        if (array != null) {
            try (NDArray view = array.get(new NDIndex(from + ":" + to))) {
                x = view.toType(DataType.FLOAT64, true);
            }
            x.attach(into);
        } else {
            // A chunk of its own, not a slice of the whole array: handed a heap buffer that views part of a
            // larger array, the native copy went through the whole N×d array for every chunk (the in-memory
            // report was several times slower than the same rows streamed as separate batches).
            x = into.create(Arrays.copyOfRange(flat, from * cols, to * cols), new Shape(to - from, cols));
        }
        try (NDArray total = x.sum()) {
            if (!Double.isFinite(total.getDouble())) {
                throwIfNonFinite(x.toDoubleArray(), from);
            }
        }
        return x;
    }

    private void throwIfNonFinite(double[] values, int firstRow) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("features: non-finite value " + values[i] + " at row "
                        + (firstRow + i / cols) + ", column " + i % cols + "; NC metrics need finite features");
            }
        }
    }
}
