package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Streams batches twice: pass one accumulates class counts and sums, pass two the within-class scatter
 * about exactly the means pass one produced: its K×K projection on the centred means and per-class traces,
 * and with {@link WithinScatter#FULL} the d×d scatter. Numerically the safe default (no cancellation), at
 * the cost of reading the data twice. Memory O(Kd + d²) plus one native block of min(batch rows, 4096) centred rows
 * (16 MiB at d = 512), independent of N.
 *
 * <p>Guards: batches must be added in phase order; at {@link #finish()} the second pass must have seen
 * exactly the per-class counts of the first (the same data), and the means it centred with must still
 * carry the fingerprint of the {@link ClassMeans} that {@link #endFirstPass()} returned.
 *
 * <pre>{@code
 * try (TwoPassAccumulator acc = new TwoPassAccumulator(10, 512)) {
 *     for (Batch b : data) acc.addFirstPass(Features.of(b.h()), b.y());
 *     ClassMeans means = acc.endFirstPass();
 *     for (Batch b : data) acc.addSecondPass(Features.of(b.h()), b.y());
 *     NcStatistics stats = acc.finish();
 * }
 * }</pre>
 */
public final class TwoPassAccumulator extends BatchAccumulator {

    private enum Phase { FIRST, SECOND, FINISHED }

    private final long[] firstCounts;
    private final long[] secondCounts;
    private final double[] sums;
    private final WithinScatter keep;
    private final NativeRows nativeRows;
    private Phase phase = Phase.FIRST;
    private ClassMeans classMeans;
    private double[] means;
    private Map<GlobalMean, MeanAxes> axes;
    private double[] axisVectors;
    private int axisCount;
    private NDArray scatter;
    private double[] scatterAlongAxes;
    private double[] classSquaredNorms;

    /** An accumulator for K classes and d-dimensional features keeping the projected scatter only. */
    public TwoPassAccumulator(int numClasses, int dim) {
        this(numClasses, dim, WithinScatter.PROJECTED);
    }

    /** An accumulator for K classes and d-dimensional features; close it to free its native memory. */
    public TwoPassAccumulator(int numClasses, int dim, WithinScatter keep) {
        super(numClasses, dim);
        this.keep = Objects.requireNonNull(keep, "keep");
        this.firstCounts = new long[numClasses];
        this.secondCounts = new long[numClasses];
        this.sums = new double[numClasses * dim];
        this.nativeRows = new NativeRows(manager, dim);
    }

    /** Pass one: adds a batch's class counts and sums. */
    public void addFirstPass(Features batch, int[] labels) {
        requirePhase(Phase.FIRST, "addFirstPass");
        long[] counts = countBatch(batch, labels);
        batch.forEachBlock((x, offset, from, to) -> {
            RowKernels.addClassSums(x, offset, labels, from, to, dim, sums);
            if (!RowKernels.allFinite(sums)) {
                Features.requireFinite(x, offset, from, to, dim);
            }
        });
        add(firstCounts, counts);
    }

    /** Ends pass one; every class must have been seen. The returned means are the ones pass two centres with. */
    public ClassMeans endFirstPass() {
        requirePhase(Phase.FIRST, "endFirstPass");
        Checks.requireNoEmptyClass(firstCounts);
        double[][] m = new double[numClasses][dim];
        for (int k = 0; k < numClasses; k++) {
            for (int j = 0; j < dim; j++) {
                m[k][j] = sums[k * dim + j] / firstCounts[k];
            }
        }
        classMeans = new ClassMeans(firstCounts, m);
        means = classMeans.flatMeans();
        axes = MeanAxes.ofEveryConvention(classMeans);
        axisVectors = MeanAxes.rows(axes);
        axisCount = axisVectors.length / dim;
        scatter = keep == WithinScatter.FULL ? manager.zeros(new Shape(dim, dim), DataType.FLOAT64) : null;
        scatterAlongAxes = new double[axisCount];
        classSquaredNorms = new double[numClasses];
        phase = Phase.SECOND;
        return classMeans;
    }

    /** Pass two: adds a batch's scatter about the pass-one means. Stream the same data as in pass one. */
    public void addSecondPass(Features batch, int[] labels) {
        addSecondPass(batch, labels, new double[0], (product, first, from, to) -> { });
    }

    /**
     * {@link #addSecondPass(Features, int[])} that also multiplies each centred block by the row-major
     * {@code extra} vectors (S×d) in the same product and hands the product to {@code alongside}, the
     * extra vectors' rows from its {@code first} on.
     */
    void addSecondPass(Features batch, int[] labels, double[] extra, NativeRows.ProductBody alongside) {
        requirePhase(Phase.SECOND, "addSecondPass");
        long[] counts = countBatch(batch, labels);
        double[] all = Arrays.copyOf(axisVectors, axisVectors.length + extra.length);
        System.arraycopy(extra, 0, all, axisVectors.length, extra.length);
        try (NDArray vectors = manager.create(all, new Shape(all.length / dim, dim))) {
            nativeRows.forEachBlock(manager, batch, labels, means, classSquaredNorms, (centred, from, to) -> {
                double[] product = NativeRows.products(vectors, centred);
                int rows = to - from;
                for (int a = 0; a < axisCount; a++) {
                    scatterAlongAxes[a] += RowKernels.squaredNorm(product, a * rows, rows);
                }
                if (scatter != null) {
                    scatter.addi(centred.transpose().matMul(centred));
                }
                alongside.accept(product, axisCount, from, to);
            });
        }
        add(secondCounts, counts);
    }

    /** Ends pass two and checks that it saw the same data with the same means. */
    public NcStatistics finish() {
        return finish("two-pass streaming");
    }

    /** {@link #finish()} with another provenance label. */
    NcStatistics finish(String source) {
        requirePhase(Phase.SECOND, "finish");
        if (!Arrays.equals(firstCounts, secondCounts)) {
            throw new IllegalStateException("second pass: class counts " + Arrays.toString(secondCounts)
                    + " differ from the first pass's " + Arrays.toString(firstCounts)
                    + "; both passes must stream the same samples");
        }
        String usedFingerprint = ClassMeans.fingerprint(firstCounts, Dense.rows(means, dim));
        if (!usedFingerprint.equals(classMeans.fingerprint())) {
            throw new IllegalStateException("second pass: centred with means of fingerprint " + usedFingerprint
                    + ", but the first pass produced " + classMeans.fingerprint());
        }
        phase = Phase.FINISHED;
        return new NcStatistics(classMeans, scatter == null ? null : scatter.toDoubleArray(),
                classSquaredNorms.clone(), axes, MeanAxes.split(axes, scatterAlongAxes), source);
    }

    private static void add(long[] into, long[] counts) {
        for (int k = 0; k < into.length; k++) {
            into[k] += counts[k];
        }
    }

    private void requirePhase(Phase expected, String call) {
        if (phase != expected) {
            String hint = switch (phase) {
                case FIRST -> "call endFirstPass() first";
                case SECOND -> "the first pass has ended; add batches with addSecondPass()";
                case FINISHED -> "finish() was already called";
            };
            throw new IllegalStateException(call + ": not allowed now (" + hint + ")");
        }
    }
}
