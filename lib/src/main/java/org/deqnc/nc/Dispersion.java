package org.deqnc.nc;

/**
 * Which standard deviation the coefficients of variation and the cosine spreads use. Papyan et al.'s
 * script uses {@code torch.std}, i.e. the unbiased (n − 1) form; numpy's default is the population form.
 */
public enum Dispersion implements NcChoice {
    /** sqrt(Σ(x − x̄)² / (n − 1)). */
    UNBIASED,
    /** sqrt(Σ(x − x̄)² / n). */
    POPULATION;

    /** The standard deviation of {@code values} under this convention; NaN when it is undefined. */
    public double std(double[] values) {
        int n = values.length;
        int denominator = this == UNBIASED ? n - 1 : n;
        if (denominator <= 0) {
            return Double.NaN;
        }
        double mean = mean(values);
        double sumSq = 0;
        for (double v : values) {
            sumSq += (v - mean) * (v - mean);
        }
        return Math.sqrt(sumSq / denominator);
    }

    static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }
}
