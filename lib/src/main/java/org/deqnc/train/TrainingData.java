package org.deqnc.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.deqnc.data.Cifar;
import org.deqnc.data.FashionMnist;
import org.deqnc.data.GaussianMixture;
import org.deqnc.data.LabeledData;
import org.deqnc.data.Normalization;
import org.deqnc.data.SeededShuffle;
import org.deqnc.data.Split;
import org.deqnc.data.StepImbalance;
import org.deqnc.engine.ComputationInterruptedException;

/**
 * The training and test sets of an experiment: read (or generated), step-imbalanced (training only),
 * sub-sampled, and normalised with the training set's statistics.
 *
 * @param train the (imbalanced) training set
 * @param test  the balanced test set
 */
record TrainingData(LabeledData train, LabeledData test) {

    /** Streams of {@link SeededShuffle#streamSeed} for data decisions, apart from the per-epoch batch orders. */
    private static final long SELECTION_STREAM = -2;
    private static final long TEST_SELECTION_STREAM = -3;
    private static final long SYNTHETIC_STREAM = -4;

    static TrainingData load(Experiment e) {
        LabeledData train = read(e, Split.TRAIN);
        LabeledData test = read(e, Split.TEST);
        int nA = e.get(Experiment.PER_CLASS);
        if (nA == 0) {
            nA = Arrays.stream(train.classCounts()).min().orElseThrow();
        }
        train = StepImbalance.of(e.kA(), e.r()).apply(train, nA, SeededShuffle.streamSeed(e.seed(), SELECTION_STREAM));
        int testPerClass = e.get(Experiment.TEST_PER_CLASS);
        if (testPerClass > 0) {
            test = test.balancedSubset(testPerClass, SeededShuffle.streamSeed(e.seed(), TEST_SELECTION_STREAM));
        }
        if (e.get(Experiment.NORMALIZE)) {
            Normalization n = Normalization.fit(train);
            train = train.normalized(n);
            test = test.normalized(n);
        }
        return new TrainingData(train, test);
    }

    /** The split of the configured data set; a reader's error is prefixed with the settings that chose it. */
    private static LabeledData read(Experiment e, Split split) {
        try {
            return readUnchecked(e, split);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("experiment: dataset=" + e.dataset() + " data_dir="
                    + e.get(Experiment.DATA_DIR) + ": " + ex.getMessage(), ex);
        }
    }

    private static LabeledData readUnchecked(Experiment e, Split split) {
        String dir = e.get(Experiment.DATA_DIR);
        boolean byDefault = dir.equals(Experiment.DEFAULT);
        switch (e.dataset()) {
            case "gmm":
            case "synthetic":
                return synthetic(e, split);
            case "cifar10":
                return byDefault ? Cifar.load(Cifar.Variant.CIFAR10, split)
                        : Cifar.load(Cifar.Variant.CIFAR10, Path.of(dir), split);
            case "cifar100":
                return byDefault ? Cifar.load(Cifar.Variant.CIFAR100_FINE, split)
                        : Cifar.load(Cifar.Variant.CIFAR100_FINE, Path.of(dir), split);
            default:
                return byDefault ? FashionMnist.load(split) : FashionMnist.load(Path.of(dir), split);
        }
    }

    /**
     * K balanced Gaussian classes in p dimensions (Ling et al.'s scaling x = (mu_k + xi) / sqrt(p)), means with
     * N(0, 1) entries, so class means are about sqrt(2) noise norms apart: separable, but not trivially at the
     * first step. Train and test are independent draws of one mixture. {@code gmm} gives the vectors
     * (p = {@code synthetic_dim}); {@code synthetic} lays each out as a 1 x s x s image (p = s * s), row-major.
     */
    private static LabeledData synthetic(Experiment e, Split split) {
        int k = e.get(Experiment.SYNTHETIC_CLASSES);
        boolean images = e.dataset().equals("synthetic");
        int side = e.get(Experiment.SYNTHETIC_SIDE);
        int p = images ? side * side : e.get(Experiment.SYNTHETIC_DIM);
        Random rnd = new Random(SeededShuffle.streamSeed(e.seed(), SYNTHETIC_STREAM));
        GaussianMixture.Builder b = GaussianMixture.builder(p);
        for (int c = 0; c < k; c++) {
            double[] mean = new double[p];
            for (int j = 0; j < p; j++) {
                mean[j] = rnd.nextGaussian();
            }
            b.addIsotropicClass(mean, 1.0);
        }
        GaussianMixture gmm = b.build();
        boolean train = split == Split.TRAIN;
        int perClass = e.get(train ? Experiment.SYNTHETIC_PER_CLASS : Experiment.SYNTHETIC_TEST_PER_CLASS);
        long seed = SeededShuffle.streamSeed(e.seed(), SYNTHETIC_STREAM - (train ? 1 : 2));
        LabeledData vectors = gmm.sample(perClass * k, seed).toLabeledData();
        return images ? asImages(vectors, side) : vectors;
    }

    /** The same samples with shape (1, side, side). */
    private static LabeledData asImages(LabeledData vectors, int side) {
        int p = side * side;
        float[] features = new float[vectors.size() * p];
        for (int i = 0; i < vectors.size(); i++) {
            ComputationInterruptedException.check("synthetic: laying out images");
            System.arraycopy(vectors.sample(i), 0, features, i * p, p);
        }
        return new LabeledData(features, new int[] {1, side, side}, vectors.labels(), vectors.classNames(),
                vectors.source() + " as 1x" + side + "x" + side + " images");
    }
}
