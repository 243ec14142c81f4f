package org.deqnc.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.SequenceSampler;
import org.deqnc.engine.ComputationInterruptedException;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.List;

/**
 * An in-memory labelled data set: float32 features of a fixed per-sample shape ({@code [C, H, W]} for
 * images, {@code [d]} for vectors), integer labels in {@code 0..K-1}, and the K class names.
 *
 * <p>Immutable: every transformation (subset, normalisation, imbalance) returns a new instance. The
 * feature array is owned by the instance and never handed out, so a 60000-image set is not copied on
 * every accessor call. Images coming from the readers are scaled to {@code [0, 1]} (pixel / 255).
 */
public final class LabeledData {

    private final float[] features;
    private final int[] sampleShape;
    private final int sampleSize;
    private final int[] labels;
    private final List<String> classNames;
    private final String source;

    /**
     * @param features    all samples, row-major, {@code labels.length * prod(sampleShape)} values, all finite;
     *                    not copied, so the caller must not modify it afterwards
     * @param sampleShape the shape of one sample, every dimension >= 1
     * @param labels      one label per sample, each in {@code 0..classNames.size()-1}
     * @param classNames  the K >= 2 class names, label {@code k} is {@code classNames.get(k)}
     * @param source      where the data came from, e.g. a file path, for provenance records
     */
    public LabeledData(float[] features, int[] sampleShape, int[] labels, List<String> classNames, String source) {
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("classNames: need at least 2 classes, got " + classNames.size());
        }
        this.sampleShape = sampleShape.clone();
        long size = 1;
        for (int d : this.sampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException("sampleShape: every dimension must be >= 1, got " + Arrays.toString(sampleShape));
            }
            size *= d;
        }
        if ((long) labels.length * size != features.length) {
            throw new IllegalArgumentException("features: expected " + labels.length + " samples x " + size
                    + " values = " + (long) labels.length * size + ", got " + features.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("labels: label of sample " + i + " must be in 0.." + (classNames.size() - 1)
                        + ", got " + labels[i]);
            }
        }
        for (int i = 0; i < features.length; i++) {
            ComputationInterruptedException.checkAt(i, "data: checking values");
            if (!Float.isFinite(features[i])) {
                throw new IllegalArgumentException("features: non-finite value " + features[i] + " in sample " + i / size);
            }
        }
        this.sampleSize = (int) size;
        this.features = features;
        this.labels = labels.clone();
        this.classNames = List.copyOf(classNames);
        this.source = source;
    }

    /** Number of samples N. */
    public int size() {
        return labels.length;
    }

    /** Number of classes K. */
    public int numClasses() {
        return classNames.size();
    }

    /** Shape of one sample, e.g. {@code [1, 28, 28]} or {@code [d]}. */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** Number of values in one sample (product of {@link #sampleShape()}). */
    public int sampleSize() {
        return sampleSize;
    }

    /** Label of sample {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of the features of sample {@code i}, row-major. */
    public float[] sample(int i) {
        return Arrays.copyOfRange(features, i * sampleSize, (i + 1) * sampleSize);
    }

    /** The class names, label {@code k} is {@code classNames().get(k)}. */
    public List<String> classNames() {
        return classNames;
    }

    /** Where the data came from (file path, generator and seed, transformations applied). */
    public String source() {
        return source;
    }

    /** Package-internal read access to the feature array, without a copy. */
    float[] featuresInternal() {
        return features;
    }

    /** Number of samples of each class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The samples at {@code indices}, in that order (repeats allowed). */
    public LabeledData subset(int[] indices) {
        return subset(indices, source);
    }

    private LabeledData subset(int[] indices, String newSource) {
        float[] x = new float[indices.length * sampleSize];
        int[] y = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            if (i < 0 || i >= size()) {
                throw new IllegalArgumentException("indices: index " + i + " out of range 0.." + (size() - 1));
            }
            System.arraycopy(features, i * sampleSize, x, j * sampleSize, sampleSize);
            y[j] = labels[i];
        }
        return new LabeledData(x, sampleShape, y, classNames, newSource);
    }

    /**
     * Keeps {@code counts[k]} samples of each class k: those met first in a seeded shuffle of all samples
     * (Fang et al.'s selection rule), returned in their original order so that only the batch sampler decides
     * the training order.
     *
     * @param counts one count per class, each in {@code 0..classCounts()[k]}
     */
    public LabeledData perClassSubset(int[] counts, long seed) {
        if (counts.length != numClasses()) {
            throw new IllegalArgumentException("counts: need one count per class (" + numClasses() + "), got " + counts.length);
        }
        int[] available = classCounts();
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] < 0 || counts[k] > available[k]) {
                throw new IllegalArgumentException("counts: class " + k + " (" + classNames.get(k) + ") has " + available[k]
                        + " samples, cannot keep " + counts[k]);
            }
        }
        int[] remaining = counts.clone();
        boolean[] keep = new boolean[size()];
        for (int i : SeededShuffle.permutation(size(), seed)) {
            if (remaining[labels[i]] > 0) {
                remaining[labels[i]]--;
                keep[i] = true;
            }
        }
        int[] kept = new int[Arrays.stream(counts).sum()];
        int n = 0;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                kept[n++] = i;
            }
        }
        return subset(kept, source + " | per-class subset " + Arrays.toString(counts) + " seed=" + seed);
    }

    /** {@code perClass} samples of every class, chosen as in {@link #perClassSubset(int[], long)}. */
    public LabeledData balancedSubset(int perClass, long seed) {
        int[] counts = new int[numClasses()];
        Arrays.fill(counts, perClass);
        return perClassSubset(counts, seed);
    }

    /** This data set with {@code normalization} applied to every sample. */
    public LabeledData normalized(Normalization normalization) {
        return new LabeledData(normalization.apply(features, sampleShape), sampleShape, labels, classNames,
                source + " | " + normalization);
    }

    /**
     * Features as an {@code N x sampleShape} float32 array and labels as an {@code N} int32 array, in
     * {@code manager}.
     */
    public NDList toNDList(NDManager manager) {
        return new NDList(manager.create(features, batchShape(size())), manager.create(labels));
    }

    /**
     * A DJL {@link ArrayDataset} over this data in {@code manager}, batched by {@code batchSize}; with
     * {@code shuffle} every call to {@code getData} draws the next order of a seeded sequence of
     * permutations (see {@link SeededSampler}).
     */
    public ArrayDataset toArrayDataset(NDManager manager, int batchSize, boolean shuffle, long seed) {
        requireBatchSize(batchSize);
        NDList arrays = toNDList(manager);
        return new ArrayDataset.Builder()
                .setData(arrays.get(0))
                .optLabels(arrays.get(1))
                .setSampling(new BatchSampler(shuffle ? new SeededSampler(seed) : new SequenceSampler(), batchSize))
                .build();
    }

    /**
     * Batches {@code [x, y]} over this data: in order, or in the order of {@code permutation(N, seed)}. The
     * last batch may be smaller. Each batch lives until the next {@code next()} or {@code close()}. For a new
     * order every epoch that a resumed run can recompute, pass {@code SeededShuffle.streamSeed(runSeed, epoch)}.
     */
    public BatchIterator batches(NDManager manager, int batchSize, boolean shuffle, long seed) {
        requireBatchSize(batchSize);
        int[] order = shuffle ? SeededShuffle.permutation(size(), seed) : identity(size());
        return new BatchIterator(this, manager, batchSize, order);
    }

    /**
     * One row per class: {@code label}, {@code class} (name), {@code count}, {@code group}
     * ({@code majority} for labels below {@code kA}, else {@code minority}) — ready for a bar chart.
     *
     * @param kA number of majority classes, {@code 0..K}; pass K when there is no imbalance
     */
    public Table classCountTable(int kA) {
        if (kA < 0 || kA > numClasses()) {
            throw new IllegalArgumentException("kA: must satisfy 0 <= K_A <= K = " + numClasses() + ", got " + kA);
        }
        int[] counts = classCounts();
        IntColumn label = IntColumn.create("label");
        StringColumn name = StringColumn.create("class");
        IntColumn count = IntColumn.create("count");
        StringColumn group = StringColumn.create("group");
        for (int k = 0; k < counts.length; k++) {
            label.append(k);
            name.append(classNames.get(k));
            count.append(counts[k]);
            group.append(ClassGroup.of(k, kA).label());
        }
        return Table.create("class counts", label, name, count, group);
    }

    Shape batchShape(int n) {
        long[] dims = new long[sampleShape.length + 1];
        dims[0] = n;
        for (int i = 0; i < sampleShape.length; i++) {
            dims[i + 1] = sampleShape[i];
        }
        return new Shape(dims);
    }

    private static void requireBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    @Override
    public String toString() {
        return "LabeledData[N=" + size() + ", sample=" + Arrays.toString(sampleShape) + ", K=" + numClasses()
                + ", counts=" + Arrays.toString(classCounts()) + ", source=" + source + "]";
    }
}
