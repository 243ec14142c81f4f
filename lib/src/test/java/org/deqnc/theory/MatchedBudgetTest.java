package org.deqnc.theory;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchedBudgetTest {

    private static final LayerPeeledSolver CERTIFIED = LayerPeeledSolver.builder().restarts(1).seed(3).build();

    private static LayerPeeledProblem problem(int kA, double r) {
        return LayerPeeledProblem.builder().majorityClasses(kA).ratio(r).build();
    }

    /** Fang's balanced closed form, written out here independently of the library. */
    private static double fangBalanced(int k, double eH, double eW) {
        return k * Math.log1p((k - 1) * Math.exp(-Math.sqrt(eH * eW) * k / (k - 1)));
    }

    @Test
    void deqBoundedOnlyInSpectralNormIsFangAtTheGainSquaredBudgetFromRandomStarts() {
        // The reduction: ||W_D||_2 <= gamma and no parameter budget == Fang at E_H / (1 - gamma)^2, against
        // the balanced closed form and, under imbalance, against the certified optimum at that budget.
        MatchedBudgetSolver solver = MatchedBudgetSolver.builder().restarts(3).seed(5).maxIterations(20_000)
                .certified(CERTIFIED).build();
        double gamma = 0.5;
        MatchedBudgetSolution balanced = solver.solve(MatchedBudgetProblem.constrained(problem(1, 1),
                FeatureLayer.deq(gamma), Double.POSITIVE_INFINITY));
        double closed = fangBalanced(10, 5 / ((1 - gamma) * (1 - gamma)), 1);
        assertEquals(closed, balanced.objective(), 1e-8 * closed);
        assertEquals("exact", balanced.certificate());
        for (double r : new double[] {10, 100}) {
            MatchedBudgetSolution s = solver.solve(MatchedBudgetProblem.constrained(problem(3, r),
                    FeatureLayer.deq(gamma), Double.POSITIVE_INFINITY));
            double fang = CERTIFIED.solve(problem(3, r).toBuilder().featureBudget(20).build()).loss();
            assertEquals(fang, s.objective(), 1e-7 * fang, "R=" + r);
            assertEquals(fang, s.lowerBound(), 1e-9 * fang);
        }
    }

    @Test
    void parameterBudgetGivesACertifiedBracketThatContainsTheLocalOptimum() {
        MatchedBudgetSolver solver = MatchedBudgetSolver.builder().restarts(2).seed(1).certified(CERTIFIED).build();
        for (FeatureLayer layer : List.of(FeatureLayer.deq(0.5), FeatureLayer.explicitTied(3, Double.POSITIVE_INFINITY),
                FeatureLayer.explicitProduct(3, Double.POSITIVE_INFINITY))) {
            MatchedBudgetProblem p = MatchedBudgetProblem.constrained(problem(3, 10), layer, 0.5);
            MatchedBudgetSolution s = solver.solve(p);
            assertTrue(s.lowerBound() <= s.objective() + 1e-12, layer.toString());
            assertTrue(s.objective() <= s.upperBound() + 1e-12, layer.toString());
            assertTrue(s.layerNormSquared() <= 0.5 + 1e-9, layer.toString());
            assertTrue(Dense.frobenius(s.input()) <= Math.sqrt(10 * 5) + 1e-9);
            assertTrue(Dense.frobenius(s.classifier()) <= Math.sqrt(10) + 1e-9);
        }
        // gamma^2 (K - 1) = 2.25 <= E_D: the spectral bound binds first, the bracket closes: exactly Fang at gain 2.
        MatchedBudgetSolution saturated = solver.solve(MatchedBudgetProblem.constrained(problem(3, 10),
                FeatureLayer.deq(0.5), 2.25));
        assertEquals("exact", saturated.certificate());
        assertEquals(2.0, MatchedBudgetProblem.constrained(problem(3, 10), FeatureLayer.deq(0.5), 2.25).uniformGain(9),
                1e-12);
    }

    @Test
    void handComputedGains() {
        LayerPeeledProblem base = problem(3, 1);
        // DEQ: s = min(0.5, sqrt(0.09)) = 0.3 -> 1/0.7; spread over 9 directions: s = 0.1 -> 1/0.9.
        MatchedBudgetProblem deq = MatchedBudgetProblem.constrained(base, FeatureLayer.deq(0.5), 0.09);
        assertEquals(1 / 0.7, deq.maximalGain(), 1e-12);
        assertEquals(1 / 0.9, deq.uniformGain(9), 1e-12);
        // Product of 3 layers with sum ||W_l||^2 <= 0.27 over 9 directions: s^2 = 0.01 -> gain 0.001.
        MatchedBudgetProblem product = MatchedBudgetProblem.constrained(base,
                FeatureLayer.explicitProduct(3, Double.POSITIVE_INFINITY), 0.27);
        assertEquals(0.001, product.uniformGain(9), 1e-15);
        assertEquals(0.027, product.maximalGain(), 1e-15);
        // Tied iteration of 3 steps, E_D = 0.36 over 9 directions: s = 0.2 -> 1 + 0.2 + 0.04 + 0.008.
        MatchedBudgetProblem tied = MatchedBudgetProblem.constrained(base,
                FeatureLayer.explicitTied(3, Double.POSITIVE_INFINITY), 0.36);
        assertEquals(1.248, tied.uniformGain(9), 1e-12);
        assertEquals("E_D: must be > 0 (+infinity for no parameter budget), got 0.0", assertThrows(
                IllegalArgumentException.class, () -> MatchedBudgetProblem.constrained(base, FeatureLayer.none(), 0))
                .getMessage());
    }

    @Test
    void layerProjectionIsFeasibleIdempotentAndClosestAmongSampledFeasiblePoints() {
        Random rng = new Random(2);
        double[][][] x = {Dense.gaussian(5, 5, rng), Dense.gaussian(5, 5, rng)};
        double[][][] p = PeeledObjective.projectLayerWeights(x, 0.9, 1.5);
        double norm2 = 0;
        for (double[][] w : p) {
            assertTrue(Dense.spectralNorm(w) <= 0.9 + 1e-12);
            norm2 += Dense.inner(w, w);
        }
        assertEquals(1.5, norm2, 1e-9);
        double[][][] again = PeeledObjective.projectLayerWeights(p, 0.9, 1.5);
        assertEquals(0, Math.sqrt(SpectralProjectedGradient.inner(SpectralProjectedGradient.difference(again, p),
                SpectralProjectedGradient.difference(again, p))), 1e-10);
        double best = Math.sqrt(SpectralProjectedGradient.inner(SpectralProjectedGradient.difference(x, p),
                SpectralProjectedGradient.difference(x, p)));
        for (int t = 0; t < 200; t++) {
            double[][][] y = PeeledObjective.projectLayerWeights(new double[][][] {Dense.gaussian(5, 5, rng),
                Dense.gaussian(5, 5, rng)}, 0.9, 1.5);
            double d = Math.sqrt(SpectralProjectedGradient.inner(SpectralProjectedGradient.difference(x, y),
                    SpectralProjectedGradient.difference(x, y)));
            assertTrue(d >= best - 1e-12);
        }
    }

    @Test
    void collapseThresholdBracketsThePointWhereMinorityClassifiersCoincide() {
        LayerPeeledProblem base = problem(5, 1);
        CollapseThreshold.Bracket b = CollapseThreshold.bisect(
                r -> CERTIFIED.solve(base.toBuilder().ratio(r).build()).geometry().minoritySpread(), 1, 1000, 1e-4, 14);
        assertTrue(b.ratioWidth() < 1.01, b.toString());
        // Re-solve on both sides, independently of the bisection's own evaluations.
        for (double r : new double[] {b.below() / 1.05, b.below()}) {
            double[][] w = CERTIFIED.solve(base.toBuilder().ratio(r).build()).classifier();
            assertTrue(Dense.distance(w[5], w[9]) > 1e-3 * Dense.norm(w[0]), "distinct at R=" + r);
        }
        for (double r : new double[] {b.above(), b.above() * 1.05, 1000}) {
            double[][] w = CERTIFIED.solve(base.toBuilder().ratio(r).build()).classifier();
            for (int k = 6; k < 10; k++) {
                assertTrue(Dense.distance(w[5], w[k]) < 1e-6 * Dense.norm(w[0]), "equal at R=" + r);
            }
        }
        assertTrue(Double.isNaN(CollapseThreshold.bisect(r -> 1.0, 1, 10, 1e-4, 3).above()));
        assertTrue(Double.isNaN(CollapseThreshold.bisect(r -> 0.0, 1, 10, 1e-4, 3).below()));
    }

    @Test
    void geometrySplitsTheEtfDistanceAndAnchorsBothGlobalMeans() {
        // A simplex ETF (e_k - 1/K) with classifier = features: every NC2/NC3 part is 0 under the class mean.
        int k = 4;
        double[][] etf = Dense.axpy(Dense.identity(k, 1), -1.0 / k, Dense.scale(new double[][] {{1, 1, 1, 1},
            {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}, 1));
        PeeledGeometry g = PeeledGeometry.measure(etf, etf, 2, new double[] {1, 1, 0.1, 0.1});
        assertEquals(0, g.equinormClass(), 1e-12);
        assertEquals(0, g.equiangularClass(), 1e-12);
        assertEquals(0, g.etfDistance(), 1e-12);
        assertEquals(0, g.selfDuality(), 1e-12);
        // The sample-weighted mean shifts towards the majority: minority means lengthen, angles change.
        assertTrue(g.equinormSample() > 0.1);
        assertTrue(g.equiangularSample() > 0.05);
        assertEquals(Math.sqrt(2 / 0.75), g.minoritySpread(), 1e-12); // ||e_3 - e_4|| / ||e_k - 1/4||
    }

    @Test
    void sweepGivesIdenticalRowsForTheMatchedGainContenders() {
        Table t = MatchedBudgetSweep.builder().majorityCounts(3).ratios(1, 50)
                .contenders("fang", "deq_gain", "explicit_tied_gain", "explicit_gain")
                .solver(MatchedBudgetSolver.builder().certified(CERTIFIED).build()).build().run();
        assertEquals(MatchedBudgetSweep.COLUMNS, t.columnNames());
        assertEquals(8, t.rowCount());
        for (int row = 4; row < 8; row++) {
            int deqRow = 2 + row % 2;
            for (String c : List.of("objective", "minority_cos", "etf_distance", "self_duality", "effective_E_H")) {
                assertEquals(t.doubleColumn(c).getDouble(deqRow), t.doubleColumn(c).getDouble(row), 1e-6, c);
            }
        }
        assertEquals(20.0, t.doubleColumn("effective_E_H").getDouble(2), 1e-12);
        assertEquals("contenders: unknown 'deqq' (accepted: " + String.join(", ", MatchedBudgetSweep.CONTENDERS.keySet())
                + ")", assertThrows(IllegalArgumentException.class,
                () -> MatchedBudgetSweep.builder().contenders("deqq").build()).getMessage());
    }
}
