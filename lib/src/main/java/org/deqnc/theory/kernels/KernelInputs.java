package org.deqnc.theory.kernels;

import org.deqnc.data.GaussianMixtureSample;
import org.deqnc.data.MixtureStatistics;

/**
 * The data side of Ling et al.'s kernel equivalents: the n x p samples x_i (rows), their classes, psi,
 * the statistics t and T and the input scale tau0.
 *
 * @param x      n x p, row i is x_i
 * @param labels class of each row, 0..K-1
 * @param psi    {@code ||omega_i||^2 - tr(C_a)/p}, one per row
 * @param t      {@code tr(C_a°)/sqrt(p)}, one per class
 * @param bigT   {@code tr(C_a° C_b°)/p}, K x K
 * @param tau0   the input scale the activations are centred for
 */
public record KernelInputs(double[][] x, int[] labels, double[] psi, double[] t, double[][] bigT, double tau0) {

    /** Where tau0 comes from. */
    public enum Tau0 {
        /** {@code sqrt(mean_i ||x_i||^2)}, as Ling et al.'s released code (counts the class means too). */
        EMPIRICAL,
        /** {@code sqrt(tr C°/p)}, the definition (the code's exact form, commented out there). */
        COVARIANCE
    }

    public KernelInputs {
        if (x.length != labels.length || x.length != psi.length) {
            throw new IllegalArgumentException("x, labels, psi: need one row each, got " + x.length + ", " + labels.length
                    + ", " + psi.length);
        }
        if (!(tau0 > 0)) {
            throw new IllegalArgumentException("tau0: must be > 0, got " + tau0);
        }
    }

    /**
     * A Gaussian-mixture sample with the exact psi of its noise and t, T of its generating mixture (as the
     * official GMM scripts).
     */
    public static KernelInputs of(GaussianMixtureSample sample, Tau0 tau0) {
        MixtureStatistics stats = sample.theoreticalStatistics();
        double[][] x = sample.x();
        double scale = tau0 == Tau0.EMPIRICAL ? MixtureStatistics.rootMeanSquaredNorm(x) : stats.tau0();
        return new KernelInputs(x, sample.labels(), sample.psi(), stats.t(), stats.bigT(), scale);
    }

    /**
     * Real data (no generating model): t, T and psi estimated from the sample ({@link MixtureStatistics#estimate}),
     * tau0 empirical. The official MNIST scripts instead set t = 0 and take an element-wise trace for T; see
     * docs/ling.md.
     */
    public static KernelInputs estimated(double[][] x, int[] labels, int numClasses) {
        MixtureStatistics stats = MixtureStatistics.estimate(x, labels, numClasses);
        return new KernelInputs(x, labels, MixtureStatistics.estimatePsi(x, labels, numClasses), stats.t(), stats.bigT(),
                MixtureStatistics.rootMeanSquaredNorm(x));
    }

    public int size() {
        return x.length;
    }

    public int dimension() {
        return x[0].length;
    }

    /** {@code X^T X} in the paper's notation (X is p x n): the n x n Gram matrix of the rows. */
    public double[][] gram() {
        int n = size();
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                double[] a = x[i], b = x[j];
                for (int k = 0; k < a.length; k++) {
                    s += a[k] * b[k];
                }
                g[i][j] = s;
                g[j][i] = s;
            }
        }
        return g;
    }
}
