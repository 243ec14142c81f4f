package org.deqnc.data;

import org.deqnc.engine.ComputationInterruptedException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The K-class Gaussian mixture of Ling et al. (ICML 2024): a sample of class a is
 * {@code x = (mu_a + C_a^{1/2} xi) / sqrt(p)}, {@code xi ~ N(0, I_p)}, with class proportions
 * {@code pi_a}. Means and covariances are given unscaled; the {@code 1/sqrt(p)} is applied when sampling.
 *
 * <pre>{@code
 * GaussianMixture gmm = GaussianMixture.builder(400)
 *         .addIsotropicClass(mean0, 1.0)
 *         .addIsotropicClass(mean1, 1.2)
 *         .build();                                   // balanced by default
 * GaussianMixtureSample s = gmm.sample(320, 7L);
 * MixtureStatistics theory = gmm.statistics(320);
 * MixtureStatistics fromData = s.estimatedStatistics();
 * }</pre>
 */
public final class GaussianMixture {

    private final int dimension;
    private final double[][] means;
    private final List<Covariance> covariances;
    private final double[] proportions;

    private GaussianMixture(int dimension, double[][] means, List<Covariance> covariances, double[] proportions) {
        this.dimension = dimension;
        this.means = means;
        this.covariances = covariances;
        this.proportions = proportions;
    }

    /** A builder for mixtures in dimension {@code p}. */
    public static Builder builder(int dimension) {
        return new Builder(dimension);
    }

    /**
     * The synthetic instance of every GMM script in Ling et al.'s code: K = 2 balanced classes,
     * {@code mu_a = 8 e_{8a}} (0-based index 8a), {@code C_0 = I_p}, {@code C_1 = (1 + 8/sqrt(p)) I_p}; so
     * t = (-4, +4) and T = O(1/p). The scripts use {@code n = floor(0.8 p)}.
     */
    public static GaussianMixture lingTwoClass(int dimension) {
        if (dimension < 9) {
            throw new IllegalArgumentException("dimension: the Ling et al. instance puts a mean on coordinate 8, need p >= 9, got " + dimension);
        }
        double[] mean0 = new double[dimension];
        double[] mean1 = new double[dimension];
        mean0[0] = 8;
        mean1[8] = 8;
        return builder(dimension)
                .addIsotropicClass(mean0, 1.0)
                .addIsotropicClass(mean1, 1.0 + 8.0 / Math.sqrt(dimension))
                .build();
    }

    /** Dimension p. */
    public int dimension() {
        return dimension;
    }

    /** Number of classes K. */
    public int numClasses() {
        return means.length;
    }

    /** Class proportions pi_a (a copy). */
    public double[] proportions() {
        return proportions.clone();
    }

    /** Mean mu_a, unscaled (a copy). */
    public double[] mean(int a) {
        return means[a].clone();
    }

    /**
     * Samples per class for a sample of size n: {@code floor(pi_a n)}, the remainder going one each to the
     * classes with the largest fractional parts (lower label first on ties). Each class gets >= 1.
     */
    public int[] classCounts(int n) {
        if (n < numClasses()) {
            throw new IllegalArgumentException("n: must be >= K = " + numClasses() + ", got " + n);
        }
        int[] counts = new int[numClasses()];
        double[] fraction = new double[numClasses()];
        int assigned = 0;
        for (int a = 0; a < counts.length; a++) {
            double exact = proportions[a] * n;
            counts[a] = (int) Math.floor(exact);
            fraction[a] = exact - counts[a];
            assigned += counts[a];
        }
        for (int r = assigned; r < n; r++) {
            int best = 0;
            for (int a = 1; a < counts.length; a++) {
                if (fraction[a] > fraction[best]) {
                    best = a;
                }
            }
            counts[best]++;
            fraction[best] = -1;
        }
        for (int a = 0; a < counts.length; a++) {
            if (counts[a] < 1) {
                throw new IllegalArgumentException("n: " + n + " samples leave class " + a + " (proportion "
                        + proportions[a] + ") empty; use a larger n");
            }
        }
        return counts;
    }

    /**
     * n samples, class 0 first then class 1 and so on (the block order of the paper's label matrix J), drawn
     * from {@code new Random(seed)}: each sample draws its p standard normals in coordinate order.
     */
    public GaussianMixtureSample sample(int n, long seed) {
        int[] counts = classCounts(n);
        Random random = new Random(seed);
        double scale = 1.0 / Math.sqrt(dimension);
        double[][] x = new double[n][dimension];
        double[][] noise = new double[n][dimension];
        int[] labels = new int[n];
        double[] xi = new double[dimension];
        int i = 0;
        for (int a = 0; a < counts.length; a++) {
            for (int c = 0; c < counts[a]; c++, i++) {
                ComputationInterruptedException.check("gaussian mixture: sampling");
                for (int j = 0; j < dimension; j++) {
                    xi[j] = random.nextGaussian();
                }
                covariances.get(a).applyRoot(xi, noise[i]);
                for (int j = 0; j < dimension; j++) {
                    noise[i][j] *= scale;
                    x[i][j] = means[a][j] * scale + noise[i][j];
                }
                labels[i] = a;
            }
        }
        return new GaussianMixtureSample(this, x, noise, labels, seed);
    }

    /** tr(C_a) / p for each class: the expectation of {@code ||omega_i||^2}. */
    double[] noiseEnergies() {
        double[] e = new double[numClasses()];
        for (int a = 0; a < e.length; a++) {
            e[a] = covariances.get(a).trace() / dimension;
        }
        return e;
    }

    /**
     * The statistics (tau0, t, T, psi variance) computed from the parameters, for a sample of size n (its
     * class counts {@link #classCounts(int)} give the weights n_a/n of C°).
     */
    public MixtureStatistics statistics(int n) {
        int k = numClasses();
        int[] counts = classCounts(n);
        double[] weights = new double[k];
        double[] traces = new double[k];
        double[][] products = new double[k][k];
        double[] psiVariance = new double[k];
        for (int a = 0; a < k; a++) {
            weights[a] = counts[a] / (double) n;
            traces[a] = covariances.get(a).trace();
            for (int b = 0; b <= a; b++) {
                products[a][b] = covariances.get(a).traceProduct(covariances.get(b));
                products[b][a] = products[a][b];
            }
            psiVariance[a] = 2 * products[a][a] / ((double) dimension * dimension);
        }
        return MixtureStatistics.fromMoments(traces, products, weights, dimension, psiVariance);
    }

    @Override
    public String toString() {
        return "GaussianMixture[K=" + numClasses() + ", p=" + dimension + ", proportions=" + Arrays.toString(proportions) + "]";
    }

    /** Fluent construction; classes are numbered in the order they are added. */
    public static final class Builder {

        private final int dimension;
        private final List<double[]> means = new ArrayList<>();
        private final List<Covariance> covariances = new ArrayList<>();
        private double[] proportions;

        private Builder(int dimension) {
            if (dimension < 1) {
                throw new IllegalArgumentException("dimension: must be >= 1, got " + dimension);
            }
            this.dimension = dimension;
        }

        /** A class with mean {@code mean} and a full symmetric positive semi-definite covariance. */
        public Builder addClass(double[] mean, double[][] covariance) {
            String name = "covariance of class " + means.size();
            if (covariance.length != dimension) {
                throw new IllegalArgumentException(name + ": must be " + dimension + "x" + dimension + ", got " + covariance.length + " rows");
            }
            return add(mean, Covariance.full(covariance, name));
        }

        /** A class with mean {@code mean} and covariance {@code diag(variances)}. */
        public Builder addDiagonalClass(double[] mean, double[] variances) {
            String name = "variances of class " + means.size();
            if (variances.length != dimension) {
                throw new IllegalArgumentException(name + ": need " + dimension + " values, got " + variances.length);
            }
            return add(mean, Covariance.diagonal(variances, name));
        }

        /** A class with mean {@code mean} and covariance {@code variance * I_p}. */
        public Builder addIsotropicClass(double[] mean, double variance) {
            double[] variances = new double[dimension];
            Arrays.fill(variances, variance);
            return addDiagonalClass(mean, variances);
        }

        /** Class proportions, one per class, each > 0, summing to 1; default: balanced. */
        public Builder proportions(double... proportions) {
            this.proportions = proportions.clone();
            return this;
        }

        private Builder add(double[] mean, Covariance covariance) {
            if (mean.length != dimension) {
                throw new IllegalArgumentException("mean of class " + means.size() + ": need " + dimension + " values, got " + mean.length);
            }
            for (double v : mean) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("mean of class " + means.size() + ": entries must be finite, got " + v);
                }
            }
            means.add(mean.clone());
            covariances.add(covariance);
            return this;
        }

        /** The mixture; needs >= 2 classes. */
        public GaussianMixture build() {
            int k = means.size();
            if (k < 2) {
                throw new IllegalArgumentException("classes: need at least 2, got " + k);
            }
            double[] p = proportions;
            if (p == null) {
                p = new double[k];
                Arrays.fill(p, 1.0 / k);
            }
            if (p.length != k) {
                throw new IllegalArgumentException("proportions: need one per class (" + k + "), got " + p.length);
            }
            double sum = 0;
            for (double v : p) {
                if (!(v > 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("proportions: each must be finite and > 0, got " + Arrays.toString(p));
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("proportions: must sum to 1, got " + Arrays.toString(p) + " summing to " + (float) sum);
            }
            return new GaussianMixture(dimension, means.toArray(new double[0][]), List.copyOf(covariances), p);
        }
    }
}
