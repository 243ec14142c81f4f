package org.deqnc.report;

import ai.djl.ndarray.NDManager;
import org.deqnc.chart.Chart;
import org.deqnc.chart.Figures;
import org.deqnc.engine.Engines;
import org.deqnc.solver.SolverDivergedException;
import org.deqnc.solver.SolverOptions;
import org.deqnc.solver.SolverStats;
import org.deqnc.solver.Solvers;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs several solvers on one {@link FixedPointProblem} and turns their {@link SolverStats} into a
 * summary table and a convergence chart (log10 of the batch-worst residual against iteration, one
 * line per solver) — what {@code %solve} shows.
 */
public final class SolverReports {

    private SolverReports() {
    }

    /**
     * Runs each named solver from the problem's z0 with the same options. A solver that diverges
     * still contributes its stats (the failure is the finding), so one bad solver does not hide others.
     */
    public static List<SolverStats> compare(FixedPointProblem problem, List<String> solvers, SolverOptions options) {
        solvers.forEach(Solvers::get); // unknown names fail before any work
        List<SolverStats> out = new ArrayList<>();
        try (NDManager manager = Engines.newManager()) {
            for (String name : solvers) {
                try (NDManager run = manager.newSubManager()) {
                    out.add(Solvers.get(name).solve(problem.map(run), problem.z0(run), options).stats());
                } catch (SolverDivergedException e) {
                    out.add(e.stats());
                }
            }
        }
        return out;
    }

    /** One row per run: solver, converged, iterations, f-evals, lowest residuals (batch worst), wall ms, notes. */
    public static Table table(List<SolverStats> runs) {
        StringColumn solver = StringColumn.create("solver");
        BooleanColumn converged = BooleanColumn.create("converged");
        IntColumn iterations = IntColumn.create("iterations");
        IntColumn fEvals = IntColumn.create("f_evals");
        DoubleColumn rel = DoubleColumn.create("lowest_rel");
        DoubleColumn abs = DoubleColumn.create("lowest_abs");
        DoubleColumn wall = DoubleColumn.create("wall_ms");
        StringColumn notes = StringColumn.create("notes");
        for (SolverStats s : runs) {
            solver.append(String.join(" -> ", s.solvers()));
            converged.append(s.converged());
            iterations.append(s.iterations());
            fEvals.append(s.fEvals());
            rel.append(s.maxLowestRel());
            abs.append(s.maxLowestAbs());
            wall.append(s.wallMillis());
            List<String> n = new ArrayList<>(s.fallbacks());
            n.addAll(s.warnings());
            notes.append(String.join("; ", n));
        }
        String stop = runs.isEmpty() ? "" : " (stop " + runs.get(0).stopMode().name().toLowerCase(java.util.Locale.ROOT)
                + " residual < " + runs.get(0).tol() + ")";
        return Table.create("solver comparison" + stop, solver, converged, iterations, fEvals, rel, abs, wall, notes);
    }

    /** Long form: solver, iteration (1-based), residual (batch worst, of the stop mode), log10_residual. */
    public static Table traces(List<SolverStats> runs) {
        StringColumn solver = StringColumn.create("solver");
        IntColumn iteration = IntColumn.create("iteration");
        DoubleColumn residual = DoubleColumn.create("residual");
        DoubleColumn log10 = DoubleColumn.create("log10_residual");
        for (SolverStats s : runs) {
            double[] trace = s.stopMode() == org.deqnc.solver.StopMode.ABS ? s.batchMaxAbsTrace() : s.batchMaxRelTrace();
            for (int i = 0; i < trace.length; i++) {
                solver.append(String.join(" -> ", s.solvers()));
                iteration.append(i + 1);
                residual.append(trace[i]);
                log10.append(Math.log10(trace[i]));
            }
        }
        return Table.create("residual traces", solver, iteration, residual, log10);
    }

    /** log10 residual against iteration, one line per solver. */
    public static Chart convergence(List<SolverStats> runs) {
        String mode = runs.isEmpty() ? "" : runs.get(0).stopMode().name().toLowerCase(java.util.Locale.ROOT) + " ";
        return Figures.line(traces(runs)).x("iteration").y("log10_residual").by("solver")
                .title("Convergence").labels("iteration", "log10 " + mode + "residual (batch max)");
    }
}
