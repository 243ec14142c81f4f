package org.deqnc.theory;

/**
 * The collapse geometry of one layer-peeled solution: Fang et al.'s minority-collapse measurements and a minimal
 * neural-collapse check on the class means. Conventions (stated because several exist, see paper-sun-shi.md §4):
 * <ul>
 *   <li>cosines are pairwise over distinct minority classes; "std" is the population standard deviation; NaN
 *       when there are fewer than two minority classes;</li>
 *   <li>two vectors closer than {@value #COINCIDENCE_TOLERANCE} times the largest vector of their group count as
 *       cosine 1: they have collapsed onto each other (Fang et al.'s criterion {@code w_k - w_k' -> 0}). This
 *       matters because at large R the optimal minority classifiers and features can vanish altogether, where a
 *       raw cosine of two round-off-sized vectors would be noise;</li>
 *   <li>classifier cosines use the raw rows {@code w_k} (as Fang et al.'s code does); class-mean cosines use the
 *       centred means {@code h_k - mean_j h_j} with the unweighted (per-class) global mean;</li>
 *   <li>norms are averages of {@code ||w_k||} and of the uncentred {@code ||h_k||} over the class group;</li>
 *   <li>{@code etfDistance = || M M^T / ||M M^T||_F - E / ||E||_F ||_F} with M the centred means (rows) and
 *       {@code E = I - 11^T/K} the simplex-ETF Gram (0 exactly for a simplex ETF of any scale);</li>
 *   <li>{@code selfDuality = || W/||W||_F - M/||M||_F ||_F} (NC3, not squared).</li>
 * </ul>
 * These few metrics are deliberately local to the theory package; the full NC library lives elsewhere.
 */
public record PeeledGeometry(
        double minorityClassifierCosMean,
        double minorityClassifierCosStd,
        double minorityMeanCosMean,
        double minorityMeanCosStd,
        double majorityNormW,
        double minorityNormW,
        double majorityNormH,
        double minorityNormH,
        double etfDistance,
        double selfDuality) {

    /** Relative distance below which two vectors count as coincident (cosine 1); far above solver round-off. */
    public static final double COINCIDENCE_TOLERANCE = 1e-6;

    /** Measures features H (rows h_k) and classifier W (rows w_k), the first {@code majorityClasses} majority. */
    static PeeledGeometry measure(double[][] features, double[][] classifier, int majorityClasses) {
        double[][] centred = centred(features);
        double[] classifierCos = minorityCosines(classifier, majorityClasses);
        double[] meanCos = minorityCosines(centred, majorityClasses);
        return new PeeledGeometry(
                mean(classifierCos), std(classifierCos), mean(meanCos), std(meanCos),
                meanNorm(classifier, 0, majorityClasses), meanNorm(classifier, majorityClasses, classifier.length),
                meanNorm(features, 0, majorityClasses), meanNorm(features, majorityClasses, features.length),
                etfDistance(centred), selfDuality(classifier, centred));
    }

    static double[][] centred(double[][] rows) {
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / rows.length;
            }
        }
        double[][] c = new double[rows.length][d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                c[i][j] = rows[i][j] - mean[j];
            }
        }
        return c;
    }

    private static double[] minorityCosines(double[][] rows, int first) {
        int m = rows.length - first;
        double scale = 0;
        for (double[] row : rows) {
            scale = Math.max(scale, Dense.norm(row));
        }
        double[] cos = new double[m * (m - 1) / 2];
        int n = 0;
        for (int i = first; i < rows.length; i++) {
            for (int j = i + 1; j < rows.length; j++) {
                cos[n++] = Dense.distance(rows[i], rows[j]) <= COINCIDENCE_TOLERANCE * scale ? 1
                        : Dense.dot(rows[i], rows[j]) / (Dense.norm(rows[i]) * Dense.norm(rows[j]));
            }
        }
        return cos;
    }

    static double etfDistance(double[][] centredMeans) {
        int k = centredMeans.length;
        double[][] gram = Dense.multiplyTransposed(centredMeans, centredMeans);
        double[][] etf = Dense.axpy(Dense.identity(k, 1), -1.0 / k, ones(k));
        return Dense.frobenius(Dense.axpy(Dense.scale(gram, 1 / Dense.frobenius(gram)),
                -1 / Dense.frobenius(etf), etf));
    }

    static double selfDuality(double[][] classifier, double[][] centredMeans) {
        return Dense.frobenius(Dense.axpy(Dense.scale(classifier, 1 / Dense.frobenius(classifier)),
                -1 / Dense.frobenius(centredMeans), centredMeans));
    }

    private static double[][] ones(int k) {
        double[][] m = new double[k][k];
        for (double[] r : m) {
            java.util.Arrays.fill(r, 1.0);
        }
        return m;
    }

    private static double meanNorm(double[][] rows, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += Dense.norm(rows[i]);
        }
        return s / (to - from);
    }

    private static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return v.length == 0 ? Double.NaN : Math.sqrt(s / v.length);
    }
}
