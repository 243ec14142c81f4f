package org.deqnc.nc;

/**
 * Fang et al.'s minority-collapse measurements under class imbalance, one function per measure over the
 * classifier W (K×d rows w_k) or the centred class means μ̃_k, with the majority/minority {@link ClassSplit};
 * {@link NcMetrics} composes them into a report. Pair measures need at least 2 minority classes.
 *
 * <pre>{@code
 * double cos = MinorityCollapse.classifierCos(w, ClassSplit.firstMajority(5));   // → 1 as the minority collapses
 * }</pre>
 */
public final class MinorityCollapse {

    private MinorityCollapse() {
    }

    /** Mean over minority pairs i &lt; j of cos(w_i, w_j) ({@link NcMetric#MINORITY_CLASSIFIER_COS}). */
    public static double classifierCos(double[][] w, ClassSplit split) {
        return Dispersion.mean(pairCosines(Nc2.classifier(w), minority(split, w.length)));
    }

    /** Std over minority pairs of cos(w_i, w_j) ({@link NcMetric#MINORITY_CLASSIFIER_COS_STD}). */
    public static double classifierCosStd(double[][] w, ClassSplit split, Dispersion d) {
        return d.std(pairCosines(Nc2.classifier(w), minority(split, w.length)));
    }

    /** Mean over minority pairs of cos(μ̃_i, μ̃_j) ({@link NcMetric#MINORITY_MEANS_COS}). */
    public static double meansCos(NcStatistics s, ClassSplit split, GlobalMean g) {
        return Dispersion.mean(pairCosines(s.centredMeans(g), minority(split, s.numClasses())));
    }

    /** Std over minority pairs of cos(μ̃_i, μ̃_j) ({@link NcMetric#MINORITY_MEANS_COS_STD}). */
    public static double meansCosStd(NcStatistics s, ClassSplit split, NcConventions c) {
        return c.dispersion().std(pairCosines(s.centredMeans(c.globalMean()), minority(split, s.numClasses())));
    }

    /** Mean ‖w_k‖ over majority classes ({@link NcMetric#MAJORITY_CLASSIFIER_NORM}). */
    public static double majorityClassifierNorm(double[][] w, ClassSplit split) {
        return meanNorm(Nc2.classifier(w), not(minority(split, w.length)));
    }

    /** Mean ‖w_k‖ over minority classes ({@link NcMetric#MINORITY_CLASSIFIER_NORM}). */
    public static double minorityClassifierNorm(double[][] w, ClassSplit split) {
        return meanNorm(Nc2.classifier(w), minority(split, w.length));
    }

    /** std/mean of ‖w_k‖ over minority classes ({@link NcMetric#MINORITY_CLASSIFIER_NORM_COV}). */
    public static double minorityClassifierNormCov(double[][] w, ClassSplit split, Dispersion d) {
        return normCov(Nc2.classifier(w), minority(split, w.length), d);
    }

    /** Mean ‖μ_k − μ_G‖ over majority classes ({@link NcMetric#MAJORITY_MEANS_NORM}). */
    public static double majorityMeansNorm(NcStatistics s, ClassSplit split, GlobalMean g) {
        return meanNorm(s.centredMeans(g), not(minority(split, s.numClasses())));
    }

    /** Mean ‖μ_k − μ_G‖ over minority classes ({@link NcMetric#MINORITY_MEANS_NORM}). */
    public static double minorityMeansNorm(NcStatistics s, ClassSplit split, GlobalMean g) {
        return meanNorm(s.centredMeans(g), minority(split, s.numClasses()));
    }

    /** cos(a_i, a_j) over the pairs of selected rows; fails when fewer than 2 are selected. */
    static double[] pairCosines(double[][] rows, boolean[] selected) {
        if (count(selected) < 2) {
            throw new IllegalArgumentException("split: " + FEWER_THAN_TWO);
        }
        return Dense.pairwiseCosines(rows, selected);
    }

    static double meanNorm(double[][] rows, boolean[] selected) {
        return Dispersion.mean(Dense.select(Dense.rowNorms(rows), selected));
    }

    static double normCov(double[][] rows, boolean[] selected, Dispersion d) {
        if (count(selected) < 2) {
            throw new IllegalArgumentException("split: " + FEWER_THAN_TWO);
        }
        double[] norms = Dense.select(Dense.rowNorms(rows), selected);
        return d.std(norms) / Dispersion.mean(norms);
    }

    static boolean[] not(boolean[] mask) {
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = !mask[i];
        }
        return out;
    }

    static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private static boolean[] minority(ClassSplit split, int numClasses) {
        return java.util.Objects.requireNonNull(split, "split").minorityMask(numClasses);
    }

    /** Why a pair measure is undefined. */
    static final String FEWER_THAN_TWO = "needs at least 2 minority classes";
}
