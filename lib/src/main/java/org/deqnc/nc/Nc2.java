package org.deqnc.nc;

/**
 * NC2, convergence of the centred class means M̃ (rows μ_k − μ_G) and of the classifier W (rows w_k) to a simplex
 * equiangular tight frame, one function per measure; {@link NcMetrics} composes them into a report.
 *
 * <pre>{@code
 * double etf = Nc2.etfMeans(stats, GlobalMean.CLASS_MEAN);   // ‖G/‖G‖_F − T‖_F, G = M̃M̃ᵀ
 * double angle = Nc2.equiangularClassifier(w);               // mean |cos(w_i, w_j) + 1/(K−1)|
 * }</pre>
 */
public final class Nc2 {

    private Nc2() {
    }

    /** std/mean of ‖μ_k − μ_G‖ ({@link NcMetric#NC2_EQUINORM_MEANS}), the std of {@code c.dispersion()}. */
    public static double equinormMeans(NcStatistics s, NcConventions c) {
        return equinorm(s.centredMeans(c.globalMean()), c.dispersion());
    }

    /** std/mean of ‖w_k‖ ({@link NcMetric#NC2_EQUINORM_CLASSIFIER}) of the K×d classifier {@code w}. */
    public static double equinormClassifier(double[][] w, Dispersion d) {
        return equinorm(classifier(w), d);
    }

    /** Mean over pairs i &lt; j of |cos(μ̃_i, μ̃_j) + 1/(K−1)| ({@link NcMetric#NC2_EQUIANGULAR_MEANS}). */
    public static double equiangularMeans(NcStatistics s, GlobalMean g) {
        return Dispersion.mean(equiangularDeviations(s.centredMeans(g)));
    }

    /** Std over pairs i &lt; j of |cos(μ̃_i, μ̃_j) + 1/(K−1)| ({@link NcMetric#NC2_EQUIANGULAR_MEANS_STD}). */
    public static double equiangularMeansStd(NcStatistics s, NcConventions c) {
        return c.dispersion().std(equiangularDeviations(s.centredMeans(c.globalMean())));
    }

    /** Mean over pairs i &lt; j of |cos(w_i, w_j) + 1/(K−1)| ({@link NcMetric#NC2_EQUIANGULAR_CLASSIFIER}). */
    public static double equiangularClassifier(double[][] w) {
        return Dispersion.mean(equiangularDeviations(classifier(w)));
    }

    /** Std over pairs i &lt; j of |cos(w_i, w_j) + 1/(K−1)| ({@link NcMetric#NC2_EQUIANGULAR_CLASSIFIER_STD}). */
    public static double equiangularClassifierStd(double[][] w, Dispersion d) {
        return d.std(equiangularDeviations(classifier(w)));
    }

    /** ‖G/‖G‖_F − T‖_F with G = M̃M̃ᵀ and T the unit-norm simplex-ETF Gram ({@link NcMetric#NC2_ETF_MEANS}). */
    public static double etfMeans(NcStatistics s, GlobalMean g) {
        return etf(s.centredMeans(g));
    }

    /** ‖G/‖G‖_F − T‖_F with G = WWᵀ ({@link NcMetric#NC2_ETF_CLASSIFIER}). */
    public static double etfClassifier(double[][] w) {
        return etf(classifier(w));
    }

    static double equinorm(double[][] rows, Dispersion d) {
        double[] norms = Dense.rowNorms(rows);
        return d.std(norms) / Dispersion.mean(norms);
    }

    /** |cos(a_i, a_j) + 1/(K−1)| for every pair of rows i &lt; j. */
    static double[] equiangularDeviations(double[][] rows) {
        double[] cos = Dense.pairwiseCosines(rows, null);
        double[] dev = new double[cos.length];
        for (int i = 0; i < cos.length; i++) {
            dev[i] = Math.abs(cos[i] + 1.0 / (rows.length - 1));
        }
        return dev;
    }

    static double etf(double[][] rows) {
        return Dense.etfDistance(Dense.timesTransposed(rows, rows));
    }

    /** A checked copy of a K×d classifier with K &gt;= 2, for the functions that need no statistics. */
    static double[][] classifier(double[][] w) {
        if (w == null || w.length == 0 || w[0] == null) {
            throw new IllegalArgumentException("W: expected a K x d classifier, got " + (w == null ? "null" : "no rows"));
        }
        Checks.requireClassCount(w.length);
        return Checks.requireMatrix("W", w, w.length, w[0].length);
    }
}
