package org.deqnc.theory.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.deqnc.data.SeededShuffle;
import org.deqnc.engine.Engines;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * A linear readout {@code scores = f W + b} on fixed features (n x m, row-major float32), the only part Ling et
 * al. train in their real-data experiment. Two ways to fit it:
 * <ul>
 *   <li>{@link #softmaxSgd}: cross-entropy by plain minibatch SGD from zero, as the authors' {@code main.py}
 *       (momentum 0, batch 128 with the last partial batch dropped, lr 1, 100 epochs), in libtorch float32;
 *       epoch e visits the samples in the order {@code SeededShuffle.permutation(n, streamSeed(seed, e))};</li>
 *   <li>{@link #ridge}: least squares on one-hot targets with penalty lambda ||W||^2, in closed form
 *       {@code (Fc^T Fc / n + lambda I) W = Fc^T Yc / n}, Fc, Yc centred, b = mean(Y) - mean(F) W (no seed).</li>
 * </ul>
 */
public final class Readout {

    /** The readout's weights (m x K) and bias (K). */
    public record Linear(double[][] weights, double[] bias) {

        /** The predicted class of each of the n rows of {@code features}. */
        public int[] predict(float[] features, int n) {
            int m = weights.length, k = bias.length;
            requireShape(features, n, m);
            int[] out = new int[n];
            double[] s = new double[k];
            for (int i = 0; i < n; i++) {
                System.arraycopy(bias, 0, s, 0, k);
                for (int j = 0; j < m; j++) {
                    double f = features[i * m + j];
                    for (int c = 0; c < k; c++) {
                        s[c] += f * weights[j][c];
                    }
                }
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (s[c] > s[best]) {
                        best = c;
                    }
                }
                out[i] = best;
            }
            return out;
        }

        /** The fraction of rows predicted as their label. */
        public double accuracy(float[] features, int[] labels) {
            int[] predicted = predict(features, labels.length);
            int right = 0;
            for (int i = 0; i < labels.length; i++) {
                right += predicted[i] == labels[i] ? 1 : 0;
            }
            return right / (double) labels.length;
        }
    }

    /** Minibatch SGD settings; the authors' are {@code new Sgd(100, 1.0, 128, seed)}. */
    public record Sgd(int epochs, double learningRate, int batchSize, long seed) {
        public Sgd {
            if (epochs < 1 || !(learningRate > 0) || batchSize < 1) {
                throw new IllegalArgumentException("epochs, learningRate, batchSize: need >= 1, > 0, >= 1, got "
                        + epochs + ", " + learningRate + ", " + batchSize);
            }
        }
    }

    private Readout() {
    }

    /** Cross-entropy readout by minibatch SGD from zero weights (see the class comment). */
    public static Linear softmaxSgd(float[] features, int[] labels, int numClasses, Sgd sgd) {
        int n = labels.length, m = checkInputs(features, labels, numClasses);
        if (sgd.batchSize() > n) {
            throw new IllegalArgumentException("batchSize: " + sgd.batchSize() + " is more than the " + n
                    + " samples (the last partial batch is dropped, so no step would be taken)");
        }
        try (NDManager manager = Engines.newManager()) {
            NDArray w = manager.zeros(new Shape(m, numClasses), DataType.FLOAT32);
            NDArray b = manager.zeros(new Shape(numClasses), DataType.FLOAT32);
            float[] shuffled = new float[features.length];
            float[] oneHot = new float[n * numClasses];
            for (int e = 0; e < sgd.epochs(); e++) {
                RandomNetworks.checkInterrupt();
                int[] order = SeededShuffle.permutation(n, SeededShuffle.streamSeed(sgd.seed(), e));
                java.util.Arrays.fill(oneHot, 0);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(features, order[i] * m, shuffled, i * m, m);
                    oneHot[i * numClasses + labels[order[i]]] = 1;
                }
                try (NDManager epoch = manager.newSubManager()) {
                    NDArray x = epoch.create(shuffled, new Shape(n, m));
                    NDArray y = epoch.create(oneHot, new Shape(n, numClasses));
                    for (int start = 0; start + sgd.batchSize() <= n; start += sgd.batchSize()) {
                        try (NDManager step = epoch.newSubManager()) {
                            NDIndex rows = new NDIndex("{}:{}", start, start + sgd.batchSize());
                            NDArray xb = x.get(rows), g = xb.matMul(w).add(b).softmax(1).sub(y.get(rows));
                            double rate = sgd.learningRate() / sgd.batchSize();
                            w.subi(xb.transpose().matMul(g).mul(rate));
                            b.subi(g.sum(new int[]{0}).mul(rate));
                        }
                    }
                }
            }
            float[] wf = w.toFloatArray(), bf = b.toFloatArray();
            double[][] weights = new double[m][numClasses];
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < numClasses; c++) {
                    weights[j][c] = wf[j * numClasses + c];
                }
            }
            double[] bias = new double[numClasses];
            for (int c = 0; c < numClasses; c++) {
                bias[c] = bf[c];
            }
            if (!Double.isFinite(java.util.Arrays.stream(weights).flatMapToDouble(java.util.Arrays::stream).sum())) {
                throw new IllegalStateException("softmax SGD diverged (non-finite weights) at learning rate " + sgd.learningRate());
            }
            return new Linear(weights, bias);
        }
    }

    /** Ridge regression on one-hot targets, in closed form (see the class comment); lambda > 0. */
    public static Linear ridge(float[] features, int[] labels, int numClasses, double lambda) {
        int n = labels.length, m = checkInputs(features, labels, numClasses);
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda: the ridge penalty must be > 0, got " + lambda);
        }
        double[] featureMean = new double[m], labelMean = new double[numClasses];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                featureMean[j] += features[i * m + j] / (double) n;
            }
            labelMean[labels[i]] += 1.0 / n;
        }
        double[][] gram, cross;
        try (NDManager manager = Engines.newManager()) {
            NDArray f = manager.create(features, new Shape(n, m)).toType(DataType.FLOAT64, false)
                    .sub(manager.create(featureMean));
            double[] y = new double[n * numClasses];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < numClasses; c++) {
                    y[i * numClasses + c] = (labels[i] == c ? 1 : 0) - labelMean[c];
                }
            }
            gram = square(f.transpose().matMul(f).div(n).toDoubleArray(), m, m);
            cross = square(f.transpose().matMul(manager.create(y, new Shape(n, numClasses))).div(n).toDoubleArray(), m, numClasses);
        }
        for (int j = 0; j < m; j++) {   // symmetric up to the float rounding of the product; Cholesky wants it exact
            for (int l = 0; l < j; l++) {
                gram[j][l] = gram[l][j] = (gram[j][l] + gram[l][j]) / 2;
            }
            gram[j][j] += lambda;
        }
        RealMatrix w = new CholeskyDecomposition(new Array2DRowRealMatrix(gram, false)).getSolver()
                .solve(new Array2DRowRealMatrix(cross, false));
        double[] bias = labelMean.clone();
        for (int c = 0; c < numClasses; c++) {
            for (int j = 0; j < m; j++) {
                bias[c] -= featureMean[j] * w.getEntry(j, c);
            }
        }
        return new Linear(w.getData(), bias);
    }

    private static int checkInputs(float[] features, int[] labels, int numClasses) {
        int n = labels.length;
        if (n == 0 || features.length % n != 0 || features.length == 0) {
            throw new IllegalArgumentException("features: need n x m values for the " + n + " labels, got " + features.length);
        }
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("labels: each must be in 0.." + (numClasses - 1) + ", got " + label);
            }
        }
        return features.length / n;
    }

    private static void requireShape(float[] features, int n, int m) {
        if (features.length != (long) n * m) {
            throw new IllegalArgumentException("features: need " + n + " x " + m + " values, got " + features.length);
        }
    }

    private static double[][] square(double[] flat, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }
}
