package org.deqnc.data;

import org.deqnc.engine.ComputationInterruptedException;

import java.util.stream.IntStream;

/**
 * A sample of a {@link GaussianMixture}: rows {@code x_i} (the columns of the paper's p x n matrix X), their
 * labels, and the noise parts {@code omega_i = C_a^{1/2} xi_i / sqrt(p)} that define psi exactly.
 */
public final class GaussianMixtureSample {

    private final GaussianMixture mixture;
    private final double[][] x;
    private final double[][] noise;
    private final int[] labels;
    private final long seed;

    GaussianMixtureSample(GaussianMixture mixture, double[][] x, double[][] noise, int[] labels, long seed) {
        this.mixture = mixture;
        this.x = x;
        this.noise = noise;
        this.labels = labels;
        this.seed = seed;
    }

    /** The mixture this was drawn from. */
    public GaussianMixture mixture() {
        return mixture;
    }

    /** Number of samples n. */
    public int size() {
        return labels.length;
    }

    /** The n x p data, row i is x_i (a deep copy). */
    public double[][] x() {
        return deepCopy(x);
    }

    /** The n x p noise parts omega_i (a deep copy). */
    public double[][] noise() {
        return deepCopy(noise);
    }

    /** Labels, class blocks in order 0..K-1 (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The exact psi of the paper, {@code psi_i = ||omega_i||^2 - tr(C_a)/p}, from the known noise and
     * covariance (as in Ling et al.'s code); compare {@link MixtureStatistics#estimatePsi}.
     */
    public double[] psi() {
        double[] energy = mixture.noiseEnergies();
        double[] psi = new double[size()];
        for (int i = 0; i < psi.length; i++) {
            double s = 0;
            for (double v : noise[i]) {
                s += v * v;
            }
            psi[i] = s - energy[labels[i]];
        }
        return psi;
    }

    /** The statistics estimated from x and the labels alone ({@link MixtureStatistics#estimate}). */
    public MixtureStatistics estimatedStatistics() {
        return MixtureStatistics.estimate(x, labels, mixture.numClasses());
    }

    /** The statistics of the generating mixture for this sample size ({@link GaussianMixture#statistics(int)}). */
    public MixtureStatistics theoreticalStatistics() {
        return mixture.statistics(size());
    }

    /** As a float32 {@link LabeledData} of vectors (shape {@code [p]}), classes named "class a". */
    public LabeledData toLabeledData() {
        int p = mixture.dimension();
        float[] features = new float[size() * p];
        for (int i = 0; i < size(); i++) {
            ComputationInterruptedException.check("gaussian mixture: converting samples");
            for (int j = 0; j < p; j++) {
                features[i * p + j] = (float) x[i][j];
            }
        }
        return new LabeledData(features, new int[] {p}, labels,
                IntStream.range(0, mixture.numClasses()).mapToObj(a -> "class " + a).toList(),
                mixture + " n=" + size() + " seed=" + seed);
    }

    private static double[][] deepCopy(double[][] m) {
        double[][] copy = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            copy[i] = m[i].clone();
        }
        return copy;
    }
}
