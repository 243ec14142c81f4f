package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

/**
 * One reusable native float64 buffer (a tensor of the owner's manager, freed when it closes) into which Java writes a block of rows (as they are, or minus their
 * class mean), and which libtorch then reads in place (a tensor over the buffer's memory, no copy): the
 * products of the rows with d×P matrices run in BLAS without any per-block float64 temporary of the rows.
 * The previous design converted each chunk to a fresh float64 tensor and centred it with three more
 * chunk-sized tensor ops; those copies, not the arithmetic, were most of the NC report's time.
 */
final class NativeRows {

    /** Work on one block of centred rows [from, to), a tensor valid only during the call. */
    interface Body {
        void accept(NDArray centred, int from, int to);
    }

    /**
     * Work on the products of a block of rows [from, to) with some row vectors: {@code product} is row-major
     * with one row per vector and one column per sample, the vectors of interest from row {@code first} on.
     */
    interface ProductBody {
        void accept(double[] product, int first, int from, int to);
    }

    /**
     * A·cᵀ for the row-major P×d {@code vectors} A and the block c, row-major P×(block rows). This orientation
     * (the block as BLAS's transposed right operand) ran 1.5× faster than c·Aᵀ for P = 40 on the dev machine.
     */
    static double[] products(NDArray vectors, NDArray block) {
        try (NDArray t = block.transpose(); NDArray product = vectors.matMul(t)) {
            return product.toDoubleArray();
        }
    }

    private final NDManager owner;
    private final int dim;
    private NDArray storage;
    private ByteBuffer bytes;

    /** An empty buffer for rows of length {@code dim}, allocated in {@code owner} when first needed. */
    NativeRows(NDManager owner, int dim) {
        this.owner = owner;
        this.dim = dim;
    }

    /**
     * Centres {@code batch} block by block about the row-major K×d {@code means}, adding the squared norms
     * of the centred rows per class to {@code squaredNorms}, and hands each block to {@code body}; every
     * temporary lives in a sub-manager of {@code parent} closed after the block.
     */
    void forEachBlock(NDManager parent, Features batch, int[] labels, double[] means, double[] squaredNorms, Body body) {
        batch.forEachBlock((x, offset, from, to) -> {
            try (NDManager tmp = parent.newSubManager()) {
                body.accept(centre(tmp, x, offset, labels, from, to, means, squaredNorms), from, to);
            }
        });
    }

    /**
     * Writes rows [from, to) of {@code x} (row-major, row {@code from} at {@code offset}) minus row labels[i]
     * of the row-major K×d {@code means} into the buffer, adds each centred row's squared norm to
     * {@code squaredNorms[labels[i]]} (after checking the block is finite), and returns the centred rows as
     * a (to − from)×d tensor over the buffer, owned by {@code tmp}. The tensor is valid until the next call:
     * close {@code tmp} before it.
     */
    NDArray centre(NDManager tmp, double[] x, int offset, int[] labels, int from, int to, double[] means,
                   double[] squaredNorms) {
        int rows = to - from;
        DoubleBuffer out = buffer(rows);
        double[] row = new double[dim];
        double[] norms = new double[squaredNorms.length];
        for (int i = from; i < to; i++) {
            int at = offset + (i - from) * dim;
            int mean = labels[i] * dim;
            for (int j = 0; j < dim; j++) {
                row[j] = x[at + j] - means[mean + j];
            }
            norms[labels[i]] += RowKernels.squaredNorm(row, 0, dim);
            out.put((i - from) * dim, row, 0, dim);
        }
        if (!RowKernels.allFinite(norms)) {
            Features.requireFinite(x, offset, from, to, dim);
        }
        for (int k = 0; k < norms.length; k++) {
            squaredNorms[k] += norms[k];
        }
        return tensor(tmp, rows);
    }

    /** Rows [from, to) of {@code x} as they are, as a tensor over the buffer owned by {@code tmp}; valid until the next call. */
    NDArray copy(NDManager tmp, double[] x, int offset, int from, int to) {
        buffer(to - from).put(0, x, offset, (to - from) * dim);
        return tensor(tmp, to - from);
    }

    /** The buffer, grown to hold at least {@code rows} rows, as doubles. */
    private DoubleBuffer buffer(int rows) {
        if (storage == null || storage.getShape().get(0) < rows) {
            if (storage != null) {
                storage.close();
            }
            storage = owner.zeros(new Shape(rows, dim), DataType.FLOAT64);
            bytes = storage.toByteBuffer(true).order(ByteOrder.nativeOrder()); // the tensor's memory, not a copy
        }
        return bytes.asDoubleBuffer();
    }

    /** The first {@code rows} rows of the buffer as a rows×d float64 tensor that reads the buffer's memory. */
    private NDArray tensor(NDManager tmp, int rows) {
        ByteBuffer block = bytes.slice(0, rows * dim * Double.BYTES).order(ByteOrder.nativeOrder());
        return tmp.create(block, new Shape(rows, dim), DataType.FLOAT64);
    }
}
