package org.deqnc.theory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayerPeeledProblemTest {

    private static void assertRejected(String message, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsBadParametersWithOneLineMessages() {
        assertRejected("K_A: must satisfy 1 <= K_A < K = 10, got 10",
                () -> LayerPeeledProblem.builder().majorityClasses(10).build());
        assertRejected("K_A: must satisfy 1 <= K_A < K = 10, got 0",
                () -> LayerPeeledProblem.builder().majorityClasses(0).build());
        assertRejected("R: must be a finite number >= 1, got 0.5",
                () -> LayerPeeledProblem.builder().ratio(0.5).build());
        assertRejected("R: must be a finite number >= 1, got NaN",
                () -> LayerPeeledProblem.builder().ratio(Double.NaN).build());
        assertRejected("R: must be a finite number >= 1, got Infinity",
                () -> LayerPeeledProblem.builder().ratio(Double.POSITIVE_INFINITY).build());
        assertRejected("E_H: must be a finite number > 0, got 0.0",
                () -> LayerPeeledProblem.builder().featureBudget(0).build());
        assertRejected("E_H: must be a finite number > 0, got -1.0",
                () -> LayerPeeledProblem.balancedOptimum(10, -1, 1));
        assertRejected("E_W: must be a finite number > 0, got NaN",
                () -> LayerPeeledProblem.builder().classifierBudget(Double.NaN).build());
        assertRejected("K: must be >= 2, got 1", () -> LayerPeeledProblem.builder().classes(1).build());
    }

    @Test
    void closedFormEqualsTheLossOfAHandBuiltSimplexEtf() {
        // Independent construction: e_k - 1/K (centred basis vectors) scaled to ||h_k||^2 = E_H, w_k = sqrt(E_W/E_H) h_k.
        int k = 6;
        double eH = 3;
        double eW = 0.7;
        double[][] h = new double[k][k];
        double centredNorm = Math.sqrt(1 - 1.0 / k);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                h[i][j] = ((i == j ? 1 : 0) - 1.0 / k) / centredNorm * Math.sqrt(eH);
            }
        }
        double loss = 0;
        for (int i = 0; i < k; i++) {
            double sum = 0;
            double own = 0;
            for (int j = 0; j < k; j++) {
                double logit = Math.sqrt(eW / eH) * Dense.dot(h[i], h[j]);
                sum += Math.exp(logit);
                own = i == j ? logit : own;
            }
            loss += Math.log(sum) - own;
        }
        assertEquals(loss, LayerPeeledProblem.balancedOptimum(k, eH, eW), 1e-12);
    }

    @Test
    void classWeightsFollowTheStepImbalance() {
        LayerPeeledProblem p = LayerPeeledProblem.builder().classes(4).majorityClasses(1).ratio(8).build();
        assertEquals(1, p.classWeight(0));
        assertEquals(0.125, p.classWeight(3));
        assertEquals(3, p.minorityClasses());
        // K sqrt(E_H E_W) with the defaults E_H = 5, E_W = 1.
        assertEquals(4 * Math.sqrt(5), p.nuclearRadius(), 1e-15);
    }
}
