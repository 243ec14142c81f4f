package org.deqnc.data;

import org.junit.jupiter.api.Test;

import static org.deqnc.data.StepImbalanceTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianMixtureTest {

    @Test
    void lingInstanceHasTheClosedFormStatistics() {
        // C_0 = I, C_1 = (1 + 8/sqrt p) I, balanced: C° = (1 + 4/sqrt p) I, C_a° = -/+ (4/sqrt p) I
        // => t = (-4, 4), T = (16/p) [[1, -1], [-1, 1]], tau0 = sqrt(1 + 4/sqrt p), psi variance 2 tr(C_a^2)/p^2
        int p = 400;
        MixtureStatistics s = GaussianMixture.lingTwoClass(p).statistics(320);
        assertArrayEquals(new double[] {-4, 4}, s.t(), 1e-12);
        // T is a difference of O(p) trace products: round-off ~ p * 1e-16 relative to the O(1) terms
        assertArrayEquals(new double[] {16.0 / p, -16.0 / p}, s.bigT()[0], 1e-12);
        assertArrayEquals(new double[] {-16.0 / p, 16.0 / p}, s.bigT()[1], 1e-12);
        assertEquals(Math.sqrt(1.2), s.tau0(), 1e-14);
        assertArrayEquals(new double[] {2.0 / p, 2 * 1.4 * 1.4 / p}, s.psiVariance(), 1e-15);
    }

    @Test
    void fullCovarianceStatisticsMatchHandComputation() {
        // class 0: compound symmetry C = (1 - rho) I + rho 11' (p = 30, rho = 0.3); class 1: I.
        // tr C = 30 = tr I => t = 0, tau0 = 1.
        // C - I = rho (11' - I), tr((C - I)^2) = rho^2 p (p - 1) = 78.3; C_0° = (C - I)/2 => T_00 = 78.3 / 4 / 30.
        // tr(C^2) = p (1 - rho)^2 + p (2 rho (1 - rho) + rho^2 p) = 14.7 + 93.6 = 108.3.
        int p = 30;
        GaussianMixture gmm = GaussianMixture.builder(p)
                .addClass(new double[p], compoundSymmetry(p, 0.3))
                .addIsotropicClass(new double[p], 1.0)
                .build();
        MixtureStatistics s = gmm.statistics(100);
        double tOO = 78.3 / 4 / 30;
        assertArrayEquals(new double[] {0, 0}, s.t(), 1e-12);
        assertEquals(1.0, s.tau0(), 1e-12);
        assertArrayEquals(new double[] {tOO, -tOO}, s.bigT()[0], 1e-12);
        assertArrayEquals(new double[] {-tOO, tOO}, s.bigT()[1], 1e-12);
        assertArrayEquals(new double[] {2 * 108.3 / 900, 2 * 30.0 / 900}, s.psiVariance(), 1e-12);
    }

    @Test
    void fullCovarianceSamplesHaveThatCovariance() {
        int p = 30;
        double rho = 0.3;
        GaussianMixture gmm = GaussianMixture.builder(p)
                .addClass(new double[p], compoundSymmetry(p, rho))
                .addIsotropicClass(new double[p], 1.0)
                .build();
        GaussianMixtureSample sample = gmm.sample(4000, 3L);
        double[][] noise = sample.noise();
        // second moments of sqrt(p) omega over the 2000 class-0 rows (mean known to be 0)
        double diagonal = 0;
        double offDiagonal = 0;
        for (int i = 0; i < 2000; i++) {
            double sum = 0;
            double squares = 0;
            for (int j = 0; j < p; j++) {
                sum += noise[i][j];
                squares += noise[i][j] * noise[i][j];
            }
            diagonal += squares * p;
            offDiagonal += (sum * sum - squares) * p;
        }
        diagonal /= 2000.0 * p;
        offDiagonal /= 2000.0 * p * (p - 1);
        // sd of the averaged entries ~ sqrt(2/2000) * (entry scale) ~ 0.03; tolerance ~ 3 sd
        assertEquals(1.0, diagonal, 0.1);
        assertEquals(rho, offDiagonal, 0.1);
    }

    @Test
    void sampleStatisticsAgreeWithTheoryWithinStandardErrors() {
        // C_0 = I, C_1 = 2 I, p = 200, n = 400 balanced, means 3 e_0 and -3 e_1.
        // Theory by hand: C° = 1.5 I, tau0^2 = 1.5, t = -/+ 0.5 sqrt(200), T = 0.25 [[1,-1],[-1,1]],
        // psi variance 2 v^2 / p = 0.01 and 0.04.
        int p = 200;
        double[] mean0 = new double[p];
        double[] mean1 = new double[p];
        mean0[0] = 3;
        mean1[1] = -3;
        GaussianMixture gmm = GaussianMixture.builder(p).addIsotropicClass(mean0, 1).addIsotropicClass(mean1, 2).build();
        GaussianMixtureSample sample = gmm.sample(400, 11L);
        MixtureStatistics est = sample.estimatedStatistics();
        MixtureStatistics theory = sample.theoreticalStatistics();
        assertEquals(Math.sqrt(1.5), theory.tau0(), 1e-15);

        // Var(tr C_hat_a) = 2 tr(C_a^2)/m for Gaussian data (m = 199): sd(t_hat) = 0.11, sd(tau0_hat) = 0.003
        assertArrayEquals(new double[] {-0.5 * Math.sqrt(p), 0.5 * Math.sqrt(p)}, est.t(), 0.55);
        assertEquals(Math.sqrt(1.5), est.tau0(), 0.016);
        // unbiased tr(C^2) estimates have relative sd <~ 2/m + sqrt(8/(m p)) ~ 0.02 => sd(T_hat) <~ 0.025 (0.01 seen over 40 seeds).
        // The plug-in tr(S^2) would be off by ~ 0.25 (1 + 4) p/m ~ 1.26 here.
        for (int a = 0; a < 2; a++) {
            assertArrayEquals(new double[] {0.25 * (a == 0 ? 1 : -1), 0.25 * (a == 0 ? -1 : 1)}, est.bigT()[a], 0.08, "row " + a);
        }
        // sample variance of 200 nearly Gaussian values: relative sd sqrt(2/199) = 0.1
        assertArrayEquals(new double[] {0.01, 0.04}, theory.psiVariance(), 1e-15);
        assertEquals(0.01, est.psiVariance()[0], 0.45 * 0.01);
        assertEquals(0.04, est.psiVariance()[1], 0.45 * 0.04);

        // exact psi: mean 0 (sd sqrt(var/200)) and the theoretical variance
        double[] psi = sample.psi();
        double[] mean = new double[2];
        double[] var = new double[2];
        for (int i = 0; i < psi.length; i++) {
            mean[i / 200] += psi[i] / 200;
            var[i / 200] += psi[i] * psi[i] / 200;
        }
        assertEquals(0, mean[0], 5 * Math.sqrt(0.01 / 200));
        assertEquals(0, mean[1], 5 * Math.sqrt(0.04 / 200));
        assertEquals(0.01, var[0], 0.45 * 0.01);
        assertEquals(0.04, var[1], 0.45 * 0.04);

        // psi estimated without the parameters tracks the exact one: the class-mean error moves it by
        // ~ 2 sqrt(v^2/(p n_a)) against sd(psi) = sqrt(2 v^2 / p), a correlation ~ 1 - 1/n_a
        assertTrue(correlation(psi, MixtureStatistics.estimatePsi(sample.x(), sample.labels(), 2)) > 0.98);

        // the released code's tau0 estimate also counts the means: + (9 + 9)/2/p = 0.045 (sd ~ 0.008)
        double rms = MixtureStatistics.rootMeanSquaredNorm(sample.x());
        assertEquals(1.5 + 0.045, rms * rms, 0.04);
    }

    @Test
    void classCountsUseLargestRemainders() {
        GaussianMixture three = threeClass(0.5, 0.3, 0.2);
        assertArrayEquals(new int[] {6, 3, 2}, three.classCounts(11));   // 5.5, 3.3, 2.2 -> remainder to class 0
        assertArrayEquals(new int[] {5, 3, 2}, three.classCounts(10));
        assertArrayEquals(new int[] {5, 3, 2}, three.sample(10, 0L).toLabeledData().classCounts());
        assertError("n: 3 samples leave class 2 (proportion 0.1) empty; use a larger n", () -> threeClass(0.7, 0.2, 0.1).classCounts(3));
        assertError("n: must be >= K = 3, got 2", () -> three.classCounts(2));
    }

    private static GaussianMixture threeClass(double... proportions) {
        return GaussianMixture.builder(2)
                .addIsotropicClass(new double[2], 1)
                .addIsotropicClass(new double[2], 1)
                .addIsotropicClass(new double[2], 1)
                .proportions(proportions)
                .build();
    }

    @Test
    void sameSeedSameSampleOtherSeedOtherSample() {
        GaussianMixture gmm = GaussianMixture.lingTwoClass(50);
        assertArrayEquals(gmm.sample(40, 5L).x(), gmm.sample(40, 5L).x());
        assertFalse(java.util.Arrays.deepEquals(gmm.sample(40, 5L).x(), gmm.sample(40, 6L).x()));
    }

    @Test
    void invalidParametersGiveOneLineErrors() {
        assertError("classes: need at least 2, got 1", () -> GaussianMixture.builder(3).addIsotropicClass(new double[3], 1).build());
        assertError("mean of class 0: need 3 values, got 2", () -> GaussianMixture.builder(3).addIsotropicClass(new double[2], 1));
        assertError("mean of class 0: entries must be finite, got NaN",
                () -> GaussianMixture.builder(1).addIsotropicClass(new double[] {Double.NaN}, 1));
        assertError("variances of class 0: variance 0 must be finite and >= 0, got -1.0",
                () -> GaussianMixture.builder(1).addIsotropicClass(new double[1], -1));
        assertError("covariance of class 0: must be symmetric, entry (1,0) = 0.5 but (0,1) = 0.0",
                () -> GaussianMixture.builder(2).addClass(new double[2], new double[][] {{1, 0}, {0.5, 1}}));
        // eigenvalues of [[0, 1], [1, 0]] are -1 and 1
        assertError("covariance of class 0: must be positive semi-definite, has eigenvalue -1.0",
                () -> GaussianMixture.builder(2).addClass(new double[2], new double[][] {{0, 1}, {1, 0}}));
        assertError("covariance of class 0: must be 2x2, got 1 rows",
                () -> GaussianMixture.builder(2).addClass(new double[2], new double[][] {{1, 0}}));
        assertError("proportions: must sum to 1, got [0.5, 0.2, 0.2] summing to 0.9", () -> threeClass(0.5, 0.2, 0.2));
        assertError("proportions: need one per class (3), got 2", () -> threeClass(0.5, 0.5));
        assertError("proportions: each must be finite and > 0, got [1.0, 0.0, 0.0]", () -> threeClass(1, 0, 0));
        assertError("dimension: the Ling et al. instance puts a mean on coordinate 8, need p >= 9, got 8",
                () -> GaussianMixture.lingTwoClass(8));
        assertError("labels: class 1 has 2 samples, need >= 3",
                () -> MixtureStatistics.estimate(new double[][] {{1}, {2}, {3}, {4}, {5}}, new int[] {0, 0, 0, 1, 1}, 2));
        assertError("x: non-finite value Infinity at row 1, column 0",
                () -> MixtureStatistics.estimate(new double[][] {{1}, {Double.POSITIVE_INFINITY}, {3}}, new int[3], 1));
    }

    private static double[][] compoundSymmetry(int p, double rho) {
        double[][] c = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                c[i][j] = i == j ? 1 : rho;
            }
        }
        return c;
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
