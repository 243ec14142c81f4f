package org.deqnc.nc;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import static org.deqnc.nc.NcMetric.*;

/**
 * The formulas of {@link NcMetric}, evaluated from sufficient statistics. Only the K×d M̃ is decomposed
 * (its SVD gives the eigenpairs of Σ_B = M̃ᵀM̃/K, see {@link MeanAxes}), and Σ_W enters NC1 only along
 * those at most K axes, so no d×d matrix is ever needed.
 */
final class NcFormulas {

    private final NcStatistics stats;
    private final NcConventions conventions;
    private final Classifier classifier;
    private final ClassifierDecisions decisions;
    private final boolean[] minority;
    private final int k;
    private final double[][] centred;
    private final MeanAxes axes;
    private final double[] withinAlongAxes;
    private final String meanNote;
    private final String stdNote;
    private final Map<NcMetric, NcReport.Entry> entries = new EnumMap<>(NcMetric.class);
    private final Map<NcMetric, String> missing = new EnumMap<>(NcMetric.class);

    private NcFormulas(NcStatistics stats, NcConventions conventions, Classifier classifier,
                       ClassifierDecisions decisions, boolean[] minority) {
        this.stats = stats;
        this.conventions = conventions;
        this.classifier = classifier;
        this.decisions = decisions;
        this.minority = minority;
        this.k = stats.numClasses();
        this.centred = stats.centredMeans(conventions.globalMean());
        this.axes = stats.axes(conventions.globalMean());
        this.withinAlongAxes = stats.scatterAlongAxes(conventions.globalMean());
        this.meanNote = "globalMean=" + conventions.globalMean();
        this.stdNote = "std=" + conventions.dispersion();
    }

    /** Evaluates every formula the inputs allow; {@code classifier}, {@code decisions}, {@code minority} may be null. */
    static NcReport report(NcStatistics stats, NcConventions conventions, Classifier classifier,
                           ClassifierDecisions decisions, boolean[] minority, String context) {
        NcFormulas f = new NcFormulas(stats, conventions, classifier, decisions, minority);
        f.variability();
        f.geometry();
        f.duality();
        f.decisions();
        f.imbalance();
        double[][] gramW = classifier == null ? null : Dense.timesTransposed(classifier.weights(), classifier.weights());
        return new NcReport(conventions, stats, context, f.entries, f.missing,
                Dense.timesTransposed(f.centred, f.centred), gramW);
    }

    /** NC1 in all four variants, plus the traces. */
    private void variability() {
        double traceW = stats.traceWithinClassCovariance();
        double frobM = Dense.frobenius(centred);
        double traceB = frobM * frobM / k;
        put(TRACE_SIGMA_W, traceW, "Σ_W divided by N = " + stats.sampleCount());
        put(TRACE_SIGMA_B, traceB, meanNote + "; Σ_B divided by K");
        boolean divide = conventions.nc1Scaling() == TraceScaling.DIVIDE_BY_K;
        String scaling = divide ? "/K" : "not /K";
        if (traceB == 0) {
            skip("Σ_B = 0: all class means coincide", NC1_PINV, NC1_SVD, NC1_QUOTIENT);
        } else {
            pinvTrace(divide, scaling);
            svdTrace(divide, scaling);
            put(NC1_QUOTIENT, traceW / traceB, meanNote);
        }
        put(NC1_CDNV, cdnv(), "independent of the global mean; σ_k² averaged over class k's samples");
    }

    /**
     * Tr(Σ_W Σ_B⁺) over at most K−1 eigenpairs of Σ_B, and only those with s_i² above tol·s_1². Eigenvalues
     * at or below the tolerance (rounding noise) are dropped, never inverted, so the value cannot blow up
     * or go negative.
     */
    private void pinvTrace(boolean divide, String scaling) {
        double[] s = axes.singularValues();
        double threshold = conventions.pinvRelativeTolerance() * s[0] * s[0];
        int kept = 0;
        while (kept < Math.min(k - 1, s.length) && s[kept] * s[kept] > threshold) {
            kept++;
        }
        double trace = pseudoInverseTrace(kept);
        put(NC1_PINV, divide ? trace / k : trace, String.format(Locale.ROOT,
                "%s; %s; kept %d of K-1 = %d eigenvalues > %.3g x largest", meanNote, scaling, kept, k - 1,
                conventions.pinvRelativeTolerance()));
    }

    /** Tr(Σ_W Σ_B⁺) from the top K−1 singular triplets of Σ_B, whatever their size (Han et al.'s {@code svds}). */
    private void svdTrace(boolean divide, String scaling) {
        int used = Math.min(k - 1, axes.singularValues().length);
        double trace = pseudoInverseTrace(used);
        put(NC1_SVD, divide ? trace / k : trace, meanNote + "; " + scaling + "; top " + used
                + " singular triplets, no tolerance (diverges as Σ_B nears rank < K-1)");
    }

    /** Σ_{i < count} v_iᵀΣ_W v_i / σ_i with σ_i = s_i²/K the eigenvalues of Σ_B and Σ_W = S/N. */
    private double pseudoInverseTrace(int count) {
        double[] s = axes.singularValues();
        double n = stats.sampleCount();
        double trace = 0;
        for (int i = 0; i < count; i++) {
            // S is positive semi-definite: a negative v_iᵀSv_i is rounding, i.e. zero.
            trace += k * Math.max(0.0, withinAlongAxes[i] / n) / (s[i] * s[i]);
        }
        return trace;
    }

    private double cdnv() {
        double[][] means = stats.classMeans().meansView();
        double[] var = stats.classVariances();
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double dist2 = 0;
                for (int c = 0; c < means[i].length; c++) {
                    double diff = means[i][c] - means[j][c];
                    dist2 += diff * diff;
                }
                sum += (var[i] + var[j]) / (2 * dist2);
                pairs++;
            }
        }
        return sum / pairs;
    }

    /** NC2 on the centred means, and on W when given. */
    private void geometry() {
        shape(centred, NC2_EQUINORM_MEANS, NC2_EQUIANGULAR_MEANS, NC2_EQUIANGULAR_MEANS_STD, NC2_ETF_MEANS,
                meanNote + "; ");
        if (classifier == null) {
            skip("needs the classifier W", NC2_EQUINORM_CLASSIFIER, NC2_EQUIANGULAR_CLASSIFIER,
                    NC2_EQUIANGULAR_CLASSIFIER_STD, NC2_ETF_CLASSIFIER);
        } else {
            shape(classifier.weights(), NC2_EQUINORM_CLASSIFIER, NC2_EQUIANGULAR_CLASSIFIER,
                    NC2_EQUIANGULAR_CLASSIFIER_STD, NC2_ETF_CLASSIFIER, "");
        }
    }

    private void shape(double[][] rows, NcMetric equinorm, NcMetric angle, NcMetric angleStd, NcMetric etf,
                       String prefix) {
        put(equinorm, coefficientOfVariation(Dense.rowNorms(rows)), prefix + stdNote);
        double[] cos = Dense.pairwiseCosines(rows, null);
        double[] dev = new double[cos.length];
        for (int i = 0; i < cos.length; i++) {
            dev[i] = Math.abs(cos[i] + 1.0 / (k - 1));
        }
        put(angle, Dispersion.mean(dev), prefix + "pairs i<j");
        put(angleStd, conventions.dispersion().std(dev), prefix + "pairs i<j; " + stdNote);
        put(etf, Dense.etfDistance(Dense.timesTransposed(rows, rows)), prefix + "Frobenius norms");
    }

    /** NC3 when W is given. */
    private void duality() {
        if (classifier == null) {
            skip("needs the classifier W", NC3_DUALITY, NC3_DUALITY_SQUARED, NC3_STRUCTURE, NC3_BIAS,
                    NC3_DUALITY_COS_MEAN, UNC3_DUALITY_COS_VAR);
            return;
        }
        double[][] w = classifier.weights();
        double dist = Dense.normalisedDistance(w, centred);
        put(NC3_DUALITY, dist, meanNote);
        put(NC3_DUALITY_SQUARED, dist * dist, meanNote);
        put(NC3_STRUCTURE, Dense.etfDistance(Dense.timesTransposed(w, centred)), meanNote);
        double[] cos = new double[k];
        for (int c = 0; c < k; c++) {
            cos[c] = Dense.dot(w[c], centred[c]) / (Dense.norm(w[c]) * Dense.norm(centred[c]));
        }
        put(NC3_DUALITY_COS_MEAN, Dispersion.mean(cos), meanNote);
        double std = conventions.dispersion().std(cos);
        put(UNC3_DUALITY_COS_VAR, std * std, meanNote + "; variance = " + stdNote + " squared");
        if (classifier.bias() == null) {
            skip("needs the bias b", NC3_BIAS);
        } else {
            double[] g = stats.globalMean(conventions.globalMean());
            double[] r = new double[k];
            for (int c = 0; c < k; c++) {
                r[c] = Dense.dot(w[c], g) + classifier.bias()[c];
            }
            put(NC3_BIAS, Dense.norm(r), meanNote);
        }
    }

    /** NC4 and accuracies when network decisions are given. */
    private void decisions() {
        if (decisions == null) {
            skip("needs predictions, logits or a classifier", NC4_NCC_DISAGREEMENT, NC4_LINEAR_NCC_DISAGREEMENT,
                    NCC_ACCURACY, ACCURACY, ACCURACY_MAJORITY, ACCURACY_MINORITY);
            return;
        }
        String ncc = "NCC = argmin_k ||h - mu_k|| with class means (no global mean involved)";
        put(NC4_NCC_DISAGREEMENT, decisions.nccDisagreement(), ncc + "; vs the network's predictions");
        if (decisions.hasLinearClassifier()) {
            put(NC4_LINEAR_NCC_DISAGREEMENT, decisions.linearNccDisagreement(), ncc + "; vs argmax(W h + b)");
        } else {
            skip("needs the classifier W", NC4_LINEAR_NCC_DISAGREEMENT);
        }
        put(NCC_ACCURACY, decisions.nccAccuracy(), ncc);
        put(ACCURACY, decisions.accuracy(), "all samples");
        if (minority == null) {
            skip("needs a class split", ACCURACY_MAJORITY, ACCURACY_MINORITY);
        } else {
            boolean[] majority = new boolean[k];
            for (int c = 0; c < k; c++) {
                majority[c] = !minority[c];
            }
            put(ACCURACY_MAJORITY, decisions.accuracy(majority), "pooled over majority samples");
            put(ACCURACY_MINORITY, decisions.accuracy(minority), "pooled over minority samples");
        }
    }

    /** Fang et al.'s minority-collapse measurements when a class split is given. */
    private void imbalance() {
        if (minority == null) {
            skip("needs a class split", MINORITY_CLASSIFIER_COS, MINORITY_CLASSIFIER_COS_STD, MINORITY_MEANS_COS,
                    MINORITY_MEANS_COS_STD, MAJORITY_CLASSIFIER_NORM, MINORITY_CLASSIFIER_NORM,
                    MINORITY_CLASSIFIER_NORM_COV, MAJORITY_MEANS_NORM, MINORITY_MEANS_NORM);
            return;
        }
        boolean[] majority = new boolean[k];
        int minorityCount = 0;
        for (int c = 0; c < k; c++) {
            majority[c] = !minority[c];
            minorityCount += minority[c] ? 1 : 0;
        }
        double[] meanNorms = Dense.rowNorms(centred);
        put(MAJORITY_MEANS_NORM, Dispersion.mean(Dense.select(meanNorms, majority)), meanNote);
        put(MINORITY_MEANS_NORM, Dispersion.mean(Dense.select(meanNorms, minority)), meanNote);
        boolean pairs = minorityCount >= 2;
        if (pairs) {
            cosines(centred, MINORITY_MEANS_COS, MINORITY_MEANS_COS_STD, meanNote + "; ");
        } else {
            skip("needs at least 2 minority classes", MINORITY_MEANS_COS, MINORITY_MEANS_COS_STD);
        }
        if (classifier == null) {
            skip("needs the classifier W", MINORITY_CLASSIFIER_COS, MINORITY_CLASSIFIER_COS_STD,
                    MAJORITY_CLASSIFIER_NORM, MINORITY_CLASSIFIER_NORM, MINORITY_CLASSIFIER_NORM_COV);
            return;
        }
        double[] wNorms = Dense.rowNorms(classifier.weights());
        put(MAJORITY_CLASSIFIER_NORM, Dispersion.mean(Dense.select(wNorms, majority)), "");
        put(MINORITY_CLASSIFIER_NORM, Dispersion.mean(Dense.select(wNorms, minority)), "");
        if (pairs) {
            put(MINORITY_CLASSIFIER_NORM_COV, coefficientOfVariation(Dense.select(wNorms, minority)), stdNote);
            cosines(classifier.weights(), MINORITY_CLASSIFIER_COS, MINORITY_CLASSIFIER_COS_STD, "");
        } else {
            skip("needs at least 2 minority classes", MINORITY_CLASSIFIER_COS, MINORITY_CLASSIFIER_COS_STD,
                    MINORITY_CLASSIFIER_NORM_COV);
        }
    }

    private void cosines(double[][] rows, NcMetric mean, NcMetric std, String prefix) {
        double[] cos = Dense.pairwiseCosines(rows, minority);
        put(mean, Dispersion.mean(cos), prefix + "minority pairs i<j");
        put(std, conventions.dispersion().std(cos), prefix + "minority pairs i<j; " + stdNote);
    }

    private double coefficientOfVariation(double[] values) {
        return conventions.dispersion().std(values) / Dispersion.mean(values);
    }

    private void put(NcMetric metric, double value, String convention) {
        entries.put(metric, new NcReport.Entry(metric, value, convention));
    }

    private void skip(String reason, NcMetric... metrics) {
        for (NcMetric m : metrics) {
            missing.put(m, reason);
        }
    }
}
