package org.deqnc.theory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeeledNetworkProblemTest {

    private static final LayerPeeledSolver SOLVER = LayerPeeledSolver.builder().seed(3).build();
    private static final DirectPeeledSolver DIRECT = DirectPeeledSolver.builder().seed(3).restarts(2).build();
    private static final LayerPeeledProblem BALANCED = LayerPeeledProblem.builder().build();

    @Test
    void balancedDeqAttainsTheClosedFormWithAmplifiedFeatureBudget() {
        // Derived by hand: ||(I - W_D)^{-1}||_2 <= 1/(1 - gamma) = 2, so E_H = 5 acts as 5 * 4 = 20.
        PeeledNetworkProblem deq = PeeledNetworkProblem.of(BALANCED, FeatureLayer.deq(0.5));
        double closed = LayerPeeledProblem.balancedOptimum(10, 20, 1);
        assertEquals(closed, deq.balancedOptimum(), 1e-15);
        assertEquals(closed, deq.solve(SOLVER).loss(), 1e-9 * closed);
    }

    @Test
    void directSolveOverDeqParametersReachesTheReducedOptimum() {
        for (double r : new double[] {1, 10}) {
            PeeledNetworkProblem deq = PeeledNetworkProblem.of(BALANCED.toBuilder().ratio(r).build(),
                    FeatureLayer.deq(0.5));
            double reduced = deq.solve(SOLVER).loss();
            DirectPeeledSolution direct = DIRECT.solve(deq);
            assertEquals(reduced, direct.loss(), 1e-6 * reduced, "R = " + r);
            assertTrue(direct.layerSpectralNorms()[0] <= 0.5 + 1e-12, "||W_D||_2 <= gamma");
            assertTrue(direct.stationarity() < 1e-6, "stationarity " + direct.stationarity());
            if (r == 1) {
                // NC at balance for the DEQ: layer outputs form a simplex ETF, classifier self-dual.
                assertEquals(0, direct.geometry().etfDistance(), 1e-5);
                assertEquals(0, direct.geometry().selfDuality(), 1e-5);
            }
        }
    }

    @Test
    void sampleLevelDirectSolveCollapsesEachClassAndReachesTheClassMeanOptimum() {
        // Jensen: n free features per class cannot beat the class-mean optimum, which is the closed form at
        // E_H = 5 * 2^2 for the DEQ with gamma = 0.5 (hand value); at the optimum each class collapses to its mean.
        PeeledNetworkProblem deq = PeeledNetworkProblem.of(BALANCED, FeatureLayer.deq(0.5));
        DirectPeeledSolution d = DirectPeeledSolver.builder().seed(3).restarts(1).samplesPerClass(4).build().solve(deq);
        double closed = LayerPeeledProblem.balancedOptimum(10, 20, 1);
        assertEquals(closed, d.loss(), 1e-6 * closed);
        assertEquals(40, d.features().length);
        assertEquals(4, d.samplesPerClass());
        int[] labels = d.labels();
        double[][] f = d.features();
        double[][] means = d.classMeans();
        double spread = 0;
        for (int row = 0; row < f.length; row++) {
            for (int j = 0; j < f[row].length; j++) {
                spread = Math.max(spread, Math.abs(f[row][j] - means[labels[row]][j]));
            }
        }
        assertTrue(spread < 1e-4, "within-class spread " + spread);
        assertEquals(0, d.geometry().etfDistance(), 1e-5);
        assertEquals("samplesPerClass: must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> DirectPeeledSolver.builder().samplesPerClass(0).build()).getMessage());
    }

    @Test
    void deqLossLowerBoundsTheUnrolledExplicitIterationAtEveryDepth() {
        double deq = PeeledNetworkProblem.of(BALANCED, FeatureLayer.deq(0.5)).solve(SOLVER).loss();
        double previous = Double.POSITIVE_INFINITY;
        for (int depth = 1; depth <= 6; depth++) {
            double explicit = PeeledNetworkProblem.of(BALANCED, FeatureLayer.explicitInjected(depth, 0.5))
                    .solve(SOLVER).loss();
            assertTrue(explicit > deq, "L = " + depth + ": explicit " + explicit + " vs DEQ " + deq);
            assertTrue(explicit < previous, "explicit loss decreases with depth");
            previous = explicit;
        }
        // Gain at L = 6 is (1 - 0.5^7)/(1 - 0.5) = 1.984375 (hand value): the closed form at E_H = 5 * 1.984375^2.
        double closed = LayerPeeledProblem.balancedOptimum(10, 5 * 1.984375 * 1.984375, 1);
        assertEquals(closed, previous, 1e-9 * closed);
    }

    @Test
    void featureBudgetMakesTheLayerIrrelevant() {
        LayerPeeledProblem imbalanced = BALANCED.toBuilder().majorityClasses(3).ratio(30).build();
        double plain = SOLVER.solve(imbalanced).loss();
        for (FeatureLayer layer : new FeatureLayer[] {FeatureLayer.deq(0.9), FeatureLayer.explicitProduct(4, 0.3)}) {
            PeeledNetworkProblem p = PeeledNetworkProblem.of(imbalanced, layer,
                    PeeledNetworkProblem.BudgetPlacement.FEATURES);
            assertEquals(plain, p.solve(SOLVER).loss(), 1e-10 * plain);
        }
        assertEquals("placement: the direct solver needs INPUT_AND_WEIGHTS (under FEATURES the layer is a"
                        + " reparametrisation with nothing to optimise), got FEATURES",
                assertThrows(IllegalArgumentException.class, () -> DIRECT.solve(PeeledNetworkProblem.of(imbalanced,
                        FeatureLayer.deq(0.5), PeeledNetworkProblem.BudgetPlacement.FEATURES))).getMessage());
    }

    @Test
    void realisingWeightsAndInputReproduceTheOptimalFeatures() {
        PeeledNetworkProblem p = PeeledNetworkProblem.of(BALANCED.toBuilder().ratio(5).build(),
                FeatureLayer.explicitInjected(2, 0.8));
        PeeledNetworkSolution s = p.solve(SOLVER);
        double[][] features = p.layer().forward(s.input(), s.layerWeights());
        double[][] expected = s.peeled().features();
        assertEquals(0, Dense.frobenius(Dense.axpy(features, -1, expected)), 1e-10);
        assertEquals(Math.sqrt(10 * 5.0), Dense.frobenius(s.input()), 1e-6, "input budget is active");
    }
}
