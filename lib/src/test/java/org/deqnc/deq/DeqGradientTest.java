package org.deqnc.deq;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

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
        Map<String, double[]> fd = check.finiteDifferences(1e-5);
        assertEquals(fd.keySet(), implicit.keySet());
        for (String p : fd.keySet()) {
            double err = GradientCheck.relativeError(implicit.get(p), fd.get(p));
            assertTrue(err < 1e-6, cell + "/" + act + "/" + norm + " " + p + ": relative error " + err);
        }
        assertTrue(block.lastBackwardStats().converged(), block.lastBackwardStats().toString());
    }
}
