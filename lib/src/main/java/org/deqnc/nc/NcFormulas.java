package org.deqnc.nc;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import static org.deqnc.nc.NcMetric.*;

/**
 * The report: every {@link NcMetric} the inputs allow, each from its family's function ({@link Nc1}, {@link Nc2},
 * {@link Nc3}, {@link Nc4} through the decision tallies, {@link MinorityCollapse}) with the note of the
 * conventions it used, and why the others are missing. Only the K×d M̃ is decomposed (its SVD gives the
 * eigenpairs of Σ_B = M̃ᵀM̃/K, see {@link MeanAxes}), and Σ_W enters NC1 only along those at most K axes, so no
 * d×d matrix is ever needed.
 */
final class NcFormulas {

    private final NcStatistics stats;
    private final NcConventions conventions;
    private final Classifier classifier;
    private final ClassifierDecisions decisions;
    private final boolean[] minority;
    private final int k;
    private final double[][] centred;
    private final String meanNote;
    private final String stdNote;
    private final Map<NcMetric, NcReport.Entry> entries = new EnumMap<>(NcMetric.class);
    private final Map<NcMetric, String> missing = new EnumMap<>(NcMetric.class);
    private final java.util.List<String> warnings = new java.util.ArrayList<>();

    private NcFormulas(NcStatistics stats, NcConventions conventions, Classifier classifier,
                       ClassifierDecisions decisions, boolean[] minority) {
        this.stats = stats;
        this.conventions = conventions;
        this.classifier = classifier;
        this.decisions = decisions;
        this.minority = minority;
        this.k = stats.numClasses();
        this.centred = stats.centredMeans(conventions.globalMean());
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
        return new NcReport(conventions, stats, context, f.entries, f.missing, f.warnings,
                Dense.timesTransposed(f.centred, f.centred), gramW);
    }

    /** NC1 in all four variants, plus the traces ({@link Nc1}). */
    private void variability() {
        double traceB = Nc1.traceBetween(stats, conventions.globalMean());
        put(TRACE_SIGMA_W, Nc1.traceWithin(stats), "Σ_W divided by N = " + stats.sampleCount());
        put(TRACE_SIGMA_B, traceB, meanNote + "; Σ_B divided by K");
        String scaling = conventions.nc1Scaling() == TraceScaling.DIVIDE_BY_K ? "/K" : "not /K";
        if (traceB == 0) {
            skip(Nc1.SIGMA_B_ZERO, NC1_PINV, NC1_SVD, NC1_QUOTIENT);
        } else {
            put(NC1_PINV, Nc1.pinv(stats, conventions), String.format(Locale.ROOT,
                    "%s; %s; kept %d of K-1 = %d eigenvalues > %.3g x largest", meanNote, scaling,
                    Nc1.pinvEigenvaluesKept(stats, conventions), k - 1, conventions.pinvRelativeTolerance()));
            put(NC1_SVD, Nc1.svd(stats, conventions), meanNote + "; " + scaling + "; top "
                    + Nc1.svdAxes(stats, conventions.globalMean())
                    + " singular triplets, no tolerance (diverges as Σ_B nears rank < K-1)");
            put(NC1_QUOTIENT, Nc1.quotient(stats, conventions.globalMean()), meanNote);
        }
        double cdnv = Nc1.cdnv(stats);
        put(NC1_CDNV, cdnv, "independent of the global mean; σ_k² averaged over class k's samples");
        if (!Double.isFinite(cdnv)) {
            warnings.add(NC1_CDNV.key() + " = " + cdnv + ": " + Nc1.cdnvUndefined(stats));
        } else if (java.util.Arrays.stream(stats.counts()).allMatch(n -> n == 1)) {
            warnings.add("every class has one sample: within-class variances are 0 by construction, so the NC1"
                    + " values say nothing about collapse");
        }
    }

    /** NC2 on the centred means, and on W when given ({@link Nc2}). */
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
        put(equinorm, Nc2.equinorm(rows, conventions.dispersion()), prefix + stdNote);
        double[] dev = Nc2.equiangularDeviations(rows);
        put(angle, Dispersion.mean(dev), prefix + "pairs i<j");
        put(angleStd, conventions.dispersion().std(dev), prefix + "pairs i<j; " + stdNote);
        put(etf, Nc2.etf(rows), prefix + "Frobenius norms");
    }

    /** NC3 when W is given ({@link Nc3}). */
    private void duality() {
        if (classifier == null) {
            skip("needs the classifier W", NC3_DUALITY, NC3_DUALITY_SQUARED, NC3_STRUCTURE, NC3_BIAS,
                    NC3_DUALITY_COS_MEAN, NC3_DUALITY_COS_VAR, UNC3_DUALITY_DOT_VAR);
            return;
        }
        double[][] w = classifier.weights();
        GlobalMean g = conventions.globalMean();
        put(NC3_DUALITY, Nc3.duality(stats, w, g), meanNote);
        put(NC3_DUALITY_SQUARED, Nc3.dualitySquared(stats, w, g), meanNote);
        put(NC3_STRUCTURE, Nc3.structure(stats, w, g), meanNote);
        double[] cos = Nc3.cosines(w, centred);
        put(NC3_DUALITY_COS_MEAN, Dispersion.mean(cos), meanNote);
        String variance = meanNote + "; variance = " + stdNote + " squared";
        put(NC3_DUALITY_COS_VAR, Nc3.variance(cos, conventions.dispersion()), variance);
        put(UNC3_DUALITY_DOT_VAR, Nc3.variance(Nc3.dots(w, centred), conventions.dispersion()), variance);
        if (classifier.bias() == null) {
            skip("needs the bias b", NC3_BIAS);
        } else {
            put(NC3_BIAS, Nc3.bias(stats, w, classifier.bias(), g), meanNote);
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
            put(ACCURACY_MAJORITY, decisions.accuracy(MinorityCollapse.not(minority)), "pooled over majority samples");
            put(ACCURACY_MINORITY, decisions.accuracy(minority), "pooled over minority samples");
        }
    }

    /** Fang et al.'s minority-collapse measurements when a class split is given ({@link MinorityCollapse}). */
    private void imbalance() {
        if (minority == null) {
            skip("needs a class split", MINORITY_CLASSIFIER_COS, MINORITY_CLASSIFIER_COS_STD, MINORITY_MEANS_COS,
                    MINORITY_MEANS_COS_STD, MAJORITY_CLASSIFIER_NORM, MINORITY_CLASSIFIER_NORM,
                    MINORITY_CLASSIFIER_NORM_COV, MAJORITY_MEANS_NORM, MINORITY_MEANS_NORM);
            return;
        }
        boolean[] majority = MinorityCollapse.not(minority);
        put(MAJORITY_MEANS_NORM, MinorityCollapse.meanNorm(centred, majority), meanNote);
        put(MINORITY_MEANS_NORM, MinorityCollapse.meanNorm(centred, minority), meanNote);
        boolean pairs = MinorityCollapse.count(minority) >= 2;
        if (pairs) {
            cosines(centred, MINORITY_MEANS_COS, MINORITY_MEANS_COS_STD, meanNote + "; ");
        } else {
            skip(MinorityCollapse.FEWER_THAN_TWO, MINORITY_MEANS_COS, MINORITY_MEANS_COS_STD);
        }
        if (classifier == null) {
            skip("needs the classifier W", MINORITY_CLASSIFIER_COS, MINORITY_CLASSIFIER_COS_STD,
                    MAJORITY_CLASSIFIER_NORM, MINORITY_CLASSIFIER_NORM, MINORITY_CLASSIFIER_NORM_COV);
            return;
        }
        double[][] w = classifier.weights();
        put(MAJORITY_CLASSIFIER_NORM, MinorityCollapse.meanNorm(w, majority), "");
        put(MINORITY_CLASSIFIER_NORM, MinorityCollapse.meanNorm(w, minority), "");
        if (pairs) {
            put(MINORITY_CLASSIFIER_NORM_COV, MinorityCollapse.normCov(w, minority, conventions.dispersion()), stdNote);
            cosines(w, MINORITY_CLASSIFIER_COS, MINORITY_CLASSIFIER_COS_STD, "");
        } else {
            skip(MinorityCollapse.FEWER_THAN_TWO, MINORITY_CLASSIFIER_COS, MINORITY_CLASSIFIER_COS_STD,
                    MINORITY_CLASSIFIER_NORM_COV);
        }
    }

    private void cosines(double[][] rows, NcMetric mean, NcMetric std, String prefix) {
        double[] cos = MinorityCollapse.pairCosines(rows, minority);
        put(mean, Dispersion.mean(cos), prefix + "minority pairs i<j");
        put(std, conventions.dispersion().std(cos), prefix + "minority pairs i<j; " + stdNote);
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
