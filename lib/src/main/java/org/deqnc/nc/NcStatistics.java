package org.deqnc.nc;

import java.util.Map;

/**
 * The sufficient statistics of every NC metric: class counts, class means, the per-class traces of the
 * within-class scatter S = Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ, S along the eigenvectors of Σ_B of each
 * global-mean convention (see {@link MeanAxes}), and, with {@link WithinScatter#FULL}, S itself. O(Kd + d²) memory,
 * however large N was. Produced in memory by {@link #of}, or by {@link TwoPassAccumulator} and
 * {@link OnePassAccumulator} over batches; all three agree to rounding.
 */
public final class NcStatistics {

    private final ClassMeans classMeans;
    private final double[] scatter;
    private final double[] classScatterTraces;
    private final Map<GlobalMean, MeanAxes> axes;
    private final Map<GlobalMean, double[]> scatterAlongAxes;
    private final String source;

    /** {@code scatter} (row-major d×d) may be null; {@code scatterAlongAxes} holds v_iᵀ S v_i for {@code axes}. */
    NcStatistics(ClassMeans classMeans, double[] scatter, double[] classScatterTraces, Map<GlobalMean, MeanAxes> axes,
                 Map<GlobalMean, double[]> scatterAlongAxes, String source) {
        this.classMeans = classMeans;
        this.scatter = scatter;
        this.classScatterTraces = classScatterTraces;
        this.axes = axes;
        this.scatterAlongAxes = scatterAlongAxes;
        this.source = source;
    }

    /** In-memory statistics of N×d features with labels in [0, K), keeping only the projected scatter. */
    public static NcStatistics of(Features features, int[] labels, int numClasses) {
        return of(features, labels, numClasses, WithinScatter.PROJECTED);
    }

    /** In-memory statistics: both passes of {@link TwoPassAccumulator} over the one batch. */
    public static NcStatistics of(Features features, int[] labels, int numClasses, WithinScatter keep) {
        try (TwoPassAccumulator acc = new TwoPassAccumulator(numClasses, features.cols(), keep)) {
            acc.addFirstPass(features, labels);
            acc.endFirstPass();
            acc.addSecondPass(features, labels);
            return acc.finish("in-memory");
        }
    }

    /** K. */
    public int numClasses() {
        return classMeans.numClasses();
    }

    /** d. */
    public int dim() {
        return classMeans.dim();
    }

    /** N. */
    public long sampleCount() {
        return classMeans.sampleCount();
    }

    /** n_k (a copy). */
    public long[] counts() {
        return classMeans.counts();
    }

    /** Counts, means and their fingerprint. */
    public ClassMeans classMeans() {
        return classMeans;
    }

    /** How the statistics were gathered: in-memory, two-pass streaming or one-pass streaming. */
    public String source() {
        return source;
    }

    /** μ_G under the given convention. */
    public double[] globalMean(GlobalMean convention) {
        return globalMean(convention, classMeans);
    }

    private static double[] globalMean(GlobalMean convention, ClassMeans classMeans) {
        double[][] means = classMeans.meansView();
        long[] counts = classMeans.countsView();
        double n = classMeans.sampleCount();
        double[] g = new double[classMeans.dim()];
        for (int k = 0; k < means.length; k++) {
            double weight = convention == GlobalMean.CLASS_MEAN ? 1.0 / means.length : counts[k] / n;
            for (int j = 0; j < g.length; j++) {
                g[j] += weight * means[k][j];
            }
        }
        return g;
    }

    /** M̃: the K×d centred class means μ_k − μ_G, one per row. */
    public double[][] centredMeans(GlobalMean convention) {
        return centred(classMeans, convention);
    }

    /** Whether the full d×d scatter was kept ({@link WithinScatter#FULL}). */
    public boolean hasWithinClassCovariance() {
        return scatter != null;
    }

    /** A fresh K×d array of μ_k − μ_G. */
    static double[][] centred(ClassMeans classMeans, GlobalMean convention) {
        double[] g = globalMean(convention, classMeans);
        double[][] means = classMeans.means();
        for (double[] row : means) {
            for (int j = 0; j < g.length; j++) {
                row[j] -= g[j];
            }
        }
        return means;
    }

    /** Σ_W = (1/N) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ, d×d; only with {@link WithinScatter#FULL}. */
    public double[][] withinClassCovariance() {
        if (scatter == null) {
            throw new IllegalStateException("withinClassCovariance: the d x d scatter was not kept "
                    + "(WithinScatter.PROJECTED); gather the statistics with WithinScatter.FULL");
        }
        int d = dim();
        double n = sampleCount();
        double[][] sw = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                sw[i][j] = scatter[i * d + j] / n;
            }
        }
        return sw;
    }

    /** Σ_B = (1/K) M̃ᵀM̃, d×d, under the given convention. */
    public double[][] betweenClassCovariance(GlobalMean convention) {
        double[][] m = centredMeans(convention);
        int d = dim();
        double[][] sb = new double[d][d];
        for (double[] row : m) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    sb[i][j] += row[i] * row[j] / m.length;
                }
            }
        }
        return sb;
    }

    /** σ_k² = (1/n_k) Σ_{i in k} ‖h_i − μ_k‖², the trace of class k's covariance. */
    public double[] classVariances() {
        long[] counts = classMeans.countsView();
        double[] v = new double[counts.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = classScatterTraces[k] / counts[k];
        }
        return v;
    }

    /** Tr Σ_W = Σ_k (trace of class k's scatter) / N. */
    double traceWithinClassCovariance() {
        double t = 0;
        for (double c : classScatterTraces) {
            t += c;
        }
        return t / sampleCount();
    }

    /** The singular values of M̃ and their axes under the given convention. */
    MeanAxes axes(GlobalMean convention) {
        return axes.get(convention);
    }

    /** v_iᵀ S v_i along each axis of {@link #axes(GlobalMean)} (S not divided by N). */
    double[] scatterAlongAxes(GlobalMean convention) {
        return scatterAlongAxes.get(convention);
    }
}
