package org.deqnc.theory.kernels;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ling et al.'s real-data experiment: for each data set, model, width and seed, the random features of the
 * training and test samples (computed once, then read from the {@link FeatureCache}), and the test accuracy
 * of a readout trained on them alone, by softmax SGD (the authors' optimiser) and by ridge regression.
 */
public final class ReadoutSweep {

    /**
     * A prepared data set (rows centred and scaled, see {@link RealImages}).
     *
     * @param key what the samples depend on (source, classes, sizes, selection seed): part of the cache key
     */
    public record Dataset(String name, String key, double[][] trainX, int[] trainY, double[][] testX, int[] testY,
                          int numClasses) {

        /** sqrt of the mean squared norm of the training rows (1 after {@link RealImages}). */
        public Dataset {
            if (trainX.length != trainY.length || testX.length != testY.length || trainX.length == 0 || testX.length == 0) {
                throw new IllegalArgumentException("dataset " + name + ": need a label per row and >= 1 training and test "
                        + "row, got " + trainX.length + "/" + trainY.length + " training, " + testX.length + "/" + testY.length + " test");
            }
        }

        public double tau0() {
            double s = 0;
            for (double[] row : trainX) {
                for (double v : row) {
                    s += v * v;
                }
            }
            return Math.sqrt(s / trainX.length);
        }
    }

    /** The settings of one sweep. */
    public record Settings(List<FeatureModel> models, int[] widths, long[] seeds, double sigmaA2, Readout.Sgd sgd,
                           double ridgeLambda) {
    }

    private ReadoutSweep() {
    }

    /**
     * One row per data set, model, width and seed: train and test accuracy of the SGD readout, test accuracy of
     * the ridge readout. The SGD readout's seed is {@code settings.sgd().seed()} plus the weight seed.
     */
    public static Table run(List<Dataset> datasets, Settings settings, FeatureCache cache) {
        Table t = Table.create("readout accuracy", StringColumn.create("dataset"), StringColumn.create("model"),
                IntColumn.create("width"), LongColumn.create("seed"), DoubleColumn.create("sgd_train_acc"),
                DoubleColumn.create("sgd_test_acc"), DoubleColumn.create("ridge_test_acc"));
        for (Dataset data : datasets) {
            double tau0 = data.tau0();
            Map<FeatureModel, FeatureNetwork> networks = new LinkedHashMap<>();
            for (FeatureModel model : settings.models()) {
                networks.put(model, model.network(settings.sigmaA2(), tau0));
            }
            double[][] all = stack(data.trainX(), data.testX());
            int nTrain = data.trainX().length;
            for (FeatureNetwork net : networks.values()) {
                for (int width : settings.widths()) {
                    for (long seed : settings.seeds()) {
                        String key = String.join(" | ", data.key(), net.model().id(), net.description(),
                                "sigma_a^2=" + settings.sigmaA2(), "m=" + width, "seed=" + seed,
                                "tol=" + MonteCarloKernels.DEFAULT_TOLERANCE);
                        float[] f = cache.get(key, all.length, width, () -> net.features(all, width, seed));
                        float[] train = java.util.Arrays.copyOfRange(f, 0, nTrain * width);
                        float[] test = java.util.Arrays.copyOfRange(f, nTrain * width, f.length);
                        Readout.Sgd sgd = new Readout.Sgd(settings.sgd().epochs(), settings.sgd().learningRate(),
                                settings.sgd().batchSize(), settings.sgd().seed() + seed);
                        Readout.Linear soft = Readout.softmaxSgd(train, data.trainY(), data.numClasses(), sgd);
                        Readout.Linear ridge = Readout.ridge(train, data.trainY(), data.numClasses(), settings.ridgeLambda());
                        t.stringColumn("dataset").append(data.name());
                        t.stringColumn("model").append(net.model().id());
                        t.intColumn("width").append(width);
                        t.longColumn("seed").append(seed);
                        t.doubleColumn("sgd_train_acc").append(soft.accuracy(train, data.trainY()));
                        t.doubleColumn("sgd_test_acc").append(soft.accuracy(test, data.testY()));
                        t.doubleColumn("ridge_test_acc").append(ridge.accuracy(test, data.testY()));
                    }
                }
            }
        }
        return t;
    }

    private static double[][] stack(double[][] a, double[][] b) {
        List<double[]> rows = new ArrayList<>(List.of(a));
        rows.addAll(List.of(b));
        return rows.toArray(double[][]::new);
    }
}
