package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.deqnc.engine.Engines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Anderson on f(x) = a x + c (per sample, elementwise) from x0 = 0: every residual g = (a − 1) x + c of a sample is
 * a multiple of the all-ones vector, so the second mixing step is the secant step through the first two iterates
 * and lands on the fixed point c / (1 − a) exactly, for any β (by hand: x1 = β c, and with α1 g0 + α2 g1 = 0,
 * α1 + α2 = 1, x2 = α1 (f0 − (1−β) g0) + α2 (f1 − (1−β) g1) = c / (1 − a)). The third recorded residual is
 * therefore zero up to the Tikhonov term, while the window (m = 5) is still only partly filled.
 */
class AndersonSecantTest {

    @ParameterizedTest
    @CsvSource({"1.0, anderson", "0.5, anderson", "1.0, anderson-device", "0.5, anderson-device"})
    void secondMixingStepIsTheSecantFixedPoint(double beta, String solver) {
        try (NDManager m = Engines.newManager()) {
            NDArray a = m.create(new double[] {0.5, -0.8}).reshape(2, 1);
            NDArray c = m.create(new double[] {1.0, 0.9}).reshape(2, 1);
            NDArray z0 = m.zeros(new ai.djl.ndarray.types.Shape(2, 3), ai.djl.ndarray.types.DataType.FLOAT64);
            SolverOptions o = SolverOptions.builder().m(5).beta(beta).lam(1e-12).tol(1e-9).maxIter(20)
                    .stopMode(StopMode.ABS).build();
            SolverResult r = SolverTest.solver(solver).solve(z -> z.mul(a).add(c), z0, o);
            assertEquals(3, r.stats().iterations(), "converged at the third recorded iterate");
            // fixed points c / (1 - a): 1 / 0.5 = 2 and 0.9 / 1.8 = 0.5
            assertArrayEquals(new double[] {2, 2, 2, 0.5, 0.5, 0.5}, r.z().toDoubleArray(), 1e-9);
        }
    }
}
