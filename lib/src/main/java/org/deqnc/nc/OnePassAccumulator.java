package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.EnumMap;
import java.util.Map;

/**
 * Reads every batch once and merges its per-class (count, mean, scatter) into the running totals with
 * Chan, Golub &amp; LeVeque's pairwise update, the batch form of Welford's algorithm. Only the pooled d×d
 * scatter is kept, since Σ_W needs no per-class matrices: merging batch B into totals A adds, for each
 * class, M2_B + n_A n_B/(n_A + n_B) δδᵀ with δ = mean_B − mean_A. Memory O(Kd + d²) plus one native block of
 * min(batch rows, 4096) centred rows, independent of N.
 * NC4 needs a pass with the final means: run a {@link DecisionAccumulator} over the data afterwards.
 */
public final class OnePassAccumulator extends BatchAccumulator {

    private final long[] counts;
    private final double[] means;
    private final NDArray scatter;
    private final double[] classSquaredNorms;
    private final NativeRows nativeRows;

    /** An accumulator for K classes and d-dimensional features; close it to free its native memory. */
    public OnePassAccumulator(int numClasses, int dim) {
        super(numClasses, dim);
        this.counts = new long[numClasses];
        this.means = new double[numClasses * dim];
        this.scatter = manager.zeros(new Shape(dim, dim), DataType.FLOAT64);
        this.classSquaredNorms = new double[numClasses];
        this.nativeRows = new NativeRows(manager, dim);
    }

    /** Merges one batch. */
    public void add(Features batch, int[] labels) {
        countBatch(batch, labels);
        batch.forEachBlock((x, offset, from, to) -> merge(x, offset, labels, from, to));
    }

    private void merge(double[] x, int offset, int[] labels, int from, int to) {
        long[] blockCounts = new long[numClasses];
        for (int i = from; i < to; i++) {
            blockCounts[labels[i]]++;
        }
        double[] blockMeans = new double[numClasses * dim];
        RowKernels.addClassSums(x, offset, labels, from, to, dim, blockMeans);
        if (!RowKernels.allFinite(blockMeans)) {
            Features.requireFinite(x, offset, from, to, dim);
        }
        // δ_k = mean_B − mean_A, scaled by √(n_A n_B/(n_A + n_B)) so that Σ_k of its outer products is the
        // merge term; classes absent from the block get weight 0 (and 1/max(n_B, 1) keeps their mean finite).
        double[] scaledDelta = new double[numClasses * dim];
        for (int k = 0; k < numClasses; k++) {
            double na = counts[k];
            double nb = blockCounts[k];
            double mergeWeight = nb == 0 ? 0 : na * nb / (na + nb);
            double meanStep = nb == 0 ? 0 : nb / (na + nb);
            double squaredDelta = 0;
            for (int j = k * dim; j < (k + 1) * dim; j++) {
                blockMeans[j] /= Math.max(nb, 1.0);
                double delta = blockMeans[j] - means[j];
                squaredDelta += delta * delta;
                scaledDelta[j] = Math.sqrt(mergeWeight) * delta;
                means[j] += meanStep * delta;
            }
            classSquaredNorms[k] += mergeWeight * squaredDelta;
            counts[k] += blockCounts[k];
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray centred = nativeRows.centre(tmp, x, offset, labels, from, to, blockMeans, classSquaredNorms);
            NDArray delta = tmp.create(scaledDelta, new Shape(numClasses, dim));
            scatter.addi(centred.transpose().matMul(centred)).addi(delta.transpose().matMul(delta));
        }
    }

    /** The statistics so far; every class must have been seen. The accumulator can keep going afterwards. */
    public NcStatistics finish() {
        Checks.requireNoEmptyClass(counts);
        ClassMeans classMeans = new ClassMeans(counts, Dense.rows(means, dim));
        double[] s = scatter.toDoubleArray();
        Map<GlobalMean, MeanAxes> axes = MeanAxes.ofEveryConvention(classMeans);
        Map<GlobalMean, double[]> along = new EnumMap<>(GlobalMean.class);
        axes.forEach((g, a) -> along.put(g, a.scatterAlong(s)));
        return new NcStatistics(classMeans, s, classSquaredNorms.clone(), axes, along,
                "one-pass streaming (Chan/Welford merge)");
    }
}
