package org.deqnc.nc;

import org.junit.jupiter.api.Test;

import static org.deqnc.nc.NcMetric.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small examples whose every expected value is worked out by hand in the comments (closed forms, no code under test). */
class HandWorkedExamplesTest {

    private static final double TOL = 1e-12;

    /*
     * K = 3, d = 2, two samples per class:
     *   class 0: (2, 1), (2,-1)   -> mu_0 = ( 2, 0)
     *   class 1: (-2,2), (0, 2)   -> mu_1 = (-1, 2)
     *   class 2: (-1,-1),(-1,-3)  -> mu_2 = (-1,-2)
     * Balanced and mu_0+mu_1+mu_2 = 0, so mu_G = 0 under both conventions and M~ = the means.
     * Scatter: class 0 deviations (0,+-1) -> diag(0,2); class 1 (-+1,0) -> diag(2,0); class 2 (0,+-1) -> diag(0,2).
     *   Sigma_W = diag(2,4)/6 = diag(1/3, 2/3), Tr = 1.
     * Sigma_B = (1/3)[mu_0 mu_0^T + mu_1 mu_1^T + mu_2 mu_2^T] = (1/3)[[4+1+1, 0-2+2],[., 0+4+4]] = diag(2, 8/3), Tr = 14/3.
     * Sigma_B has rank 2 = K-1, so PINV and SVD both invert it fully: Sigma_B^+ = diag(1/2, 3/8).
     *   Tr(Sigma_W Sigma_B^+) = (1/3)(1/2) + (2/3)(3/8) = 1/6 + 1/4 = 5/12; divided by K: 5/36.
     * Quotient: 1 / (14/3) = 3/14.
     * CDNV: sigma_k^2 = (1+1)/2 = 1 for every class; |mu_0-mu_1|^2 = 9+4 = 13, |mu_0-mu_2|^2 = 13, |mu_1-mu_2|^2 = 16;
     *   mean of 2/(2*13), 2/(2*13), 2/(2*16) = (2/13 + 1/16)/3 = 45/624 = 15/208.
     * Equinorm (means): norms 2, sqrt5, sqrt5; mean m = (2+2sqrt5)/3; deviations 2(2-sqrt5)/3, (sqrt5-2)/3 twice;
     *   sum of squares 2(sqrt5-2)^2/3, unbiased variance (sqrt5-2)^2/3, CoV = sqrt3 (sqrt5-2) / (2(1+sqrt5)).
     * Equiangularity (means): cos01 = cos02 = -2/(2 sqrt5) = -1/sqrt5, cos12 = (1-4)/5 = -3/5; |cos + 1/2| = a, a, b with
     *   a = 1/2 - 1/sqrt5, b = 1/10; mean (2a+b)/3; unbiased std |b-a|/sqrt3 (deviations (a-b)/3, (a-b)/3, 2(b-a)/3).
     * ETF (means): G = M~M~^T = [[4,-2,-2],[-2,5,-3],[-2,-3,5]] (mu_1.mu_2 = 1-4 = -3), |G|_F = sqrt(100) = 10.
     *   With |T|_F = 1, dist^2 = 2 - 2<G,T>/|G|; <G,T> = (2/3 * trace + (-1/3) * offdiag sum)/sqrt2
     *   = (28/3 + 14/3)/sqrt2 = 7 sqrt2, so dist = sqrt(2 - 1.4 sqrt2).
     * Classifier W = [[1,0],[-1,1],[-1,-1]]: |W|_F = sqrt5, <W,M~> = 2 + 3 + 3 = 8, |M~|_F = sqrt14,
     *   NC3^2 = 2 - 2*8/sqrt(70).  WM~^T = [[2,-1,-1],[-2,3,-1],[-2,-1,3]], |.|_F^2 = 34, trace 8, offdiag sum -8,
     *   <WM~^T,T> = (16/3 + 8/3)/sqrt2 = 4 sqrt2, structure^2 = 2 - 8 sqrt2/sqrt34 = 2 - 8/sqrt17.
     * W equinorm: norms 1, sqrt2, sqrt2 -> as above, CoV = sqrt3 (sqrt2-1)/(1+2 sqrt2).
     * W equiangularity: cos(w0,w1) = cos(w0,w2) = -1/sqrt2, cos(w1,w2) = 0 -> |.+1/2| = 1/sqrt2-1/2 (twice), 1/2;
     *   mean = (sqrt2 - 1/2)/3.  W ETF: WW^T = [[1,-1,-1],[-1,2,0],[-1,0,2]], |.|^2 = 13, trace 5, offdiag -4,
     *   <WW^T,T> = (10/3+4/3)/sqrt2 = 14/(3 sqrt2), dist^2 = 2 - 28/(3 sqrt26).
     * Bias b = (2,-1,2): W mu_G + b = b, norm 3.
 * Duality cosines cos(w_k, mu~_k): (1,0).(2,0)/2 = 1; (-1,1).(-1,2)/(sqrt2 sqrt5) = 3/sqrt10; (-1,-1).(-1,-2) = 3/sqrt10.
 *   Mean (1 + 6/sqrt10)/3; with c = 3/sqrt10 the deviations are 2(1-c)/3, -(1-c)/3 twice, so the unbiased
 *   variance of the cosines is (1-c)^2 (4/9 + 1/9 + 1/9) / 2 = (1-c)^2 / 3.
 * Duality dot products w_k.mu~_k (rhubarbwu's UNC3 takes their variance): 2, 1+2 = 3, 1+2 = 3; mean 8/3,
 *   deviations -2/3, 1/3, 1/3, unbiased variance (4/9 + 1/9 + 1/9) / 2 = 1/3 (the cosines' is 0.00088: the scale of W and M~ matters).
     * NCC: every sample lies at distance 1 from its own mean and >= sqrt8 from the others, so NCC = labels.
     *   Network predictions [0,0,1,2,2,2] disagree on sample 3 only: NC4 = 1/6, accuracy 5/6, NCC accuracy 1.
 *   Linear rule W h + b per sample: (4,-2,-1), (4,-4,1), (0,3,2), (2,1,0), (1,-1,4), (1,-3,6) -> argmax 0,0,1,0,2,2,
 *   so only sample 3 (NCC says 1, the linear rule 0) disagrees: linear-vs-NCC NC4 = 1/6.
     * Split K_A = 1: minority = {1,2}; majority accuracy 2/2, minority 3/4; minority mean cos = cos12 = -3/5;
     *   minority W cos = 0; norms: majority means 2, minority means sqrt5; majority W 1, minority W sqrt2, minority W CoV 0.
     */
    private static final double[][] H = {{2, 1}, {2, -1}, {-2, 2}, {0, 2}, {-1, -1}, {-1, -3}};
    private static final int[] Y = {0, 0, 1, 1, 2, 2};
    private static final double[][] W = {{1, 0}, {-1, 1}, {-1, -1}};
    private static final double[] B = {2, -1, 2};

    @Test
    void balancedThreeClassExample() {
        NcReport r = NcMetrics.of(Features.of(H), Y, 3).classifier(W, B).predictions(new int[] {0, 0, 1, 2, 2, 2})
                .split(ClassSplit.firstMajority(1)).withinScatter(WithinScatter.FULL).report();
        double s2 = Math.sqrt(2);
        double s3 = Math.sqrt(3);
        double s5 = Math.sqrt(5);

        assertArrayEquals(new double[] {1.0 / 3, 0, 0, 2.0 / 3}, Dense.flatten(r.statistics().withinClassCovariance()), TOL);
        assertArrayEquals(new double[] {2, 0, 0, 8.0 / 3},
                Dense.flatten(r.statistics().betweenClassCovariance(GlobalMean.CLASS_MEAN)), TOL);
        assertEquals(1.0, r.value(TRACE_SIGMA_W), TOL);
        assertEquals(14.0 / 3, r.value(TRACE_SIGMA_B), TOL);
        assertEquals(5.0 / 36, r.value(NC1_PINV), TOL);
        assertEquals(5.0 / 36, r.value(NC1_SVD), TOL);
        assertEquals(5.0 / 36, r.nc1(), TOL);
        assertEquals(3.0 / 14, r.value(NC1_QUOTIENT), TOL);
        assertEquals(15.0 / 208, r.value(NC1_CDNV), TOL);

        assertEquals(s3 * (s5 - 2) / (2 * (1 + s5)), r.value(NC2_EQUINORM_MEANS), TOL);
        double a = 0.5 - 1 / s5;
        double b = 0.1;
        assertEquals((2 * a + b) / 3, r.value(NC2_EQUIANGULAR_MEANS), TOL);
        assertEquals(Math.abs(b - a) / s3, r.value(NC2_EQUIANGULAR_MEANS_STD), TOL);
        assertEquals(Math.sqrt(2 - 1.4 * s2), r.value(NC2_ETF_MEANS), TOL);
        assertEquals(s3 * (s2 - 1) / (1 + 2 * s2), r.value(NC2_EQUINORM_CLASSIFIER), TOL);
        assertEquals((s2 - 0.5) / 3, r.value(NC2_EQUIANGULAR_CLASSIFIER), TOL);
        assertEquals(Math.sqrt(2 - 28 / (3 * Math.sqrt(26))), r.value(NC2_ETF_CLASSIFIER), TOL);

        assertEquals(2 - 16 / Math.sqrt(70), r.value(NC3_DUALITY_SQUARED), TOL);
        assertEquals(Math.sqrt(2 - 16 / Math.sqrt(70)), r.value(NC3_DUALITY), TOL);
        assertEquals(Math.sqrt(2 - 8 / Math.sqrt(17)), r.value(NC3_STRUCTURE), TOL);
        assertEquals(3.0, r.value(NC3_BIAS), TOL);
        double c = 3 / Math.sqrt(10);
        assertEquals((1 + 2 * c) / 3, r.value(NC3_DUALITY_COS_MEAN), TOL);
        assertEquals((1 - c) * (1 - c) / 3, r.value(NC3_DUALITY_COS_VAR), TOL);
        assertEquals(1.0 / 3, r.value(UNC3_DUALITY_DOT_VAR), TOL);
        assertEquals(1.0 / 6, r.value(NC4_LINEAR_NCC_DISAGREEMENT), TOL);

        assertEquals(1.0 / 6, r.nc4(), TOL);
        assertEquals(5.0 / 6, r.value(ACCURACY), TOL);
        assertEquals(1.0, r.value(NCC_ACCURACY), TOL);
        assertEquals(1.0, r.value(ACCURACY_MAJORITY), TOL);
        assertEquals(0.75, r.value(ACCURACY_MINORITY), TOL);
        assertEquals(-0.6, r.value(MINORITY_MEANS_COS), TOL);
        assertTrue(Double.isNaN(r.value(MINORITY_MEANS_COS_STD)), "one pair has no unbiased std");
        assertEquals(0.0, r.value(MINORITY_CLASSIFIER_COS), TOL);
        assertEquals(2.0, r.value(MAJORITY_MEANS_NORM), TOL);
        assertEquals(s5, r.value(MINORITY_MEANS_NORM), TOL);
        assertEquals(1.0, r.value(MAJORITY_CLASSIFIER_NORM), TOL);
        assertEquals(s2, r.value(MINORITY_CLASSIFIER_NORM), TOL);
        assertEquals(0.0, r.value(MINORITY_CLASSIFIER_NORM_COV), TOL);
        tech.tablesaw.api.Table t = r.toTable();
        assertEquals(java.util.List.of("metric", "value", "convention", "description"), t.columnNames());
        assertEquals(r.entries().size(), t.rowCount());
        assertEquals(5.0 / 36, t.where(t.stringColumn("metric").isEqualTo("nc1_pinv")).doubleColumn("value").get(0), TOL);
        assertTrue(r.toString().contains("nc1_pinv") && r.toString().contains("globalMean=CLASS_MEAN"), r.toString());
        // Gram of the centred means, as written above.
        assertArrayEquals(new double[] {4, -2, -2, -2, 5, -3, -2, -3, 5}, Dense.flatten(r.gramCentredMeans()), TOL);
    }

    /** Each family's function alone, over statistics only, gives the value worked out above: no report needed. */
    @Test
    void eachMetricFunctionGivesTheHandWorkedValueWithoutAReport() {
        NcStatistics st = NcStatistics.of(Features.of(H), Y, 3);
        NcConventions def = NcConventions.defaults();
        GlobalMean g = GlobalMean.CLASS_MEAN;
        double s2 = Math.sqrt(2);
        double s3 = Math.sqrt(3);
        double s5 = Math.sqrt(5);
        assertEquals(5.0 / 36, Nc1.pinv(st, def), TOL);
        assertEquals(2, Nc1.pinvEigenvaluesKept(st, def));
        assertEquals(5.0 / 12, Nc1.svd(st, def.with(TraceScaling.NONE)), TOL);
        assertEquals(3.0 / 14, Nc1.quotient(st, g), TOL);
        assertEquals(15.0 / 208, Nc1.cdnv(st), TOL);
        assertEquals(1.0, Nc1.traceWithin(st), TOL);
        assertEquals(14.0 / 3, Nc1.traceBetween(st, g), TOL);

        double a = 0.5 - 1 / s5;
        double b = 0.1;
        assertEquals(s3 * (s5 - 2) / (2 * (1 + s5)), Nc2.equinormMeans(st, def), TOL);
        assertEquals((2 * a + b) / 3, Nc2.equiangularMeans(st, g), TOL);
        assertEquals(Math.abs(b - a) / s3, Nc2.equiangularMeansStd(st, def), TOL);
        assertEquals(Math.sqrt(2 - 1.4 * s2), Nc2.etfMeans(st, g), TOL);
        assertEquals(s3 * (s2 - 1) / (1 + 2 * s2), Nc2.equinormClassifier(W, Dispersion.UNBIASED), TOL);
        assertEquals((s2 - 0.5) / 3, Nc2.equiangularClassifier(W), TOL);
        assertEquals(Math.sqrt(2 - 28 / (3 * Math.sqrt(26))), Nc2.etfClassifier(W), TOL);

        double c = 3 / Math.sqrt(10);
        assertEquals(Math.sqrt(2 - 16 / Math.sqrt(70)), Nc3.duality(st, W, g), TOL);
        assertEquals(2 - 16 / Math.sqrt(70), Nc3.dualitySquared(st, W, g), TOL);
        assertEquals(Math.sqrt(2 - 8 / Math.sqrt(17)), Nc3.structure(st, W, g), TOL);
        assertEquals(3.0, Nc3.bias(st, W, B, g), TOL);
        assertEquals((1 + 2 * c) / 3, Nc3.dualityCosMean(st, W, g), TOL);
        assertEquals((1 - c) * (1 - c) / 3, Nc3.dualityCosVariance(st, W, def), TOL);
        assertEquals(1.0 / 3, Nc3.dualityDotVariance(st, W, def), TOL);
        // population variance: (4/9 + 1/9 + 1/9) / 3 = 2/9
        assertEquals(2.0 / 9, Nc3.dualityDotVariance(st, W, def.with(Dispersion.POPULATION)), TOL);

        assertEquals(1.0 / 6, Nc4.nccDisagreement(st, Features.of(H), Y, new int[] {0, 0, 1, 2, 2, 2}), TOL);
        assertEquals(1.0 / 6, Nc4.linearNccDisagreement(st, Features.of(H), Y, W, B), TOL);

        ClassSplit split = ClassSplit.firstMajority(1);
        assertEquals(-0.6, MinorityCollapse.meansCos(st, split, g), TOL);
        assertEquals(0.0, MinorityCollapse.classifierCos(W, split), TOL);
        assertEquals(2.0, MinorityCollapse.majorityMeansNorm(st, split, g), TOL);
        assertEquals(s5, MinorityCollapse.minorityMeansNorm(st, split, g), TOL);
        assertEquals(1.0, MinorityCollapse.majorityClassifierNorm(W, split), TOL);
        assertEquals(s2, MinorityCollapse.minorityClassifierNorm(W, split), TOL);
        assertEquals(0.0, MinorityCollapse.minorityClassifierNormCov(W, split, Dispersion.UNBIASED), TOL);
        assertEquals("split: needs at least 2 minority classes", assertThrows(IllegalArgumentException.class,
                () -> MinorityCollapse.classifierCos(W, ClassSplit.firstMajority(2))).getMessage());
    }

    @Test
    void divideByKIsAParameter() {
        NcConventions notDivided = NcConventions.defaults().with(TraceScaling.NONE);
        NcReport r = NcMetrics.of(Features.of(H), Y, 3).conventions(notDivided).report();
        assertEquals(5.0 / 12, r.nc1(), TOL); // Tr(Sigma_W Sigma_B^+) = 5/12, see above
        assertTrue(r.entry(NC1_PINV).convention().contains("not /K"), r.entry(NC1_PINV).convention());
    }

    /*
     * Imbalanced, K = 2, d = 1: class 0 = {-1, 1, -1, 1} (n=4, mu_0 = 0), class 1 = {3, 5} (n=2, mu_1 = 4), N = 6.
     * Scatter 4*1 + 2*1 = 6, Sigma_W = 6/6 = 1.  CDNV: sigma^2 = 1, 1; |mu_0-mu_1|^2 = 16 -> 2/32 = 1/16 (both conventions).
     * CLASS_MEAN: mu_G = 2, M~ = (-2, 2), Sigma_B = (4+4)/2 = 4, NC1 = (1/4)/2 = 1/8, quotient 1/4;
     *   norms 2, 2 -> CoV 0; G = [[4,-4],[-4,4]] is exactly the K=2 ETF target shape -> ETF distance 0;
     *   W = (-1, 1) is proportional to M~ -> NC3 = 0; bias b = 0: |W mu_G| = |(-2, 2)| = 2 sqrt2.
     * SAMPLE: mu_G = (4*0 + 2*4)/6 = 4/3, M~ = (-4/3, 8/3), Sigma_B = (16/9 + 64/9)/2 = 40/9,
     *   NC1 = (9/40)/2 = 9/80, quotient 9/40; norms 4/3, 8/3 (mean 2, deviations -+2/3):
     *   unbiased std sqrt(8/9) -> CoV sqrt2/3, population std 2/3 -> CoV 1/3;
     *   G/|G| = [[1,-2],[-2,4]]/5, T = [[1,-1],[-1,1]]/2, difference [[-.3,.1],[.1,.3]] -> ETF distance sqrt(0.2);
     *   NC3: W/|W| = (-1,1)/sqrt2, M~/|M~| = (-1,2)/sqrt5, |diff|^2 = 2 - 2*3/sqrt10; bias |W mu_G| = |(-4/3,4/3)| = 4 sqrt2/3.
     */
    private static final double[][] H_IMB = {{-1}, {1}, {-1}, {1}, {3}, {5}};
    private static final int[] Y_IMB = {0, 0, 0, 0, 1, 1};
    private static final double[][] W_IMB = {{-1}, {1}};

    @Test
    void imbalancedExampleDependsOnTheGlobalMeanConvention() {
        NcReport cls = imbalanced(NcConventions.defaults());
        NcReport smp = imbalanced(NcConventions.defaults().with(GlobalMean.SAMPLE));

        assertArrayEquals(new double[] {2}, cls.statistics().globalMean(GlobalMean.CLASS_MEAN), TOL);
        assertArrayEquals(new double[] {4.0 / 3}, smp.statistics().globalMean(GlobalMean.SAMPLE), TOL);
        assertEquals(1.0, cls.value(TRACE_SIGMA_W), TOL);
        assertEquals(1.0, smp.value(TRACE_SIGMA_W), TOL);

        assertEquals(1.0 / 8, cls.nc1(), TOL);
        assertEquals(9.0 / 80, smp.nc1(), TOL);
        assertEquals(1.0 / 4, cls.value(NC1_QUOTIENT), TOL);
        assertEquals(9.0 / 40, smp.value(NC1_QUOTIENT), TOL);
        assertEquals(1.0 / 16, cls.value(NC1_CDNV), TOL);
        assertEquals(1.0 / 16, smp.value(NC1_CDNV), TOL);

        assertEquals(0.0, cls.value(NC2_EQUINORM_MEANS), TOL);
        assertEquals(Math.sqrt(2) / 3, smp.value(NC2_EQUINORM_MEANS), TOL);
        assertEquals(0.0, cls.value(NC2_ETF_MEANS), TOL);
        assertEquals(Math.sqrt(0.2), smp.value(NC2_ETF_MEANS), TOL);

        assertEquals(0.0, cls.nc3(), TOL);
        assertEquals(Math.sqrt(2 - 6 / Math.sqrt(10)), smp.nc3(), TOL);
        assertEquals(2 * Math.sqrt(2), cls.value(NC3_BIAS), TOL);
        assertEquals(4 * Math.sqrt(2) / 3, smp.value(NC3_BIAS), TOL);

        NcReport population = imbalanced(NcConventions.defaults().with(GlobalMean.SAMPLE, Dispersion.POPULATION));
        assertEquals(1.0 / 3, population.value(NC2_EQUINORM_MEANS), TOL);
        assertTrue(smp.toString().contains("globalMean=SAMPLE"), smp.toString());
    }

    private static NcReport imbalanced(NcConventions c) {
        return NcMetrics.of(Features.of(H_IMB), Y_IMB, 2).classifier(W_IMB, new double[] {0, 0}).conventions(c).report();
    }
}
