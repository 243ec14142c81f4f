package org.deqnc.solver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AndersonWeightsTest {

    /**
     * For n = 2, minimising ‖α₁g₁ + α₂g₂‖² subject to α₁ + α₂ = 1 by hand (substitute α₂ = 1 − α₁,
     * set the derivative to zero) gives α₁ = (b − c) / (a + b − 2c) with a = ‖g₁‖², b = ‖g₂‖²,
     * c = g₁·g₂; with λ = 0 the floor is negligible.
     */
    @Test
    void twoSlotWeightsMatchTheHandDerivedMinimiser() {
        double a = 4;
        double b = 1;
        double c = 0.5;
        double[][] ggt = {{a, c, 0}, {c, b, 0}, {0, 0, 0}};
        double[] out = new double[3 + 3];
        AndersonSolver.mixingWeights(ggt, 2, 0, 1e-200, out, 3);
        double a1 = (b - c) / (a + b - 2 * c);
        assertArrayEquals(new double[] {0, 0, 0, a1, 1 - a1, 0}, out, 1e-12);
    }

    /** Equal, orthogonal residuals: by symmetry every slot gets weight 1/n, whatever the Tikhonov term. */
    @Test
    void orthogonalEqualResidualsAreAveraged() {
        double[][] ggt = {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}};
        double[] out = new double[3];
        AndersonSolver.mixingWeights(ggt, 3, 0.5, 1e-200, out, 0);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, out, 1e-12);
        assertEquals(1.0, out[0] + out[1] + out[2], 1e-12);
    }
}
