package org.deqnc.theory;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-sample budget form, the SELI distance, and R* for the variants without a certificate. */
class BudgetFormsTest {

    private static final LayerPeeledSolver CERTIFIED = LayerPeeledSolver.builder().restarts(1).seed(3).build();

    @Test
    void seliDistanceOnAHandWorkedThreeClassExample() {
        // K = 3, class sizes (1, 1, 1/4). M D M has eigenvectors u1 = (1,-1,0)/sqrt2 (eigenvalue 1) and
        // u2 = (1,1,-2)/sqrt6 (eigenvalue (1 + 2/4)/3 = 1/2): SELI means have Gram u1u1' + sqrt2 u2u2', SELI
        // classifiers u1u1' + u2u2'/sqrt2. Either shape against the ETF Gram u1u1' + u2u2' (normalised):
        // sqrt((1/sqrt3 - 1/sqrt2)^2 + (sqrt(2/3) - 1/sqrt2)^2) = 0.169714...
        double[] u1 = {1 / Math.sqrt(2), -1 / Math.sqrt(2), 0};
        double[] u2 = {1 / Math.sqrt(6), 1 / Math.sqrt(6), -2 / Math.sqrt(6)};
        double[][] means = new double[3][];
        double[][] classifier = new double[3][];
        for (int k = 0; k < 3; k++) {
            means[k] = new double[] {u1[k], u2[k] * Math.pow(0.5, -0.25)};
            classifier[k] = new double[] {u1[k], u2[k] * Math.pow(0.5, 0.25)};
        }
        double byHand = Math.sqrt(Math.pow(1 / Math.sqrt(3) - 1 / Math.sqrt(2), 2)
                + Math.pow(Math.sqrt(2.0 / 3) - 1 / Math.sqrt(2), 2));
        assertEquals(0.169714, byHand, 1e-6);
        PeeledGeometry seli = PeeledGeometry.measure(means, classifier, 2, new double[] {1, 1, 0.25});
        assertEquals(0, seli.seliDistance(), 1e-12);
        assertEquals(0, seli.seliDistanceClassifier(), 1e-12);
        assertEquals(byHand, seli.etfDistance(), 1e-12);
        // An ETF (rows u1_k, u2_k) is as far from SELI; with equal sizes SELI is the ETF.
        double[][] etf = {{u1[0], u2[0]}, {u1[1], u2[1]}, {u1[2], u2[2]}};
        PeeledGeometry g = PeeledGeometry.measure(etf, etf, 2, new double[] {1, 1, 0.25});
        assertEquals(byHand, g.seliDistance(), 1e-12);
        assertEquals(byHand, g.seliDistanceClassifier(), 1e-12);
        assertEquals(0, PeeledGeometry.measure(etf, etf, 2, new double[] {1, 1, 1}).seliDistance(), 1e-12);
    }

    @Test
    void perSampleFormCollapsesWithinClassesAndIsFangWhenBalanced() {
        MatchedBudgetSolver solver = MatchedBudgetSolver.builder().restarts(2).seed(2).maxIterations(20_000)
                .certified(CERTIFIED).build();
        LayerPeeledProblem balanced = LayerPeeledProblem.builder().majorityClasses(3).build();
        MatchedBudgetSolution s = solver.solve(MatchedBudgetProblem.constrained(balanced, FeatureLayer.none(), 1)
                .perSample(2));
        double closed = 10 * Math.log1p(9 * Math.exp(-Math.sqrt(5.0) * 10 / 9)); // Fang's balanced optimum
        assertEquals(closed, s.objective(), 1e-7 * closed);
        assertEquals(20, s.input().length);
        assertEquals("local", s.certificate());
        assertTrue(s.withinClassSpread() < 1e-4, "within-class spread " + s.withinClassSpread());
        // Imbalanced: the optimum does not depend on how many samples a class has beyond its share (Jensen), so
        // n_B = 1 and n_B = 2 agree.
        LayerPeeledProblem imbalanced = balanced.toBuilder().ratio(4).build();
        MatchedBudgetProblem deq = MatchedBudgetProblem.constrained(imbalanced, FeatureLayer.deq(0.5), 0.5);
        MatchedBudgetSolution one = solver.solve(deq.perSample(1));
        MatchedBudgetSolution two = solver.solve(deq.perSample(2));
        assertEquals(3 * 4 + 7, one.input().length);
        assertEquals(one.objective(), two.objective(), 1e-6 * one.objective());
        assertTrue(Math.abs(one.effectiveFeatureBudget() - two.effectiveFeatureBudget()) < 1e-3);
        assertEquals("R: the per-sample form needs R * n_B to be a whole number of majority samples, got R = 2.5,"
                + " n_B = 1", assertThrows(IllegalArgumentException.class,
                () -> deq.withRatio(2.5).perSample(1)).getMessage());
        assertEquals("n_B: must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> deq.perSample(0)).getMessage());
    }

    @Test
    void perSampleFormIsNearerSeliAndPerClassNearerEtfAtALargeBudget() {
        MatchedBudgetSolver solver = MatchedBudgetSolver.builder().restarts(1).seed(1).maxIterations(5_000)
                .tolerance(1e-8).certified(CERTIFIED).build();
        Table t = MatchedBudgetSweep.builder().majorityCounts(3).ratios(10)
                .conditions(List.of(new MatchedBudgetSweep.Condition(0.5, 0.5, 50, 1))).solver(solver).build()
                .budgetForms(List.of("fang"), 1);
        assertEquals(MatchedBudgetSweep.FORM_COLUMNS, t.columnNames());
        assertEquals(List.of("per_class", "per_sample"), t.stringColumn("form").asList());
        double[] etf = t.doubleColumn("etf_distance").asDoubleArray();
        double[] seli = t.doubleColumn("seli_distance").asDoubleArray();
        assertTrue(etf[0] < seli[0], "per class: ETF " + etf[0] + ", SELI " + seli[0]);
        assertTrue(seli[1] < etf[1], "per sample: ETF " + etf[1] + ", SELI " + seli[1]);
        assertTrue(t.doubleColumn("within_class_spread").getDouble(1) < 1e-3);
    }

    @Test
    void collapseThresholdBracketsTheWeightDecayTwinsLocalCollapse() {
        MatchedBudgetSolver solver = MatchedBudgetSolver.builder().restarts(1).seed(1).maxIterations(2_000)
                .tolerance(1e-8).certified(CERTIFIED).build();
        MatchedBudgetSweep.Condition main = new MatchedBudgetSweep.Condition(0.5, 0.5, 5, 1);
        MatchedBudgetSweep sweep = MatchedBudgetSweep.builder().majorityCounts(7).conditions(List.of(main))
                .solver(solver).build();
        Table t = sweep.collapseThresholds(List.of("deq_wd"), 1e4, 1e-4, 8);
        double below = t.doubleColumn("R_below").getDouble(0);
        double above = t.doubleColumn("R_above").getDouble(0);
        assertTrue(above / below < 1.05 && below > 1, below + " " + above);
        // Re-solved away from the bracket: distinct minority classifiers below, coincident above.
        assertTrue(sweep.solve(main, "deq_wd", 7, below / 1.1).geometry().minoritySpread() > 1e-4);
        assertTrue(sweep.solve(main, "deq_wd", 7, above * 1.1).geometry().minoritySpread() < 1e-4);
    }
}
