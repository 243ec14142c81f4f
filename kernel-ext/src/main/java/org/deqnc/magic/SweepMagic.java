package org.deqnc.magic;

import org.deqnc.render.DisplayTarget;
import org.deqnc.render.Html;
import org.deqnc.render.ProgressBar;
import org.deqnc.render.TableRendering;
import org.deqnc.sweep.CellOutcome;
import org.deqnc.sweep.Grid;
import org.deqnc.sweep.Sweep;
import org.deqnc.sweep.SweepInterruptedException;
import org.deqnc.sweep.SweepListener;
import org.deqnc.sweep.SweepProgress;
import org.deqnc.sweep.SweepResult;
import org.deqnc.sweep.SweepStatus;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code %%sweep VAR [resume|fresh|submit|status]} with a grid body ({@code key = value} fixed, {@code key = v1,
 * v2, ...} an axis): {@link Sweep#run} with one progress bar over the cells, then the summary table; the
 * {@link SweepResult} lands in notebook variable VAR. Finished cells are skipped and interrupted ones resume, so
 * re-running the cell after an interrupt or a kernel restart continues; {@code fresh} discards this grid's earlier
 * results first. With {@code backend = slurm}, {@code submit} hands the cells to the scheduler and returns at once
 * (a notebook on a login node need not stay open), and {@code status} shows where they stand and collects the
 * completed ones into VAR.
 */
final class SweepMagic {

    private static final String MAGIC = "%%sweep";
    private static final List<String> MODES = List.of("resume", "fresh", "submit", "status");

    private SweepMagic() {
    }

    static MagicSpec spec() {
        return MagicSpec.cell("sweep")
                .syntax("%%sweep VAR [resume|fresh|submit|status]\\nkey = value\\nkey = v1, v2, ...\\n...")
                .summary("Run a grid of experiments (key = v1, v2, ... is an axis) in worker processes; SweepResult in VAR.")
                .help("VAR     notebook variable that receives the SweepResult; also the sweep name unless the body sets name\n"
                        + "resume  (default) skip completed cells, resume interrupted ones from their checkpoints, retry failed ones\n"
                        + "fresh   delete this grid's earlier cell results and run every cell from scratch\n"
                        + "submit  (backend = slurm) submit the cells neither completed nor queued as one sbatch array job and\n"
                        + "        return at once; interrupted cells resume from their checkpoints (docs/cluster.md)\n"
                        + "status  pending, running, done and failed cells (failed ones with their log's last lines), from\n"
                        + "        squeue and the cells' files; VAR receives the completed cells collected so far\n"
                        + "Body: sweep settings (name, out, workers, backend), fixed experiment keys (key = value) and axes\n"
                        + "(key = v1, v2, ...; for a list-valued key separate the alternatives with |). The cells are every\n"
                        + "combination, the first axis varying slowest; a cell whose values are invalid fails alone.\n"
                        + "Output: out/sweeps/<name>/ (grid.txt, cells/<id>/ with metrics.csv, checkpoint, provenance, log,\n"
                        + "results.csv, summary.csv). Re-running the cell after an interrupt or a kernel restart continues.\n"
                        + "A cell runs alone as: java -cp <classpath> org.deqnc.sweep.RunCell out/sweeps/<name>/grid.txt <index>\n"
                        + "Java: Sweep.run(Grid.parse(body), listener); VAR.table(), VAR.summary(), VAR.overSeeds(\"test_acc\")\n"
                        + "Example:\n%%sweep imb\ndataset = fashion-mnist\nper_class = 500\nepochs = 10\n"
                        + "model = explicit, deq\nK_A = 3, 5, 7\nR = 10, 50, 100\nseed = 1, 2\n\n"
                        + Grid.help())
                .completer((previous, prefix) -> previous.size() == 1 ? MODES : List.of())
                .runsCell((kernel, args, body) -> {
                    String variable = NotebookValues.variableAndMode(MAGIC, args, MODES);
                    Grid grid = Grid.parse(body);
                    if (grid.settings().isDefault(Grid.NAME.name())) {
                        grid = grid.withName(variable);
                    }
                    String modeName = args.size() == 2 ? args.get(1) : "resume";
                    if (modeName.equals("submit") || modeName.equals("status")) {
                        SweepStatus status = modeName.equals("submit") ? Sweep.submit(grid, Sweep.Mode.RESUME)
                                : Sweep.status(grid);
                        SweepResult collected = Sweep.collect(grid);
                        NotebookValues.define(kernel, MAGIC, "VAR", variable, SweepResult.class, collected);
                        kernel.display(display(status, collected));
                        return null;
                    }
                    Sweep.Mode mode = modeName.equals("fresh") ? Sweep.Mode.FRESH : Sweep.Mode.RESUME;
                    SweepResult result;
                    try {
                        result = Sweep.run(grid, mode, progressBar(kernel, grid));
                    } catch (SweepInterruptedException e) {
                        kernel.display(new DisplayData(MAGIC + ": " + e.getMessage()));
                        throw e;
                    }
                    NotebookValues.define(kernel, MAGIC, "VAR", variable, SweepResult.class, result);
                    kernel.display(display(result));
                    return null;
                });
    }

    /** The cell counts and failures (with their logs' last lines), then the summary table of what is collected. */
    static DisplayData display(SweepStatus status, SweepResult collected) {
        DisplayData dd = new DisplayData(status.toString());
        dd.putHTML("<div class=\"deq-sweep\"><pre>" + Html.escape(status.toString()) + "</pre>"
                + TableRendering.html(collected.summary()) + "</div>");
        return dd;
    }

    /** What ran and how it ended, then the summary table. */
    static DisplayData display(SweepResult r) {
        DisplayData dd = new DisplayData(r.toString());
        StringBuilder failed = new StringBuilder();
        for (CellOutcome o : r.failed()) {
            failed.append("<br>").append(Html.escape(o.toString()));
        }
        dd.putHTML("<div class=\"deq-sweep\"><p>" + Html.escape(r.toString().lines().findFirst().orElse("")) + failed
                + "</p>" + TableRendering.html(r.summary()) + "</div>");
        return dd;
    }

    /**
     * The notebook's progress display of a sweep, for {@code %%sweep} and (installed as
     * {@link Sweep#setDefaultListener}) for {@code Sweep.run(grid)} in a cell: one bar with its ETA.
     */
    static SweepListener progressBar(BaseKernel kernel, Grid grid) {
        return new Bar(kernel, grid.name() + ": " + grid.cells().size() + " cells");
    }

    /** One bar over the epochs of the cells this run trains (its ETA), labelled with the cell counts. */
    private static final class Bar implements SweepListener {
        private final BaseKernel kernel;
        private final String label;
        private ProgressBar bar;

        Bar(BaseKernel kernel, String label) {
            this.kernel = kernel;
            this.label = label;
        }

        @Override
        public void onProgress(SweepProgress p) {
            if (bar == null) {
                bar = ProgressBar.start(DisplayTarget.of(kernel), label, Math.max(1, p.epochsTotal()));
            }
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("cells_ended", p.ended());
            m.put("running", p.running());
            m.put("failed", p.failed());
            bar.update(p.epochsTotal() == 0 ? 1 : p.epochsDone(), m);
        }

        @Override
        public void onFinished() {
            if (bar != null) {
                bar.finish();
            }
        }
    }
}
