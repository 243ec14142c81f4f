package org.deqnc.nc;

/**
 * NC1, within-class variability collapse, one function per variant over {@link NcStatistics}; {@link NcMetrics}
 * composes them into a report. Σ_W = (1/N) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ, Σ_B = M̃ᵀM̃/K with M̃ the class
 * means centred about the chosen global mean. Σ_B⁺ is taken along the at most K axes of M̃ (its SVD), so no
 * d×d matrix is ever formed.
 *
 * <pre>{@code
 * NcStatistics s = NcStatistics.of(Features.of(h), labels, 10);
 * double nc1 = Nc1.pinv(s, NcConventions.defaults());   // Tr(Σ_W Σ_B⁺) / K
 * double cdnv = Nc1.cdnv(s);
 * }</pre>
 */
public final class Nc1 {

    private Nc1() {
    }

    /**
     * Tr(Σ_W Σ_B⁺) ({@link NcMetric#NC1_PINV}) over the eigenvalues of Σ_B above {@code c.pinvRelativeTolerance()}
     * times the largest (at most K−1), divided by K when {@code c.nc1Scaling()} says so. Eigenvalues at or below
     * the tolerance are rounding noise and dropped, never inverted, so the value cannot blow up or go negative.
     */
    public static double pinv(NcStatistics s, NcConventions c) {
        requireSpread(s, c.globalMean());
        return scaled(pseudoInverseTrace(s, c.globalMean(), pinvEigenvaluesKept(s, c)), s, c);
    }

    /** How many eigenvalues of Σ_B {@link #pinv} inverts. */
    public static int pinvEigenvaluesKept(NcStatistics s, NcConventions c) {
        double[] sv = s.axes(c.globalMean()).singularValues();
        double threshold = c.pinvRelativeTolerance() * sv[0] * sv[0];
        int kept = 0;
        while (kept < Math.min(s.numClasses() - 1, sv.length) && sv[kept] * sv[kept] > threshold) {
            kept++;
        }
        return kept;
    }

    /**
     * Tr(Σ_W Σ_B⁺) from the top K−1 singular triplets of Σ_B whatever their size ({@link NcMetric#NC1_SVD}, Han et
     * al.'s {@code svds}); diverges as Σ_B nears rank &lt; K−1.
     */
    public static double svd(NcStatistics s, NcConventions c) {
        requireSpread(s, c.globalMean());
        return scaled(pseudoInverseTrace(s, c.globalMean(), svdAxes(s, c.globalMean())), s, c);
    }

    /** The number of singular triplets {@link #svd} uses: K−1, or fewer when d &lt; K−1. */
    static int svdAxes(NcStatistics s, GlobalMean g) {
        return Math.min(s.numClasses() - 1, s.axes(g).singularValues().length);
    }

    /** Tr Σ_W / Tr Σ_B ({@link NcMetric#NC1_QUOTIENT}). */
    public static double quotient(NcStatistics s, GlobalMean g) {
        requireSpread(s, g);
        return traceWithin(s) / traceBetween(s, g);
    }

    /**
     * Galanti et al.'s class-distance normalised variance averaged over class pairs ({@link NcMetric#NC1_CDNV}):
     * (σ_i² + σ_j²)/(2‖μ_i − μ_j‖²), σ_k² the trace of class k's covariance. Independent of the global mean.
     */
    public static double cdnv(NcStatistics s) {
        double[][] means = s.classMeans().meansView();
        double[] var = s.classVariances();
        int k = s.numClasses();
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double dist2 = 0;
                for (int c = 0; c < means[i].length; c++) {
                    double diff = means[i][c] - means[j][c];
                    dist2 += diff * diff;
                }
                sum += (var[i] + var[j]) / (2 * dist2);
                pairs++;
            }
        }
        return sum / pairs;
    }

    /**
     * Why {@link #cdnv} is not finite: the first class without samples, or the first pair of classes whose means
     * coincide (its ratio divides by ‖μ_i − μ_j‖² = 0); "" when it is finite.
     */
    static String cdnvUndefined(NcStatistics s) {
        long[] counts = s.counts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                return "class " + i + " has no samples, so its mean and variance are 0/0";
            }
        }
        double[][] means = s.classMeans().meansView();
        for (int i = 0; i < means.length; i++) {
            for (int j = i + 1; j < means.length; j++) {
                if (java.util.Arrays.equals(means[i], means[j])) {
                    return "classes " + i + " and " + j + " have the same mean (e.g. all-zero or identical features),"
                            + " so (σ_i² + σ_j²)/(2‖μ_i − μ_j‖²) divides by 0";
                }
            }
        }
        return "";
    }

    /** Tr Σ_W ({@link NcMetric#TRACE_SIGMA_W}). */
    public static double traceWithin(NcStatistics s) {
        return s.traceWithinClassCovariance();
    }

    /** Tr Σ_B = ‖M̃‖_F² / K ({@link NcMetric#TRACE_SIGMA_B}). */
    public static double traceBetween(NcStatistics s, GlobalMean g) {
        double frob = Dense.frobenius(s.centredMeans(g));
        return frob * frob / s.numClasses();
    }

    /** Σ_{i &lt; count} v_iᵀΣ_W v_i / σ_i with σ_i = s_i²/K the eigenvalues of Σ_B and Σ_W = S/N. */
    private static double pseudoInverseTrace(NcStatistics s, GlobalMean g, int count) {
        double[] sv = s.axes(g).singularValues();
        double[] within = s.scatterAlongAxes(g);
        double n = s.sampleCount();
        int k = s.numClasses();
        double trace = 0;
        for (int i = 0; i < count; i++) {
            // S is positive semi-definite: a negative v_iᵀSv_i is rounding, i.e. zero.
            trace += k * Math.max(0.0, within[i] / n) / (sv[i] * sv[i]);
        }
        return trace;
    }

    private static double scaled(double trace, NcStatistics s, NcConventions c) {
        return c.nc1Scaling() == TraceScaling.DIVIDE_BY_K ? trace / s.numClasses() : trace;
    }

    private static void requireSpread(NcStatistics s, GlobalMean g) {
        if (traceBetween(s, g) == 0) {
            throw new IllegalArgumentException("NC1: " + SIGMA_B_ZERO);
        }
    }

    /** Why the Σ_B⁻¹ variants are undefined. */
    static final String SIGMA_B_ZERO = "Σ_B = 0: all class means coincide";
}
