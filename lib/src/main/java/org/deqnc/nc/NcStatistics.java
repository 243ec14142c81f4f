package org.deqnc.nc;

/**
 * The sufficient statistics of every NC metric: class counts, class means, the pooled within-class
 * scatter Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ and the per-class scatter traces. O(Kd + d²) memory,
 * however large N was. Produced in memory by {@link #of}, or by {@link TwoPassAccumulator} and
 * {@link OnePassAccumulator} over batches; all three agree to rounding.
 */
public final class NcStatistics {

    private final ClassMeans classMeans;
    private final double[] scatter;
    private final double[] classScatterTraces;
    private final String source;

    NcStatistics(ClassMeans classMeans, double[] scatter, double[] classScatterTraces, String source) {
        this.classMeans = classMeans;
        this.scatter = scatter;
        this.classScatterTraces = classScatterTraces;
        this.source = source;
    }

    /** In-memory statistics of N×d features with labels in [0, K): both passes of {@link TwoPassAccumulator} over the one batch. */
    public static NcStatistics of(Features features, int[] labels, int numClasses) {
        try (TwoPassAccumulator acc = new TwoPassAccumulator(numClasses, features.cols())) {
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
        double[][] means = classMeans.meansView();
        long[] counts = classMeans.countsView();
        double n = sampleCount();
        double[] g = new double[dim()];
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
        double[] g = globalMean(convention);
        double[][] m = classMeans.means();
        for (double[] row : m) {
            for (int j = 0; j < g.length; j++) {
                row[j] -= g[j];
            }
        }
        return m;
    }

    /** Σ_W = (1/N) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ, d×d. */
    public double[][] withinClassCovariance() {
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

    /** Row-major pooled scatter (not divided by N); not copied. */
    double[] scatterView() {
        return scatter;
    }
}
