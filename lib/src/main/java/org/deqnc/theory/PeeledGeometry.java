package org.deqnc.theory;

/**
 * The collapse geometry of one layer-peeled solution: Fang et al.'s minority-collapse measurements and a minimal
 * neural-collapse check on the class means. Conventions (stated because several exist, see docs/theory.md):
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
 *   <li>under imbalance the ETF distance mixes unequal norms with angles, so it is also split (Papyan et al.'s
 *       NC2 definitions, as in {@code org.deqnc.nc.NcMetric}): equinorm = std/mean of {@code ||h_k - mu_G||},
 *       equiangularity = mean over pairs of {@code |cos(h_i - mu_G, h_j - mu_G) + 1/(K-1)|}, the same for the
 *       rows of W; each mean-based metric is given under both global-mean conventions: the unweighted mean of
 *       the class means ({@code ...Class}) and the sample-weighted one ({@code ...Sample}, weights n_k, i.e.
 *       the class weights 1 and 1/R);</li>
 *   <li>{@code minoritySpread = max_{k,k' minority} ||w_k - w_k'|| / max_k ||w_k||}: Fang et al.'s collapse
 *       criterion (all minority classifiers equal) is {@code minoritySpread = 0}.</li>
 *   <li>SELI (Thrampoulidis et al., NeurIPS 2022): with class sizes n_k ({@code D = diag(n_k)}, read from the
 *       class weights) and {@code M = I - 11^T/K}, the SELI class-mean Gram is {@code (M D M)^{+1/2}} (pseudo-inverse
 *       square root) and the classifier Gram {@code (M D M)^{1/2}}; for equal sizes both are the simplex-ETF Gram.
 *       {@code seliDistance} is the ETF distance's formula with that target, on the class-centred means, and
 *       {@code seliDistanceClassifier} on the raw rows {@code w_k}.</li>
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
        double selfDuality,
        double equinormClass,
        double equiangularClass,
        double etfDistanceSample,
        double equinormSample,
        double equiangularSample,
        double selfDualitySample,
        double equinormClassifier,
        double equiangularClassifier,
        double minoritySpread,
        double seliDistance,
        double seliDistanceClassifier) {

    /** Relative distance below which two vectors count as coincident (cosine 1); far above solver round-off. */
    public static final double COINCIDENCE_TOLERANCE = 1e-6;

    /**
     * Measures features H (rows h_k) and classifier W (rows w_k), the first {@code majorityClasses} majority;
     * {@code classWeights} (proportional to the class sizes n_k) anchor the sample-weighted global mean.
     */
    static PeeledGeometry measure(double[][] features, double[][] classifier, int majorityClasses,
                                  double[] classWeights) {
        double[] uniform = new double[features.length];
        java.util.Arrays.fill(uniform, 1.0);
        double[][] centred = centred(features, uniform);
        double[][] centredSample = centred(features, classWeights);
        double[] classifierCos = minorityCosines(classifier, majorityClasses);
        double[] meanCos = minorityCosines(centred, majorityClasses);
        return new PeeledGeometry(
                mean(classifierCos), std(classifierCos), mean(meanCos), std(meanCos),
                meanNorm(classifier, 0, majorityClasses), meanNorm(classifier, majorityClasses, classifier.length),
                meanNorm(features, 0, majorityClasses), meanNorm(features, majorityClasses, features.length),
                etfDistance(centred), selfDuality(classifier, centred),
                equinorm(centred), equiangularity(centred),
                etfDistance(centredSample), equinorm(centredSample), equiangularity(centredSample),
                selfDuality(classifier, centredSample),
                equinorm(classifier), equiangularity(classifier), minoritySpread(classifier, majorityClasses),
                gramDistance(Dense.multiplyTransposed(centred, centred), seliGram(classWeights, -0.5)),
                gramDistance(Dense.multiplyTransposed(classifier, classifier), seliGram(classWeights, 0.5)));
    }

    /** Rows minus their mean, weighted by {@code weights}. */
    static double[][] centred(double[][] rows, double[] weights) {
        int d = rows[0].length;
        double[] mean = new double[d];
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += weights[i] * rows[i][j] / total;
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

    /** std/mean of the row norms (0 when all rows have the same length). */
    static double equinorm(double[][] rows) {
        double[] norms = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            norms[i] = Dense.norm(rows[i]);
        }
        return std(norms) / mean(norms);
    }

    /** Mean over pairs i &lt; j of {@code |cos(r_i, r_j) + 1/(K-1)|} (0 for a simplex ETF). */
    static double equiangularity(double[][] rows) {
        int k = rows.length;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                sum += Math.abs(Dense.dot(rows[i], rows[j]) / (Dense.norm(rows[i]) * Dense.norm(rows[j]))
                        + 1.0 / (k - 1));
            }
        }
        return sum / (k * (k - 1) / 2.0);
    }

    /** Largest distance between two minority rows over the largest row norm (0: all minority rows equal). */
    static double minoritySpread(double[][] rows, int first) {
        double scale = 0;
        for (double[] row : rows) {
            scale = Math.max(scale, Dense.norm(row));
        }
        double spread = 0;
        for (int i = first; i < rows.length; i++) {
            for (int j = i + 1; j < rows.length; j++) {
                spread = Math.max(spread, Dense.distance(rows[i], rows[j]));
            }
        }
        return spread / scale;
    }

    static double etfDistance(double[][] centredMeans) {
        int k = centredMeans.length;
        return gramDistance(Dense.multiplyTransposed(centredMeans, centredMeans),
                Dense.axpy(Dense.identity(k, 1), -1.0 / k, ones(k)));
    }

    /** {@code || G/||G||_F - T/||T||_F ||_F}: a Gram matrix against a target shape, both scale-free. */
    static double gramDistance(double[][] gram, double[][] target) {
        return Dense.frobenius(Dense.axpy(Dense.scale(gram, 1 / Dense.frobenius(gram)),
                -1 / Dense.frobenius(target), target));
    }

    /**
     * {@code (M D M)^power} on its range (power -1/2: the SELI class-mean Gram, +1/2: the SELI classifier Gram),
     * {@code D = diag(sizes)}, {@code M = I - 11^T/K}; M D M is symmetric positive semi-definite of rank K - 1.
     */
    static double[][] seliGram(double[] sizes, double power) {
        int k = sizes.length;
        double[][] m = Dense.axpy(Dense.identity(k, 1), -1.0 / k, ones(k));
        org.hipparchus.linear.SingularValueDecomposition svd = Dense.svd(
                Dense.multiply(Dense.multiply(m, Dense.diagonal(sizes)), m));
        double[] s = svd.getSingularValues();
        double[] powered = new double[k];
        for (int i = 0; i < k; i++) {
            powered[i] = s[i] > 1e-12 * s[0] ? Math.pow(s[i], power) : 0;
        }
        return Dense.compose(svd.getU(), powered, svd.getU());
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
