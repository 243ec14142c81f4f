package org.deqnc.data;

/**
 * The statistics of a K-class Gaussian mixture that enter Ling et al.'s (ICML 2024) kernel equivalents, for
 * data {@code x_i = (mu_a + C_a^{1/2} xi_i) / sqrt(p)} with {@code n_a} samples in class a:
 * <pre>
 *   C°    = sum_a (n_a / n) C_a,          C_a° = C_a - C°
 *   tau0  = sqrt(tr C° / p)
 *   t_a   = tr(C_a°) / sqrt(p)                         (vector of length K)
 *   T_ab  = tr(C_a° C_b°) / p                          (K x K)
 *   psi_i = ||omega_i||^2 - tr(C_a) / p,  omega_i = C_a^{1/2} xi_i / sqrt(p)
 * </pre>
 * psi is a random vector, one entry per sample (see {@link GaussianMixtureSample#psi()}); what is
 * summarised here is its per-class variance, {@code 2 tr(C_a^2) / p^2} in theory (for Gaussian xi,
 * {@code Var(xi' C xi) = 2 tr(C^2)}).
 *
 * <p>Built either from the parameters ({@link GaussianMixture#statistics(int)}) or estimated from a sample
 * alone ({@link #estimate(double[][], int[], int)}).
 *
 * @param tau0        sqrt(tr C° / p)
 * @param t           t_a for a = 0..K-1
 * @param bigT        T_ab, K x K (named {@code T} in the paper)
 * @param psiVariance per-class variance of psi_i
 */
public record MixtureStatistics(double tau0, double[] t, double[][] bigT, double[] psiVariance) {

    /**
     * The statistics from per-class moments.
     *
     * @param traces        {@code tr C_a}
     * @param traceProducts {@code tr(C_a C_b)}, symmetric K x K
     * @param weights       {@code n_a / n}, summing to 1
     * @param psiVariance   per-class variance of psi, passed through
     */
    static MixtureStatistics fromMoments(double[] traces, double[][] traceProducts, double[] weights, int p,
                                         double[] psiVariance) {
        int k = traces.length;
        double traceCenter = 0;
        for (int a = 0; a < k; a++) {
            traceCenter += weights[a] * traces[a];
        }
        double[] t = new double[k];
        for (int a = 0; a < k; a++) {
            t[a] = (traces[a] - traceCenter) / Math.sqrt(p);
        }
        // tr(C_a° C_b°) = tr(C_a C_b) - sum_c w_c [tr(C_a C_c) + tr(C_c C_b)] + sum_cd w_c w_d tr(C_c C_d)
        double[] withCenter = new double[k];
        double centerCenter = 0;
        for (int a = 0; a < k; a++) {
            for (int c = 0; c < k; c++) {
                withCenter[a] += weights[c] * traceProducts[a][c];
            }
            centerCenter += weights[a] * withCenter[a];
        }
        double[][] bigT = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                bigT[a][b] = (traceProducts[a][b] - withCenter[a] - withCenter[b] + centerCenter) / p;
            }
        }
        return new MixtureStatistics(Math.sqrt(traceCenter / p), t, bigT, psiVariance.clone());
    }

    /**
     * Estimates the statistics from a sample alone, rows {@code x[i]} in class {@code labels[i]}, assuming the
     * model's scaling (class covariance of x is {@code C_a / p}) and Gaussian data:
     * <ul>
     *   <li>{@code tr C_a} from the unbiased sample covariance S_a of class a: {@code p tr S_a};</li>
     *   <li>{@code tr(C_a C_b)}, a != b: {@code p^2 tr(S_a S_b)} (independent classes, unbiased);</li>
     *   <li>{@code tr(C_a^2)}: the unbiased Bai–Saranadasa (1996) estimator
     *       {@code p^2 m^2/((m-1)(m+2)) [tr(S_a^2) - (tr S_a)^2/m]}, m = n_a - 1. The plug-in
     *       {@code tr(S_a^2)} is biased by {@code (tr C_a)^2/(m p^2)}, which dominates T when p ~ n;</li>
     *   <li>psi variance: the within-class variance of {@link #estimatePsi}.</li>
     * </ul>
     * Traces are computed from n_a x n_b Gram matrices, never p x p covariances. Each class needs >= 3 samples.
     */
    public static MixtureStatistics estimate(double[][] x, int[] labels, int numClasses) {
        ClassBlocks blocks = ClassBlocks.centered(x, labels, numClasses);
        int p = blocks.dimension;
        double[] traces = new double[numClasses];
        double[][] products = new double[numClasses][numClasses];
        for (int a = 0; a < numClasses; a++) {
            double m = blocks.count(a) - 1.0;
            double traceS = blocks.gramTrace(a) / m;
            traces[a] = p * traceS;
            for (int b = 0; b < a; b++) {
                double prod = (double) p * p * blocks.crossGramSquaredNorm(a, b) / (m * (blocks.count(b) - 1.0));
                products[a][b] = prod;
                products[b][a] = prod;
            }
            double traceS2 = blocks.crossGramSquaredNorm(a, a) / (m * m);
            products[a][a] = (double) p * p * m * m / ((m - 1) * (m + 2)) * (traceS2 - traceS * traceS / m);
        }
        double[] psi = psi(blocks, x.length);
        double[] psiVariance = new double[numClasses];
        for (int a = 0; a < numClasses; a++) {
            double s = 0;
            for (int i : blocks.members(a)) {
                s += psi[i] * psi[i];   // estimatePsi has mean exactly zero within each class
            }
            psiVariance[a] = s / (blocks.count(a) - 1);
        }
        return fromMoments(traces, products, blocks.weights(), p, psiVariance);
    }

    /**
     * psi estimated without the parameters: {@code n_a/(n_a-1) ||x_i - mean_a||^2 - tr(S_a)}, which has
     * expectation 0 (both terms are unbiased for {@code tr(C_a)/p}) and sums to exactly 0 within each class.
     */
    public static double[] estimatePsi(double[][] x, int[] labels, int numClasses) {
        return psi(ClassBlocks.centered(x, labels, numClasses), x.length);
    }

    private static double[] psi(ClassBlocks blocks, int n) {
        double[] psi = new double[n];
        for (int a = 0; a < blocks.numClasses(); a++) {
            double count = blocks.count(a);
            double traceS = blocks.gramTrace(a) / (count - 1);
            for (int i : blocks.members(a)) {
                psi[i] = count / (count - 1) * blocks.squaredNorm(i) - traceS;
            }
        }
        return psi;
    }

    /**
     * {@code sqrt(mean_i ||x_i||^2)}, the estimate of tau0 in Ling et al.'s released code. It also counts the
     * class means: its square exceeds {@code tr C°/p} by {@code sum_a (n_a/n) ||mu_a||^2 / p}, which vanishes
     * only when the means stay O(1) as p grows.
     */
    public static double rootMeanSquaredNorm(double[][] x) {
        double s = 0;
        for (double[] row : x) {
            for (double v : row) {
                s += v * v;
            }
        }
        return Math.sqrt(s / x.length);
    }

    /** t_a for a = 0..K-1 (a copy). */
    @Override
    public double[] t() {
        return t.clone();
    }

    /** T_ab, K x K (a copy). */
    @Override
    public double[][] bigT() {
        double[][] copy = new double[bigT.length][];
        for (int a = 0; a < bigT.length; a++) {
            copy[a] = bigT[a].clone();
        }
        return copy;
    }

    /** Per-class variance of psi (a copy). */
    @Override
    public double[] psiVariance() {
        return psiVariance.clone();
    }
}
