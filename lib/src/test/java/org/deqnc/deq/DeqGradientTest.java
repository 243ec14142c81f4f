package org.deqnc.deq;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeqGradientTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Tight float64 solves so the finite differences see the exact fixed point. */
    static DeqConfig.Builder exact(String cell) {
        return DeqConfig.builder().set("cell", cell).hidden(5).set("dtype", "float64").stopMode(
                org.deqnc.solver.StopMode.ABS).tol(1e-14).maxIter(300).bTol(1e-14).bMaxIter(300)
                .set("b_stop_mode", "abs").set("init_scale", 0.9).seed(3);
    }

    @ParameterizedTest(name = "{0} act={1} norm={2}")
    @CsvSource({"linear,tanh,none", "mlp,tanh,none", "mlp,relu,none", "conv,tanh,none", "conv,relu,none",
        "mlp,tanh,weight", "mlp,tanh,spectral", "linear,tanh,spectral"})
    void implicitGradientEqualsCentralFiniteDifferences(String cell, String act, String norm) {
        DeqConfig cfg = exact(cell).set("act", act).set("norm", norm).set("hidden", cell.equals("conv") ? 2 : 4)
                .build();
        Shape input = cell.equals("conv") ? new Shape(2, 1, 3, 3) : new Shape(3, 3);
        DeqBlock block = new DeqBlock(cfg);
        GradientCheck check = new GradientCheck(manager, block, input);
        Map<String, double[]> implicit = check.autograd();
        assertMatchesFiniteDifferences(check, implicit, cell + "/" + act + "/" + norm);
        assertTrue(block.lastBackwardStats().converged(), block.lastBackwardStats().toString());
    }

    /**
     * Several full collections, each confirmed by a cleared sentinel, then time for the cleaner
     * threads. Regression for an intermittent wrong gradient: DJL's {@code mul(Number)} and
     * {@code div(Number)} wrap the scalar in a tensor that borrows a Java direct buffer and close it
     * at once, while autograd keeps that tensor for the backward. Once a collection frees the buffer,
     * the backward reads freed memory (for W = c·V/‖V‖ the c·V branch vanished and only the ‖V‖
     * branch was left). Collecting between forward and backward made that deterministic.
     */
    private static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            try {
                while (queue.remove(10) != sentinel) {
                    System.gc();
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Implicit backward of the linear cell (contraction c·V/‖V‖) against central finite differences. */
    @ParameterizedTest(name = "{0} norm={1}")
    @CsvSource({"linear,none", "mlp,weight"})
    void implicitGradientSurvivesGarbageCollectionBeforeBackward(String cell, String norm) {
        DeqConfig cfg = exact(cell).set("act", "tanh").set("norm", norm).set("hidden", 4).build();
        GradientCheck check = new GradientCheck(manager, new DeqBlock(cfg), new Shape(3, 3));
        Map<String, double[]> implicit = check.autograd(DeqGradientTest::collectGarbage);
        assertMatchesFiniteDifferences(check, implicit, cell + "/" + norm);
    }

    private static void assertMatchesFiniteDifferences(GradientCheck check, Map<String, double[]> implicit,
            String label) {
        Map<String, double[]> fd = check.finiteDifferences(1e-5);
        assertEquals(fd.keySet(), implicit.keySet());
        for (String p : fd.keySet()) {
            double err = GradientCheck.relativeError(implicit.get(p), fd.get(p));
            assertTrue(err < 1e-6, label + " " + p + ": relative error " + err);
        }
    }

    /**
     * Phantom unrolling ((1 − τ) h + τ f(h)) and the weighted Jacobian penalty also scale tracked
     * arrays by Java numbers: a collection before backward must not change their gradients (the
     * reference is the same first step of an identically seeded layer without it: the Hutchinson
     * probe changes from step to step, so both must be first steps).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"backward=phantom phantom_k=3 phantom_tau=0.5", "backward=implicit jac_reg=0.5"})
    void gradientsDoNotDependOnGarbageCollectionBeforeBackward(String settings) {
        DeqConfig cfg = DeqConfig.parse("cell=linear hidden=4 dtype=float64 seed=3 " + settings);
        Map<String, double[]> plain = new GradientCheck(manager, new DeqBlock(cfg), new Shape(3, 3)).autograd();
        Map<String, double[]> collected = new GradientCheck(manager, new DeqBlock(cfg), new Shape(3, 3))
                .autograd(DeqGradientTest::collectGarbage);
        assertEquals(plain.keySet(), collected.keySet());
        for (String p : plain.keySet()) {
            assertArrayEquals(plain.get(p), collected.get(p), 1e-12, p);
        }
    }
}
