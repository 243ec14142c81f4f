package org.deqnc.magic;

import org.deqnc.chart.Chart;
import org.deqnc.chart.Figures;
import org.deqnc.render.ChartRendering;
import org.deqnc.render.DisplayTarget;
import org.deqnc.render.DomainRendering;
import org.deqnc.render.LiveOutput;
import org.deqnc.render.ProgressBar;
import org.deqnc.train.EpochMetrics;
import org.deqnc.train.Experiment;
import org.deqnc.train.ExperimentInterruptedException;
import org.deqnc.train.ExperimentResult;
import org.deqnc.train.ExperimentRunner;
import org.deqnc.train.Progress;
import org.deqnc.train.ProgressListener;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code %%experiment VAR [resume]} with a {@code key = value} body: {@link ExperimentRunner#run} (or
 * {@link ExperimentRunner#resume}) with a progress bar and a metrics chart redrawn after every epoch; the
 * {@link ExperimentResult} lands in notebook variable VAR. An interrupt stops the run before its next
 * batch, keeping the last epoch's checkpoint; the same cell with {@code resume} continues from it.
 */
final class ExperimentMagic {

    private static final String MAGIC = "%%experiment";
    /** Metrics drawn live, when the run reports them. */
    static final List<String> LIVE_METRICS = List.of("train_loss", "train_acc", "test_acc", "nc1");

    private ExperimentMagic() {
    }

    static MagicSpec spec() {
        MagicSpec.ArgumentCompleter keys = KeyValues.completer(Experiment.SCHEMA);
        return MagicSpec.cell("experiment")
                .syntax("%%experiment VAR [resume]\\nkey = value\\n...")
                .summary("Train an experiment (key = value body) with a live progress bar and metrics chart; result in VAR.")
                .help("VAR     notebook variable that receives the ExperimentResult; also the run name unless the body sets name\n"
                        + "resume  continue the interrupted run of the same body from its last checkpoint\n"
                        + "Output: out/runs/<name>/ (metrics.csv, checkpoint, provenance) unless the body sets out.\n"
                        + "Java: ExperimentRunner.run(Experiment.parse(body).withName(VAR), listener), ExperimentRunner.resume(dir, listener)\n"
                        + "Example:\n%%experiment run\nmodel = deq\ndataset = fashion-mnist\nK_A = 3\nR = 10\nepochs = 10\nseed = 1\n\n"
                        + Experiment.help())
                .completer((previous, prefix) -> previous.size() == 1 ? List.of("resume") : List.of())
                .runsCell((kernel, args, body) -> {
                    String variable = NotebookValues.variableAndMode(MAGIC, args, List.of("resume"));
                    Experiment experiment = Experiment.parse(body);
                    if (experiment.asConfig().isDefault(Experiment.NAME.name())) {
                        experiment = experiment.withName(variable);
                    }
                    boolean resume = args.size() == 2;
                    Path dir = experiment.outDirectory();
                    if (resume && !Files.exists(dir)) {
                        throw new MagicException(MAGIC, "resume: no run to resume in " + dir + "; run the cell without resume first");
                    }
                    Live live = new Live(kernel, experiment.name());
                    ExperimentResult result;
                    try {
                        result = resume ? ExperimentRunner.resume(dir, live) : ExperimentRunner.run(experiment, live);
                    } catch (ExperimentInterruptedException e) {
                        live.abandon();
                        kernel.display(new DisplayData(MAGIC + ": " + e.getMessage() + "; " + e.epochsDone() + " epochs checkpointed in "
                                + e.directory() + "; add 'resume' after " + variable + " to continue"));
                        throw e;
                    }
                    live.finish();
                    NotebookValues.define(kernel, MAGIC, "VAR", variable, ExperimentResult.class, result);
                    kernel.display(DomainRendering.experimentResult(result));
                    kernel.display(ChartRendering.displayData(kernel, metricsChart(result.metrics(), experiment.name())));
                    return null;
                });
    }

    /** The metrics chart: the live ones that are numbers, against epoch. */
    static Chart metricsChart(Table metrics, String name) {
        List<String> y = LIVE_METRICS.stream().filter(metrics::containsColumn).toList();
        return Figures.line(metrics).x("epoch").y(y).title(name + ": metrics per epoch");
    }

    /**
     * Progress bar plus a static metrics chart, both updated in place. The chart is drawn on its own
     * thread: the runner calls back on the training thread, which must get back to checking for
     * interrupts at once (drawing the first chart of a session can take seconds).
     */
    private static final class Live implements ProgressListener {
        private final BaseKernel kernel;
        private final String name;
        private final LiveOutput chart;
        private final List<EpochMetrics> rows = new ArrayList<>();
        private final ExecutorService painter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "deq-live-chart");
            t.setDaemon(true);
            return t;
        });
        private ProgressBar bar;

        Live(BaseKernel kernel, String name) {
            this.kernel = kernel;
            this.name = name;
            this.chart = new LiveOutput(DisplayTarget.of(kernel));
        }

        @Override
        public void onProgress(Progress p) {
            if (bar == null) {
                bar = ProgressBar.start(DisplayTarget.of(kernel), name, p.total());
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("epoch", (double) p.epoch());
            if (!Double.isNaN(p.trainLoss())) {
                m.put("loss", p.trainLoss());
            }
            if (p.latest() != null) {
                m.put("test_acc", p.latest().get("test_acc"));
                m.put("nc1", p.latest().get("nc1"));
            }
            bar.update(p.done(), m);
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
            rows.add(metrics);
            List<EpochMetrics> snapshot = List.copyOf(rows);
            painter.execute(() -> {
                Chart c = metricsChart(table(snapshot), name);
                // A static picture while training (no scripts to re-run); the interactive one comes at the end.
                DisplayData dd = new DisplayData(ChartRendering.describe(c) + "\n" + metrics);
                dd.putData(MIMEType.IMAGE_PNG, Base64.getEncoder().encodeToString(c.toPng()));
                chart.set(dd);
            });
        }

        /** Draws the final state: the bar at its end, the chart of every epoch. */
        void finish() throws InterruptedException {
            if (bar != null) {
                bar.finish();
            }
            painter.shutdown();
            painter.awaitTermination(30, TimeUnit.SECONDS);
        }

        /** Stops drawing at once (the run was interrupted). */
        void abandon() {
            painter.shutdownNow();
        }

        private static Table table(List<EpochMetrics> rows) {
            IntColumn epoch = IntColumn.create("epoch");
            Table t = Table.create("metrics", epoch);
            LIVE_METRICS.forEach(c -> t.addColumns(DoubleColumn.create(c)));
            for (EpochMetrics r : rows) {
                epoch.append(r.epoch());
                LIVE_METRICS.forEach(c -> t.doubleColumn(c).append(r.get(c)));
            }
            return t;
        }
    }
}
