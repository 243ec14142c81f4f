package org.deqnc.nc;

/**
 * NC3, self-duality of the classifier W (rows w_k) and the centred class means M̃ (rows μ̃_k = μ_k − μ_G), one
 * function per measure; {@link NcMetrics} composes them into a report. {@code w} is K×d, as the statistics.
 *
 * <p>Uniform duality comes in two forms, both offered: the variance over k of the cosines cos(w_k, μ̃_k)
 * ({@link #dualityCosVariance}), and the variance over k of the dot products w_k·μ̃_k ({@link #dualityDotVariance}),
 * which is rhubarbwu/neural-collapse's UNC3 ({@code similarities(W, M, m_G)} with {@code cos=False}, then
 * {@code var()}). They differ by the scale of W and M̃: on a balanced test set by an order of magnitude or more.
 */
public final class Nc3 {

    private Nc3() {
    }

    /** ‖W/‖W‖_F − M̃/‖M̃‖_F‖_F ({@link NcMetric#NC3_DUALITY}). */
    public static double duality(NcStatistics s, double[][] w, GlobalMean g) {
        return Dense.normalisedDistance(weights(s, w), s.centredMeans(g));
    }

    /** ‖W/‖W‖_F − M̃/‖M̃‖_F‖_F² ({@link NcMetric#NC3_DUALITY_SQUARED}), Papyan et al.'s form. */
    public static double dualitySquared(NcStatistics s, double[][] w, GlobalMean g) {
        double d = duality(s, w, g);
        return d * d;
    }

    /** ‖WM̃ᵀ/‖WM̃ᵀ‖_F − T‖_F, T the unit-norm simplex-ETF Gram ({@link NcMetric#NC3_STRUCTURE}). */
    public static double structure(NcStatistics s, double[][] w, GlobalMean g) {
        return Dense.etfDistance(Dense.timesTransposed(weights(s, w), s.centredMeans(g)));
    }

    /** ‖W μ_G + b‖, bias collapse ({@link NcMetric#NC3_BIAS}); {@code b} has length K. */
    public static double bias(NcStatistics s, double[][] w, double[] b, GlobalMean g) {
        Classifier c = Classifier.of(w, java.util.Objects.requireNonNull(b, "b"), s.numClasses(), s.dim());
        double[] mean = s.globalMean(g);
        double[] r = new double[c.numClasses()];
        for (int k = 0; k < r.length; k++) {
            r[k] = Dense.dot(c.weights()[k], mean) + c.bias()[k];
        }
        return Dense.norm(r);
    }

    /** Mean over k of cos(w_k, μ̃_k) ({@link NcMetric#NC3_DUALITY_COS_MEAN}). */
    public static double dualityCosMean(NcStatistics s, double[][] w, GlobalMean g) {
        return Dispersion.mean(cosines(weights(s, w), s.centredMeans(g)));
    }

    /**
     * Variance over k of the cosines cos(w_k, μ̃_k) ({@link NcMetric#NC3_DUALITY_COS_VAR}): the square of
     * {@code c.dispersion()}'s std. Scale-free; not rhubarbwu's UNC3, see {@link #dualityDotVariance}.
     */
    public static double dualityCosVariance(NcStatistics s, double[][] w, NcConventions c) {
        return variance(cosines(weights(s, w), s.centredMeans(c.globalMean())), c.dispersion());
    }

    /**
     * Variance over k of the dot products w_k·μ̃_k ({@link NcMetric#UNC3_DUALITY_DOT_VAR}), rhubarbwu's UNC3: the
     * square of {@code c.dispersion()}'s std (unbiased by default, as {@code torch.var}).
     */
    public static double dualityDotVariance(NcStatistics s, double[][] w, NcConventions c) {
        return variance(dots(weights(s, w), s.centredMeans(c.globalMean())), c.dispersion());
    }

    /** cos(w_k, μ̃_k) for every class k. */
    static double[] cosines(double[][] w, double[][] centred) {
        double[] cos = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            cos[k] = Dense.dot(w[k], centred[k]) / (Dense.norm(w[k]) * Dense.norm(centred[k]));
        }
        return cos;
    }

    /** w_k·μ̃_k for every class k. */
    static double[] dots(double[][] w, double[][] centred) {
        double[] dot = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            dot[k] = Dense.dot(w[k], centred[k]);
        }
        return dot;
    }

    static double variance(double[] values, Dispersion d) {
        double std = d.std(values);
        return std * std;
    }

    private static double[][] weights(NcStatistics s, double[][] w) {
        return Classifier.of(w, null, s.numClasses(), s.dim()).weights();
    }
}
