package org.deqnc.report;

import org.deqnc.chart.Chart;
import org.deqnc.solver.SolverOptions;
import org.deqnc.solver.SolverStats;
import org.deqnc.solver.StopMode;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolverReportsTest {

    private static final SolverOptions ABS = SolverOptions.builder().tol(1e-8).maxIter(60).stopMode(StopMode.ABS).build();

    @Test
    void picardOnALinearContractionShrinksTheResidualByTheNorm() {
        // f(z) = W z + x with ‖W‖₂ = 0.5: the residual r_k = f(z_k) − z_k obeys r_{k+1} = W r_k, so its
        // norm shrinks by at least 0.5 per Picard step (and so does the batch maximum).
        List<SolverStats> runs = SolverReports.compare(FixedPointProblem.linear(16, 3, 0.5, 7), List.of("picard"), ABS);
        double[] trace = runs.get(0).batchMaxAbsTrace();
        for (int i = 1; i < trace.length; i++) {
            assertTrue(trace[i] <= 0.5 * trace[i - 1] * (1 + 1e-6), "step " + i + ": " + trace[i] + " vs " + trace[i - 1]);
        }
        assertTrue(runs.get(0).converged());
    }

    @Test
    void tableAndChartHaveOneEntryPerSolver() {
        List<SolverStats> runs = SolverReports.compare(FixedPointProblem.tanhContraction(16, 2, 0.9, 1),
                List.of("picard", "anderson", "broyden"), ABS);
        Table t = SolverReports.table(runs);
        assertEquals(3, t.rowCount());
        assertEquals(List.of("picard", "anderson", "broyden"), t.stringColumn("solver").asList());
        Chart c = SolverReports.convergence(runs);
        assertEquals(3, c.series().size());
        // The chart plots log10 of the recorded trace, point for point.
        double[] trace = runs.get(1).batchMaxAbsTrace();
        assertEquals(Math.log10(trace[0]), c.series().get(1).y()[0], 1e-12);
        assertEquals(trace.length, c.series().get(1).size());
    }

    @Test
    void sameSeedSameProblemOtherSeedOtherProblem() {
        SolverStats a = SolverReports.compare(FixedPointProblem.tanhContraction(8, 2, 2.0, 3), List.of("anderson"), ABS).get(0);
        SolverStats b = SolverReports.compare(FixedPointProblem.tanhContraction(8, 2, 2.0, 3), List.of("anderson"), ABS).get(0);
        assertEquals(a.iterations(), b.iterations());
        assertEquals(a.maxLowestAbs(), b.maxLowestAbs(), 0);
        SolverStats c = SolverReports.compare(FixedPointProblem.tanhContraction(8, 2, 2.0, 4), List.of("anderson"), ABS).get(0);
        assertNotEquals(a.maxLowestAbs(), c.maxLowestAbs(), "seed 4 gave the residual of seed 3");
    }

    @Test
    void badInputsNameTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FixedPointProblem.builtIn("tanh-contractoin", 4, 1, 1, 0));
        assertEquals("problem: unknown problem 'tanh-contractoin' (did you mean 'tanh-contraction'?); accepted: tanh-contraction, linear", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FixedPointProblem.linear(4, 1, Double.NaN, 0));
        assertTrue(e.getMessage().startsWith("w_norm: must be a finite number > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SolverReports.compare(FixedPointProblem.linear(4, 1, 0.5, 0), List.of("andersen"), ABS));
        assertTrue(e.getMessage().startsWith("unknown solver 'andersen' (did you mean 'anderson'?)"), e.getMessage());
    }
}
