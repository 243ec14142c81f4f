package org.deqnc.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Mini-batches {@code [x, y]} of a {@link LabeledData} in a fixed sample order: {@code x} is
 * {@code B x sampleShape} float32, {@code y} is {@code B} int32.
 *
 * <p>Each batch is created in its own sub-manager of the parent manager, closed when the next batch is
 * requested or the iterator is closed. Results computed from a batch attach to that sub-manager too, so a
 * training loop frees each step's temporaries without bookkeeping; {@code detach()} what must outlive
 * the step. Use in try-with-resources so the last batch is freed as well.
 */
public final class BatchIterator implements Iterator<NDList>, AutoCloseable {

    private final LabeledData data;
    private final NDManager parent;
    private final int batchSize;
    private final int[] order;
    private int position;
    private NDManager current;

    BatchIterator(LabeledData data, NDManager parent, int batchSize, int[] order) {
        this.data = data;
        this.parent = parent;
        this.batchSize = batchSize;
        this.order = order;
    }

    /** Number of batches in one pass, the last one possibly smaller. */
    public int numBatches() {
        return (order.length + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        return position < order.length;
    }

    @Override
    public NDList next() {
        if (!hasNext()) {
            throw new NoSuchElementException("BatchIterator: no batch left after " + numBatches() + " batches");
        }
        closeCurrent();
        int size = Math.min(batchSize, order.length - position);
        int sampleSize = data.sampleSize();
        float[] all = data.featuresInternal();
        current = parent.newSubManager();
        // the rows go straight into memory libtorch allocates (uninitialised, every element written below): no
        // Java array, no direct buffer to zero and to leave to the garbage collector, one copy per row
        NDArray x = current.create(data.batchShape(size), DataType.FLOAT32);
        NDArray y = current.create(new Shape(size), DataType.INT32);
        FloatBuffer xMemory = x.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        IntBuffer yMemory = y.toByteBuffer(true).order(ByteOrder.nativeOrder()).asIntBuffer();
        for (int j = 0; j < size; j++) {
            int i = order[position + j];
            xMemory.put(j * sampleSize, all, i * sampleSize, sampleSize);
            yMemory.put(j, data.label(i));
        }
        position += size;
        return new NDList(x, y);
    }

    private void closeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** Frees the batch handed out last. */
    @Override
    public void close() {
        closeCurrent();
    }
}
