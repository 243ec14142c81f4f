package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Streams batches twice: pass one accumulates class counts and sums, pass two the within-class scatter
 * about exactly the means pass one produced. Numerically the safe default (no cancellation), at the cost
 * of reading the data twice. Memory O(Kd + d²), independent of N.
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
    private final NDArray sums;
    private Phase phase = Phase.FIRST;
    private ClassMeans classMeans;
    private NDArray means;
    private NDArray scatter;
    private NDArray classSquaredNorms;

    /** An accumulator for K classes and d-dimensional features; close it to free its native memory. */
    public TwoPassAccumulator(int numClasses, int dim) {
        super(numClasses, dim);
        this.firstCounts = new long[numClasses];
        this.secondCounts = new long[numClasses];
        this.sums = manager.zeros(new Shape(numClasses, dim), DataType.FLOAT64);
    }

    /** Pass one: adds a batch's class counts and sums. */
    public void addFirstPass(Features batch, int[] labels) {
        requirePhase(Phase.FIRST, "addFirstPass");
        long[] counts = countBatch(batch, labels);
        batch.forEachChunk(manager, (x, from, to, tmp) ->
                sums.addi(BatchKernels.classSums(BatchKernels.oneHot(tmp, labels, from, to, numClasses), x)));
        add(firstCounts, counts);
    }

    /** Ends pass one; every class must have been seen. The returned means are the ones pass two centres with. */
    public ClassMeans endFirstPass() {
        requirePhase(Phase.FIRST, "endFirstPass");
        Checks.requireNoEmptyClass(firstCounts);
        double[] flatSums = sums.toDoubleArray();
        double[][] m = new double[numClasses][dim];
        for (int k = 0; k < numClasses; k++) {
            for (int j = 0; j < dim; j++) {
                m[k][j] = flatSums[k * dim + j] / firstCounts[k];
            }
        }
        classMeans = new ClassMeans(firstCounts, m);
        means = manager.create(classMeans.flatMeans(), new Shape(numClasses, dim));
        scatter = manager.zeros(new Shape(dim, dim), means.getDataType());
        classSquaredNorms = manager.zeros(new Shape(numClasses), means.getDataType());
        phase = Phase.SECOND;
        return classMeans;
    }

    /** Pass two: adds a batch's scatter about the pass-one means. Stream the same data as in pass one. */
    public void addSecondPass(Features batch, int[] labels) {
        requirePhase(Phase.SECOND, "addSecondPass");
        long[] counts = countBatch(batch, labels);
        batch.forEachChunk(manager, (x, from, to, tmp) -> {
            NDArray oneHot = BatchKernels.oneHot(tmp, labels, from, to, numClasses);
            NDArray centred = BatchKernels.centre(x, oneHot, means);
            scatter.addi(BatchKernels.scatter(centred));
            classSquaredNorms.addi(BatchKernels.classSquaredNorms(oneHot, centred));
        });
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
        double[] usedMeans = means.toDoubleArray();
        double[][] used = new double[numClasses][];
        for (int k = 0; k < numClasses; k++) {
            used[k] = Arrays.copyOfRange(usedMeans, k * dim, (k + 1) * dim);
        }
        String usedFingerprint = ClassMeans.fingerprint(firstCounts, used);
        if (!usedFingerprint.equals(classMeans.fingerprint())) {
            throw new IllegalStateException("second pass: centred with means of fingerprint " + usedFingerprint
                    + ", but the first pass produced " + classMeans.fingerprint());
        }
        phase = Phase.FINISHED;
        return new NcStatistics(classMeans, scatter.toDoubleArray(), classSquaredNorms.toDoubleArray(), source);
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
