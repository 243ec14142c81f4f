package org.deqnc.data;

import org.deqnc.engine.ComputationInterruptedException;

import java.util.Arrays;

/**
 * Per-channel standardisation {@code x -> (x - mean[c]) / std[c]}. For images of shape {@code [C, H, W]}
 * channel c is the c-th plane; vector data (shape {@code [d]}) is a single channel.
 *
 * <p>Fit it on the training set and apply the same instance to the test set, so both see one transform.
 */
public final class Normalization {

    private final double[] mean;
    private final double[] std;

    private Normalization(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Given statistics, one entry per channel; every value finite and every std > 0. */
    public static Normalization of(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean/std: need the same number (>= 1) of channels, got "
                    + mean.length + " and " + std.length);
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c])) {
                throw new IllegalArgumentException("mean: channel " + c + " must be finite, got " + mean[c]);
            }
            if (!(std[c] > 0) || !Double.isFinite(std[c])) {
                throw new IllegalArgumentException("std: channel " + c + " must be finite and > 0, got " + std[c]);
            }
        }
        return new Normalization(mean.clone(), std.clone());
    }

    /** The CIFAR-10 statistics of Fang et al.'s code (pixels in [0, 1]). */
    public static Normalization cifar10Fang() {
        return of(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.247, 0.243, 0.261});
    }

    /** Mean and (population) standard deviation of each channel over all samples and positions of {@code data}. */
    public static Normalization fit(LabeledData data) {
        int channels = channels(data.sampleShape());
        int plane = data.sampleSize() / channels;
        float[] x = data.featuresInternal();
        double[] sum = new double[channels];
        for (int i = 0; i < x.length; i++) {
            ComputationInterruptedException.checkAt(i, "normalisation: channel means");
            sum[(i / plane) % channels] += x[i];
        }
        double count = (double) data.size() * plane;
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / count;
        }
        // second pass around the mean: no cancellation for data far from zero
        double[] squares = new double[channels];
        for (int i = 0; i < x.length; i++) {
            ComputationInterruptedException.checkAt(i, "normalisation: channel deviations");
            int c = (i / plane) % channels;
            double d = x[i] - mean[c];
            squares[c] += d * d;
        }
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            std[c] = Math.sqrt(squares[c] / count);
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("data: channel " + c + " is constant (std = 0), cannot standardise");
            }
        }
        return new Normalization(mean, std);
    }

    /** Per-channel means. */
    public double[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviations. */
    public double[] std() {
        return std.clone();
    }

    float[] apply(float[] features, int[] sampleShape) {
        int channels = channels(sampleShape);
        if (channels != mean.length) {
            throw new IllegalArgumentException("data: has " + channels + " channel(s) (sample shape "
                    + Arrays.toString(sampleShape) + "), normalisation has " + mean.length);
        }
        int sampleSize = Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
        int plane = sampleSize / channels;
        float[] out = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            ComputationInterruptedException.checkAt(i, "normalisation: standardising");
            int c = (i / plane) % channels;
            out[i] = (float) ((features[i] - mean[c]) / std[c]);
        }
        return out;
    }

    private static int channels(int[] sampleShape) {
        return sampleShape.length >= 2 ? sampleShape[0] : 1;
    }

    @Override
    public String toString() {
        return "normalised mean=" + Arrays.toString(mean) + " std=" + Arrays.toString(std);
    }
}
