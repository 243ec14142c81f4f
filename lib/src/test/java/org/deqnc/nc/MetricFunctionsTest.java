package org.deqnc.nc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.function.DoubleSupplier;

import static org.deqnc.nc.NcMetric.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The report is composed of the per-family functions: on imbalanced noisy data, each function called alone gives
 * the report's value bit for bit, under both global-mean and both dispersion conventions. (Their values against
 * hand-worked numbers: {@link HandWorkedExamplesTest}.)
 */
class MetricFunctionsTest {

    @ParameterizedTest
    @EnumSource(GlobalMean.class)
    void eachFunctionGivesTheReportsValue(GlobalMean g) {
        int k = 6;
        int d = 9;
        int[] y = SyntheticData.labels(new int[] {40, 30, 30, 8, 6, 5}, 1);
        double[][] h = SyntheticData.clouds(SyntheticData.gaussian(k, d, 3.0, 2), y, 0.8, 3);
        double[][] w = SyntheticData.gaussian(k, d, 1.0, 4);
        double[] b = SyntheticData.gaussian(1, k, 1.0, 5)[0];
        int[] predictions = SyntheticData.labels(new int[] {40, 30, 30, 8, 6, 5}, 6);
        ClassSplit split = ClassSplit.firstMajority(3);
        for (Dispersion dispersion : Dispersion.values()) {
            NcConventions c = NcConventions.defaults().with(g, dispersion);
            NcReport r = NcMetrics.of(Features.of(h), y, k).classifier(w, b).predictions(predictions).split(split)
                    .conventions(c).report();
            NcStatistics s = NcStatistics.of(Features.of(h), y, k);
            Map<NcMetric, DoubleSupplier> alone = Map.ofEntries(
                    Map.entry(NC1_PINV, () -> Nc1.pinv(s, c)),
                    Map.entry(NC1_SVD, () -> Nc1.svd(s, c)),
                    Map.entry(NC1_QUOTIENT, () -> Nc1.quotient(s, g)),
                    Map.entry(NC1_CDNV, () -> Nc1.cdnv(s)),
                    Map.entry(TRACE_SIGMA_W, () -> Nc1.traceWithin(s)),
                    Map.entry(TRACE_SIGMA_B, () -> Nc1.traceBetween(s, g)),
                    Map.entry(NC2_EQUINORM_MEANS, () -> Nc2.equinormMeans(s, c)),
                    Map.entry(NC2_EQUINORM_CLASSIFIER, () -> Nc2.equinormClassifier(w, dispersion)),
                    Map.entry(NC2_EQUIANGULAR_MEANS, () -> Nc2.equiangularMeans(s, g)),
                    Map.entry(NC2_EQUIANGULAR_MEANS_STD, () -> Nc2.equiangularMeansStd(s, c)),
                    Map.entry(NC2_EQUIANGULAR_CLASSIFIER, () -> Nc2.equiangularClassifier(w)),
                    Map.entry(NC2_EQUIANGULAR_CLASSIFIER_STD, () -> Nc2.equiangularClassifierStd(w, dispersion)),
                    Map.entry(NC2_ETF_MEANS, () -> Nc2.etfMeans(s, g)),
                    Map.entry(NC2_ETF_CLASSIFIER, () -> Nc2.etfClassifier(w)),
                    Map.entry(NC3_DUALITY, () -> Nc3.duality(s, w, g)),
                    Map.entry(NC3_DUALITY_SQUARED, () -> Nc3.dualitySquared(s, w, g)),
                    Map.entry(NC3_STRUCTURE, () -> Nc3.structure(s, w, g)),
                    Map.entry(NC3_BIAS, () -> Nc3.bias(s, w, b, g)),
                    Map.entry(NC3_DUALITY_COS_MEAN, () -> Nc3.dualityCosMean(s, w, g)),
                    Map.entry(NC3_DUALITY_COS_VAR, () -> Nc3.dualityCosVariance(s, w, c)),
                    Map.entry(UNC3_DUALITY_DOT_VAR, () -> Nc3.dualityDotVariance(s, w, c)),
                    Map.entry(NC4_NCC_DISAGREEMENT, () -> Nc4.nccDisagreement(s, Features.of(h), y, predictions)),
                    Map.entry(NC4_LINEAR_NCC_DISAGREEMENT, () -> Nc4.linearNccDisagreement(s, Features.of(h), y, w, b)),
                    Map.entry(MINORITY_CLASSIFIER_COS, () -> MinorityCollapse.classifierCos(w, split)),
                    Map.entry(MINORITY_CLASSIFIER_COS_STD, () -> MinorityCollapse.classifierCosStd(w, split, dispersion)),
                    Map.entry(MINORITY_MEANS_COS, () -> MinorityCollapse.meansCos(s, split, g)),
                    Map.entry(MINORITY_MEANS_COS_STD, () -> MinorityCollapse.meansCosStd(s, split, c)),
                    Map.entry(MAJORITY_CLASSIFIER_NORM, () -> MinorityCollapse.majorityClassifierNorm(w, split)),
                    Map.entry(MINORITY_CLASSIFIER_NORM, () -> MinorityCollapse.minorityClassifierNorm(w, split)),
                    Map.entry(MINORITY_CLASSIFIER_NORM_COV,
                            () -> MinorityCollapse.minorityClassifierNormCov(w, split, dispersion)),
                    Map.entry(MAJORITY_MEANS_NORM, () -> MinorityCollapse.majorityMeansNorm(s, split, g)),
                    Map.entry(MINORITY_MEANS_NORM, () -> MinorityCollapse.minorityMeansNorm(s, split, g)));
            alone.forEach((m, f) -> assertEquals(r.value(m), f.getAsDouble(), 0.0, m + " with " + c.describe()));
        }
    }
}
