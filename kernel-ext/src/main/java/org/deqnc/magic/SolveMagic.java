package org.deqnc.magic;

import org.deqnc.chart.Chart;
import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.config.DidYouMean;
import org.deqnc.render.ChartRendering;
import org.deqnc.render.TableRendering;
import org.deqnc.report.FixedPointProblem;
import org.deqnc.report.SolverReports;
import org.deqnc.solver.SolverOptions;
import org.deqnc.solver.SolverStats;
import org.deqnc.solver.Solvers;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code %solve key=value …}: {@link SolverReports#compare} on a built-in or notebook
 * {@link FixedPointProblem}; shows the SolverStats table and the log10 residual chart.
 */
final class SolveMagic {

    static final ConfigKey<String> PROBLEM = ConfigKey.ofString("problem", "tanh-contraction",
            "a built-in problem (" + String.join(", ", FixedPointProblem.BUILT_IN) + ") or a notebook variable holding a FixedPointProblem");
    static final ConfigKey<List<String>> SOLVERS = ConfigKey.ofList("solvers", List.of("picard", "anderson", "broyden"),
            Solvers::names, "the solvers to compare, each from the same z0");
    static final ConfigKey<Integer> DIM = ConfigKey.ofInt("dim", 64, 1, 4096, "state dimension of a built-in problem");
    static final ConfigKey<Integer> BATCH = ConfigKey.ofInt("batch", 4, 1, 4096, "batch size of a built-in problem");
    static final ConfigKey<Double> W_NORM = ConfigKey.ofDouble("w_norm", 0.9, ConfigKey.Range.positive(),
            "spectral norm of W in a built-in problem (< 1: a contraction)");
    static final ConfigKey<Long> SEED = ConfigKey.ofLong("seed", 0, "seed of W and x in a built-in problem");
    static final ConfigKey<String> SAVE = ConfigKey.ofString("save", "", "also write the chart to this .png, .svg or .html file");

    /** The problem and chart keys, with every {@link SolverOptions} key between them. */
    static final ConfigSchema SCHEMA = schema();

    private SolveMagic() {
    }

    private static ConfigSchema schema() {
        ConfigSchema.Builder b = ConfigSchema.builder("%solve").add(PROBLEM).add(SOLVERS).add(DIM).add(BATCH).add(W_NORM).add(SEED);
        SolverOptions.SCHEMA.keys().forEach(b::add);
        return b.add(SAVE).build();
    }

    static MagicSpec spec() {
        return MagicSpec.line("solve")
                .syntax("%solve [problem=tanh-contraction|linear|VAR] [solvers=picard,anderson,broyden] [key=value ...]")
                .summary("Run one or several fixed-point solvers on one problem: SolverStats table + log10 residual chart.")
                .help("Java: SolverReports.compare(problem, solvers, options), SolverReports.table(runs), SolverReports.convergence(runs).\n"
                        + "Example: %solve problem=tanh-contraction w_norm=0.95 solvers=picard,anderson tol=1e-6 max_iter=200\n\n"
                        + SCHEMA.help())
                .completer(KeyValues.completer(SCHEMA))
                .runs((kernel, args) -> {
                    Config c = KeyValues.parse(SCHEMA, args);
                    if (c.get(SOLVERS).isEmpty()) {
                        throw new MagicException("%solve", "solvers: needs at least one of " + String.join(", ", Solvers.names()));
                    }
                    List<SolverStats> runs = SolverReports.compare(problem(kernel, c), c.get(SOLVERS), SolverOptions.from(c));
                    kernel.display(TableRendering.displayData(SolverReports.table(runs)));
                    Chart chart = SolverReports.convergence(runs);
                    if (!c.get(SAVE).isEmpty()) {
                        chart.save(Path.of(c.get(SAVE)));
                    }
                    kernel.display(ChartRendering.displayData(kernel, chart));
                    return null;
                });
    }

    private static FixedPointProblem problem(BaseKernel kernel, Config c) {
        String name = c.get(PROBLEM);
        if (FixedPointProblem.BUILT_IN.contains(name)) {
            return FixedPointProblem.builtIn(name, c.get(DIM), c.get(BATCH), c.get(W_NORM), c.get(SEED));
        }
        try {
            return (FixedPointProblem) NotebookValues.variable(kernel, "%solve", "problem", name, FixedPointProblem.class);
        } catch (MagicException e) {
            throw new MagicException("%solve", "problem: '" + name + "' is neither a built-in problem" + DidYouMean.hint(name, FixedPointProblem.BUILT_IN)
                    + " nor a notebook FixedPointProblem; accepted: " + String.join(", ", FixedPointProblem.BUILT_IN) + " or a variable name");
        }
    }
}
