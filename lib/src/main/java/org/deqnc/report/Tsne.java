package org.deqnc.report;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Exact t-SNE (van der Maaten &amp; Hinton, JMLR 2008) for a few thousand points: Gaussian input affinities
 * whose bandwidths are calibrated per point to a target perplexity, symmetrised; Student-t output affinities in
 * two dimensions; gradient descent with momentum, per-coordinate gains and early exaggeration, as in the
 * authors' reference implementation. Every pair is computed (O(n²) per iteration), so the result does not
 * depend on a Barnes–Hut accuracy parameter; about 5 ms per iteration at n = 1000.
 *
 * <p>Seeded: the same input and seed give the same embedding. Interruptible: the fitting thread's interrupt
 * flag is checked every iteration, and an interrupt ends the fit with a {@link CancellationException} (the flag
 * is set again for callers up the stack).
 *
 * <pre>{@code
 * Tsne.Result r = Tsne.builder().perplexity(30).seed(1).build().fit(features);
 * Table points = r.table(labels);          // x, y, class
 * Figures.scatter(points).x("x").y("y").by("class");
 * }</pre>
 */
public final class Tsne {

    /** Relative tolerance of the perplexity calibration (on the entropy in nats). */
    static final double ENTROPY_TOLERANCE = 1e-5;
    private static final int CALIBRATION_STEPS = 200;
    private static final double MIN_GAIN = 0.01;
    private static final double TINY = 1e-12;

    private final double perplexity;
    private final int iterations;
    /** The learning rate, or NaN for the automatic choice max(n / (4 · exaggeration), 50). */
    private final double learningRate;
    private final double exaggeration;
    private final int exaggerationIterations;
    private final long seed;
    private final int klEvery;

    private Tsne(Builder b) {
        this.perplexity = b.perplexity;
        this.iterations = b.iterations;
        this.learningRate = b.learningRate;
        this.exaggeration = b.exaggeration;
        this.exaggerationIterations = b.exaggerationIterations;
        this.seed = b.seed;
        this.klEvery = b.klEvery;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * An embedding and how it was reached.
     *
     * @param embedding      n × 2 coordinates
     * @param perplexities   the perplexity each point's conditional affinities reached (target: the builder's)
     * @param klIterations   iterations at which the KL divergence was recorded (0 = the initial layout)
     * @param kl             KL(P‖Q) with the true (unexaggerated) P at those iterations
     */
    public record Result(double[][] embedding, double[] perplexities, int[] klIterations, double[] kl) {

        /** The last recorded KL divergence. */
        public double finalKl() {
            return kl[kl.length - 1];
        }

        /** Columns {@code x}, {@code y} and {@code class} (the label of each point, as text), for a scatter plot. */
        public Table table(int[] labels) {
            if (labels.length != embedding.length) {
                throw new IllegalArgumentException("labels: need one per point (" + embedding.length + "), got "
                        + labels.length);
            }
            DoubleColumn x = DoubleColumn.create("x");
            DoubleColumn y = DoubleColumn.create("y");
            StringColumn c = StringColumn.create("class");
            for (int i = 0; i < embedding.length; i++) {
                x.append(embedding[i][0]);
                y.append(embedding[i][1]);
                c.append(Integer.toString(labels[i]));
            }
            return Table.create("t-SNE", x, y, c);
        }
    }

    /** Embeds the rows of {@code x} (n × d, n > 3 × perplexity + 1) in two dimensions. */
    public Result fit(double[][] x) {
        int n = x.length;
        if (n < 4 || 3 * perplexity + 1 > n) {
            throw new IllegalArgumentException("perplexity: must satisfy 3 * perplexity + 1 <= n (number of points = "
                    + n + "), got " + perplexity);
        }
        for (int i = 0; i < n; i++) {
            if (x[i].length != x[0].length) {
                throw new IllegalArgumentException("x: rows must have equal length " + x[0].length + ", row " + i
                        + " has " + x[i].length);
            }
        }
        double[][] d2 = squaredDistances(x);
        double[][] conditional = new double[n][];
        double[] reached = new double[n];
        for (int i = 0; i < n; i++) {
            checkInterrupt("calibration", i);
            conditional[i] = calibrateRow(d2[i], i, perplexity);
            reached[i] = Math.exp(entropy(conditional[i]));
        }
        double[][] p = symmetrise(conditional);
        return descend(p, reached);
    }

    /**
     * Row i of the conditional affinities p_{j|i} ∝ exp(−β‖x_i − x_j‖²), p_{i|i} = 0, with β found by bisection
     * so that the row's perplexity exp(H) is {@code perplexity}.
     */
    static double[] calibrateRow(double[] squaredDistances, int self, double perplexity) {
        double target = Math.log(perplexity);
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        double beta = 1 / Math.max(TINY, median(squaredDistances, self));
        double[] row = new double[squaredDistances.length];
        for (int step = 0; step < CALIBRATION_STEPS; step++) {
            gaussianRow(squaredDistances, self, beta, row);
            double h = entropy(row);
            if (Math.abs(h - target) <= ENTROPY_TOLERANCE * Math.max(1, target)) {
                break;
            }
            if (h > target) { // too flat: narrow the kernel
                lo = beta;
                beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
        return row;
    }

    private static void gaussianRow(double[] d2, int self, double beta, double[] row) {
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < d2.length; j++) {
            if (j != self) {
                min = Math.min(min, d2[j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < d2.length; j++) {
            row[j] = j == self ? 0 : Math.exp(-beta * (d2[j] - min)); // shifted: no underflow of the nearest
            sum += row[j];
        }
        for (int j = 0; j < d2.length; j++) {
            row[j] /= sum;
        }
    }

    /** Shannon entropy in nats of a probability row. */
    static double entropy(double[] row) {
        double h = 0;
        for (double v : row) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }

    private static double median(double[] d2, int self) {
        double[] others = new double[d2.length - 1];
        for (int j = 0, k = 0; j < d2.length; j++) {
            if (j != self) {
                others[k++] = d2[j];
            }
        }
        Arrays.sort(others);
        return others[others.length / 2];
    }

    private static double[][] squaredDistances(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[][] d2 = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = x[i][k] - x[j][k];
                    s += t * t;
                }
                if (!Double.isFinite(s)) {
                    throw new IllegalArgumentException("x: rows " + i + " and " + j + " have a non-finite distance");
                }
                d2[i][j] = s;
                d2[j][i] = s;
            }
        }
        return d2;
    }

    /** p_ij = (p_{j|i} + p_{i|j}) / 2n, floored at a tiny value as in the reference code. */
    private static double[][] symmetrise(double[][] c) {
        int n = c.length;
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i][j] = i == j ? 0 : Math.max((c[i][j] + c[j][i]) / (2.0 * n), TINY);
            }
        }
        return p;
    }

    private Result descend(double[][] p, double[] reached) {
        int n = p.length;
        double eta = Double.isNaN(learningRate) ? Math.max(n / (4 * exaggeration), 50) : learningRate;
        SplittableRandom random = new SplittableRandom(seed);
        double[][] y = new double[n][2];
        for (double[] row : y) {
            row[0] = 1e-4 * gaussian(random);
            row[1] = 1e-4 * gaussian(random);
        }
        double[][] velocity = new double[n][2];
        double[][] gains = new double[n][2];
        for (double[] g : gains) {
            Arrays.fill(g, 1);
        }
        double[][] grad = new double[n][2];
        double[][] num = new double[n][n];
        int records = iterations / klEvery + 2;
        int[] at = new int[records];
        double[] kl = new double[records];
        int recorded = 0;
        for (int it = 0; it <= iterations; it++) {
            checkInterrupt("iteration", it);
            double sumQ = studentT(y, num);
            if (it % klEvery == 0 || it == iterations) {
                at[recorded] = it;
                kl[recorded++] = kl(p, num, sumQ);
            }
            if (it == iterations) {
                break;
            }
            double ex = it < exaggerationIterations ? exaggeration : 1;
            double momentum = it < exaggerationIterations ? 0.5 : 0.8;
            for (int i = 0; i < n; i++) {
                double gx = 0;
                double gy = 0;
                for (int j = 0; j < n; j++) {
                    double m = (ex * p[i][j] - num[i][j] / sumQ) * num[i][j];
                    gx += m * (y[i][0] - y[j][0]);
                    gy += m * (y[i][1] - y[j][1]);
                }
                grad[i][0] = 4 * gx;
                grad[i][1] = 4 * gy;
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 2; k++) {
                    // gains grow where the gradient keeps changing sign against the step, as in the reference
                    boolean flip = (grad[i][k] > 0) != (velocity[i][k] > 0);
                    gains[i][k] = Math.max(MIN_GAIN, flip ? gains[i][k] + 0.2 : gains[i][k] * 0.8);
                    velocity[i][k] = momentum * velocity[i][k] - eta * gains[i][k] * grad[i][k];
                    y[i][k] += velocity[i][k];
                }
            }
            centre(y);
        }
        return new Result(y, reached, Arrays.copyOf(at, recorded), Arrays.copyOf(kl, recorded));
    }

    /** Fills num with 1/(1 + ‖y_i − y_j‖²) (0 on the diagonal) and returns their sum. */
    private static double studentT(double[][] y, double[][] num) {
        int n = y.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            num[i][i] = 0;
            for (int j = i + 1; j < n; j++) {
                double dx = y[i][0] - y[j][0];
                double dy = y[i][1] - y[j][1];
                double v = 1 / (1 + dx * dx + dy * dy);
                num[i][j] = v;
                num[j][i] = v;
                sum += 2 * v;
            }
        }
        return sum;
    }

    private static double kl(double[][] p, double[][] num, double sumQ) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (i != j) {
                    s += p[i][j] * Math.log(p[i][j] / Math.max(num[i][j] / sumQ, TINY));
                }
            }
        }
        return s;
    }

    private static void centre(double[][] y) {
        double mx = 0;
        double my = 0;
        for (double[] r : y) {
            mx += r[0];
            my += r[1];
        }
        mx /= y.length;
        my /= y.length;
        for (double[] r : y) {
            r[0] -= mx;
            r[1] -= my;
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static void checkInterrupt(String phase, int step) {
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new CancellationException("t-SNE: interrupted during " + phase + " " + step);
        }
    }

    /**
     * Settings; the defaults are the reference implementation's (perplexity 30, 1000 iterations, exaggeration 12
     * for 250 iterations, momentum 0.5 then 0.8) except the learning rate (see {@link #learningRate}).
     */
    public static final class Builder {
        private double perplexity = 30;
        private int iterations = 1000;
        private double learningRate = Double.NaN;
        private double exaggeration = 12;
        private int exaggerationIterations = 250;
        private long seed;
        private int klEvery = 50;

        private Builder() {
        }

        /** Effective number of neighbours each point's affinities spread over; at least 2. */
        public Builder perplexity(double v) {
            if (!(v >= 2)) {
                throw new IllegalArgumentException("perplexity: must be >= 2, got " + v);
            }
            perplexity = v;
            return this;
        }

        /** Gradient steps after the initial layout; at least 1. */
        public Builder iterations(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("iterations: must be >= 1, got " + v);
            }
            iterations = v;
            return this;
        }

        /**
         * Step size; by default max(n / (4 · exaggeration), 50) (Belkina et al. 2019, as scikit-learn's "auto"): a
         * fixed 200 makes small data sets oscillate during early exaggeration.
         */
        public Builder learningRate(double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("learning_rate: must be positive and finite, got " + v);
            }
            learningRate = v;
            return this;
        }

        /** Factor on P and the number of first iterations it applies to (van der Maaten: 12 for 250). */
        public Builder exaggeration(double factor, int forIterations) {
            if (!(factor >= 1) || forIterations < 0) {
                throw new IllegalArgumentException("exaggeration: factor must be >= 1 and iterations >= 0, got "
                        + factor + " for " + forIterations);
            }
            exaggeration = factor;
            exaggerationIterations = forIterations;
            return this;
        }

        /** Seeds the initial layout. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Records KL(P‖Q) every this many iterations (and at the last). */
        public Builder klEvery(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("kl_every: must be >= 1, got " + v);
            }
            klEvery = v;
            return this;
        }

        public Tsne build() {
            return new Tsne(this);
        }
    }
}
