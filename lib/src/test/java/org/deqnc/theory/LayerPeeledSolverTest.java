package org.deqnc.theory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerPeeledSolverTest {

    private static final LayerPeeledSolver SOLVER = LayerPeeledSolver.builder().seed(7).build();

    @ParameterizedTest
    @CsvSource({"10, 5, 1", "4, 1, 1", "7, 2, 3", "3, 0.5, 8", "20, 1, 0.25"})
    void balancedOptimumMatchesTheClosedForm(int k, double eH, double eW) {
        LayerPeeledProblem p = LayerPeeledProblem.builder().classes(k).majorityClasses(1)
                .featureBudget(eH).classifierBudget(eW).build();
        LayerPeeledSolution s = SOLVER.solve(p);
        double closed = LayerPeeledProblem.balancedOptimum(k, eH, eW);
        assertEquals(closed, s.loss(), 1e-6 * closed);
        assertTrue(s.relativeGap() <= 1e-10, "certified gap " + s.relativeGap());
        assertTrue(s.kktResidual() < 1e-6, "KKT residual " + s.kktResidual());
    }

    @ParameterizedTest
    @CsvSource({"10, 5, 1", "5, 2, 0.5"})
    void balancedSolutionIsASelfDualSimplexEtf(int k, double eH, double eW) {
        LayerPeeledSolution s = SOLVER.solve(LayerPeeledProblem.builder().classes(k).majorityClasses(2)
                .featureBudget(eH).classifierBudget(eW).build());
        double[][] h = s.features();
        double[][] w = s.classifier();
        double scale = Math.sqrt(eW / eH);
        for (int i = 0; i < k; i++) {
            assertEquals(eH, Dense.dot(h[i], h[i]), 1e-6 * eH, "||h_k||^2 = E_H");
            for (int j = 0; j < k; j++) {
                assertEquals(scale * h[i][j], w[i][j], 1e-6, "w_k = sqrt(E_W/E_H) h_k");
            }
            for (int j = i + 1; j < k; j++) {
                double cos = Dense.dot(h[i], h[j]) / (Dense.norm(h[i]) * Dense.norm(h[j]));
                assertEquals(-1.0 / (k - 1), cos, 1e-6, "pairwise cosine of a simplex ETF");
            }
        }
        PeeledGeometry g = s.geometry();
        assertEquals(0, g.etfDistance(), 1e-6);
        assertEquals(0, g.selfDuality(), 1e-6);
        assertEquals(-1.0 / (k - 1), g.minorityClassifierCosMean(), 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"3, 31.6", "5, 10", "7, 3.2", "5, 1000"})
    void imbalancedSolutionsAreCertifiedAndConsistentAcrossRestarts(int kA, double r) {
        LayerPeeledSolution s = SOLVER.solve(LayerPeeledProblem.builder().majorityClasses(kA).ratio(r).build());
        assertTrue(s.relativeGap() <= 1e-10, "certified gap " + s.relativeGap());
        assertTrue(s.kktResidual() < 1e-6, "KKT residual " + s.kktResidual());
        assertTrue(s.restartLossSpread() < 1e-9 * s.loss(), "restart spread " + s.restartLossSpread());
        // Both budgets are active at the optimum (the loss keeps decreasing along a growing margin).
        assertEquals(10 * 5.0, Dense.inner(s.features(), s.features()), 1e-6);
        assertEquals(10 * 1.0, Dense.inner(s.classifier(), s.classifier()), 1e-6);
    }

    /**
     * Independent check of optimality where it can fail: feasible points next to the reported (H, W) — a small
     * random step, put back on the budget spheres ‖H‖² = K·E_H, ‖W‖² = K·E_W — never have a lower loss than the
     * certified lower bound. A point short of the optimum has a descent direction, and half of all random steps
     * go downhill to first order, so a non-optimal answer fails here.
     */
    @Test
    void noFeasiblePointBeatsTheCertifiedOptimum() {
        LayerPeeledProblem p = LayerPeeledProblem.builder().majorityClasses(5).ratio(10).build();
        LayerPeeledSolution s = SOLVER.solve(p);
        double[][] h0 = s.features();
        double[][] w0 = s.classifier();
        double bound = s.loss() - s.dualityGap() - 1e-13 * s.loss(); // 1e-13: rounding of the loss itself
        Random rng = new Random(3);
        for (double step : new double[] {1e-5, 1e-4, 1e-3, 1e-2}) {
            for (int trial = 0; trial < 200; trial++) {
                double[][] h = onSphere(Dense.axpy(h0, step, Dense.gaussian(10, 10, rng)), 50);
                double[][] w = onSphere(Dense.axpy(w0, step, Dense.gaussian(10, 10, rng)), 10);
                double loss = WeightedCrossEntropy.evaluate(Dense.multiplyTransposed(h, w), p.classWeights(), null);
                assertTrue(loss >= bound, "step " + step + ": feasible point " + loss + " below optimum " + s.loss());
            }
        }
    }

    private static double[][] onSphere(double[][] a, double squaredNorm) {
        return Dense.scale(a, Math.sqrt(squaredNorm) / Dense.frobenius(a));
    }

    @Test
    void directNonConvexSolveOverFeaturesAndClassifierAgrees() {
        // A different formulation (SPG over H, W themselves) must find the same imbalanced optimum.
        LayerPeeledProblem p = LayerPeeledProblem.builder().majorityClasses(3).ratio(10).build();
        DirectPeeledSolution d = DirectPeeledSolver.builder().restarts(2).seed(5).build()
                .solve(PeeledNetworkProblem.of(p, FeatureLayer.none()));
        LayerPeeledSolution s = SOLVER.solve(p);
        assertEquals(s.loss(), d.loss(), 1e-8 * s.loss());
        assertEquals(s.geometry().minorityClassifierCosMean(), d.geometry().minorityClassifierCosMean(), 1e-4);
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Random rng = new Random(11);
        double[][] z = Dense.gaussian(5, 5, rng);
        double[] c = {1, 1, 0.5, 0.1, 0.1};
        double[][] g = new double[5][5];
        WeightedCrossEntropy.evaluate(z, c, g);
        double h = 1e-6;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double[][] plus = Dense.copy(z);
                double[][] minus = Dense.copy(z);
                plus[i][j] += h;
                minus[i][j] -= h;
                double fd = (WeightedCrossEntropy.evaluate(plus, c, null) - WeightedCrossEntropy.evaluate(minus, c, null))
                        / (2 * h);
                assertEquals(fd, g[i][j], 1e-8);
            }
        }
    }

    @Test
    void nuclearBallProjectionIsTheClosestPointOfTheBall() {
        Random rng = new Random(2);
        double[][] a = Dense.scale(Dense.gaussian(6, 6, rng), 3);
        double radius = 4;
        double[][] p = Dense.projectNuclearBall(a, radius);
        double nuclear = 0;
        for (double s : Dense.svd(p).getSingularValues()) {
            nuclear += s;
        }
        assertEquals(radius, nuclear, 1e-9);
        // Variational inequality of a Euclidean projection onto a convex set: <a - p, q - p> <= 0 for q in the ball.
        for (int t = 0; t < 200; t++) {
            double[][] q = Dense.projectNuclearBall(Dense.scale(Dense.gaussian(6, 6, rng), 3), radius);
            assertTrue(Dense.inner(Dense.axpy(a, -1, p), Dense.axpy(q, -1, p)) <= 1e-9);
        }
    }

    @Test
    void sameSeedGivesTheSameSolution() {
        LayerPeeledProblem p = LayerPeeledProblem.builder().majorityClasses(7).ratio(3).build();
        LayerPeeledSolver solver = LayerPeeledSolver.builder().seed(42).restarts(2).build();
        double[][] first = solver.solve(p).features();
        double[][] second = solver.solve(p).features();
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], second[i], 0.0);
        }
        // another seed starts elsewhere and ends at another (rotated) optimal H
        double[][] other = LayerPeeledSolver.builder().seed(43).restarts(2).build().solve(p).features();
        assertFalse(java.util.Arrays.deepEquals(first, other), "seed 43 gave the features of seed 42");
    }

    @Test
    void rejectsBadSolverSettings() {
        assertEquals("restarts: must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> LayerPeeledSolver.builder().restarts(0).build()).getMessage());
        assertEquals("relativeGap: must be in (0, 1), got 0.0", assertThrows(IllegalArgumentException.class,
                () -> LayerPeeledSolver.builder().relativeGap(0).build()).getMessage());
        assertEquals("maxIterations: must be >= 1, got -3", assertThrows(IllegalArgumentException.class,
                () -> LayerPeeledSolver.builder().maxIterations(-3).build()).getMessage());
    }
}
