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
 * class, M2_B + n_A n_B/(n_A + n_B) δδᵀ with δ = mean_B − mean_A. Memory O(Kd + d²), independent of N.
 * NC4 needs a pass with the final means: run a {@link DecisionAccumulator} over the data afterwards.
 */
public final class OnePassAccumulator extends BatchAccumulator {

    private final long[] counts;
    private final NDArray means;
    private final NDArray scatter;
    private final NDArray classSquaredNorms;

    /** An accumulator for K classes and d-dimensional features; close it to free its native memory. */
    public OnePassAccumulator(int numClasses, int dim) {
        super(numClasses, dim);
        this.counts = new long[numClasses];
        this.means = manager.zeros(new Shape(numClasses, dim), DataType.FLOAT64);
        this.scatter = manager.zeros(new Shape(dim, dim), DataType.FLOAT64);
        this.classSquaredNorms = manager.zeros(new Shape(numClasses), DataType.FLOAT64);
    }

    /** Merges one batch. */
    public void add(Features batch, int[] labels) {
        countBatch(batch, labels);
        batch.forEachChunk(manager, (x, from, to, tmp) -> merge(x, labels, from, to, tmp));
    }

    private void merge(NDArray x, int[] labels, int from, int to, NDManager tmp) {
        long[] chunkCounts = new long[numClasses];
        for (int i = from; i < to; i++) {
            chunkCounts[labels[i]]++;
        }
        double[] inverseCount = new double[numClasses];
        double[] mergeWeight = new double[numClasses];
        double[] meanStep = new double[numClasses];
        for (int k = 0; k < numClasses; k++) {
            double na = counts[k];
            double nb = chunkCounts[k];
            // Classes absent from the chunk get weight 0 everywhere, and 1/max(nb,1) keeps their mean finite.
            inverseCount[k] = 1.0 / Math.max(nb, 1.0);
            mergeWeight[k] = nb == 0 ? 0 : na * nb / (na + nb);
            meanStep[k] = nb == 0 ? 0 : nb / (na + nb);
            counts[k] += chunkCounts[k];
        }
        NDArray oneHot = BatchKernels.oneHot(tmp, labels, from, to, numClasses);
        NDArray chunkMeans = BatchKernels.classSums(oneHot, x).muli(column(tmp, inverseCount));
        NDArray centred = BatchKernels.centre(x, oneHot, chunkMeans);
        NDArray delta = chunkMeans.sub(means);
        NDArray weights = tmp.create(mergeWeight);
        scatter.addi(BatchKernels.scatter(centred))
                .addi(delta.transpose().matMul(delta.mul(weights.reshape(numClasses, 1))));
        classSquaredNorms.addi(BatchKernels.classSquaredNorms(oneHot, centred))
                .addi(delta.square().sum(new int[] {1}).muli(weights));
        means.addi(delta.muli(column(tmp, meanStep)));
    }

    /** The statistics so far; every class must have been seen. The accumulator can keep going afterwards. */
    public NcStatistics finish() {
        Checks.requireNoEmptyClass(counts);
        ClassMeans classMeans = new ClassMeans(counts, Dense.rows(means.toDoubleArray(), dim));
        double[] s = scatter.toDoubleArray();
        Map<GlobalMean, MeanAxes> axes = MeanAxes.ofEveryConvention(classMeans);
        Map<GlobalMean, double[]> along = new EnumMap<>(GlobalMean.class);
        axes.forEach((g, a) -> along.put(g, a.scatterAlong(s)));
        return new NcStatistics(classMeans, s, classSquaredNorms.toDoubleArray(), axes, along,
                "one-pass streaming (Chan/Welford merge)");
    }

    private NDArray column(NDManager tmp, double[] values) {
        return tmp.create(values, new Shape(numClasses, 1));
    }
}
