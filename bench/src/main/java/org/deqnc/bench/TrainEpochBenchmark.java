package org.deqnc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.engine.Engines;
import org.deqnc.train.EpochMetrics;
import org.deqnc.train.Experiment;
import org.deqnc.train.ExperimentResult;
import org.deqnc.train.ExperimentRunner;
import org.deqnc.train.Progress;
import org.deqnc.train.ProgressListener;

/**
 * Epoch time of the explicit model against the DEQ on a balanced Fashion-MNIST subset (quick CPU profile: mlp
 * encoder of 128 units, tanh mlp cells of 128 units, explicit depth 4, Anderson m=5, tol 1e-4, at most 30
 * iterations, implicit backward, SGD lr 0.05, batch 128), through the same {@link ExperimentRunner} the notebooks
 * use. The first epoch is a warm-up; each later epoch is one repeat. Prints one BENCH line per model: median
 * and spread of the whole epoch (train, both evaluation passes, NC report, checkpoint), the train phase alone,
 * mean forward/backward solver iterations and the final test accuracy, then the DEQ/explicit ratio.
 *
 * <p>Run: {@code mvn -q -pl bench -am compile exec:java -Dexec.mainClass=org.deqnc.bench.TrainEpochBenchmark
 * [-Dexec.args="per_class=300 epochs=4"]} (keys: {@link #SCHEMA}); the Fashion-MNIST
 * IDX files are read from the Debian package's directory (see {@code org.deqnc.data.FashionMnist}).
 */
public final class TrainEpochBenchmark {

    private TrainEpochBenchmark() {
    }

    /** Wall time of every epoch and of its train phase, from the progress callbacks. */
    private static final class Clock implements ProgressListener {
        final List<Double> epochMs = new ArrayList<>();
        final List<Double> trainMs = new ArrayList<>();
        private long epochStart = System.nanoTime();
        private long lastTrainBatch;

        @Override
        public void onProgress(Progress p) {
            if (p.phase().equals("train")) {
                lastTrainBatch = System.nanoTime();
            }
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            long now = System.nanoTime();
            epochMs.add((now - epochStart) / 1e6);
            trainMs.add((lastTrainBatch - epochStart) / 1e6);
            epochStart = now;
        }
    }

    static final ConfigKey<Integer> PER_CLASS = ConfigKey.ofInt("per_class", 300, 1, 6000,
            "Fashion-MNIST training samples per class (a third as many test samples)");
    static final ConfigKey<Integer> EPOCHS = ConfigKey.ofInt("epochs", 4, 2, 1000,
            "epochs per model; the first is a warm-up");
    static final ConfigSchema SCHEMA = ConfigSchema.builder("TrainEpochBenchmark").add(PER_CLASS).add(EPOCHS).build();

    public static void main(String[] argv) throws IOException {
        Config args = SCHEMA.parseArgs(String.join(" ", argv));
        int perClass = args.get(PER_CLASS);
        int epochs = args.get(EPOCHS);
        Path out = Files.createTempDirectory("train-epoch-bench");
        String common = String.join("\n", "dataset = fashion-mnist", "per_class = " + perClass,
                "test_per_class = " + Math.max(1, perClass / 3), "K_A = 5", "R = 1", "encoder = mlp",
                "encoder_width = 128", "depth = 4", "deq.cell = mlp", "deq.act = tanh", "deq.hidden = 128",
                "deq.solver = anderson", "deq.m = 5", "deq.tol = 1e-4", "deq.max_iter = 30", "deq.backward = implicit",
                "optimizer = sgd", "lr = 0.05", "batch_size = 128", "seed = 1", "epochs = " + epochs, "");
        System.out.println("# " + Engines.describe() + "; " + Runtime.getRuntime().availableProcessors() + " cpus; " + Engines.processEnvironment() + "; "
                + "Fashion-MNIST " + perClass + " train / " + Math.max(1, perClass / 3) + " test samples per class; "
                + epochs + " epochs, the first is warm-up");
        double explicit = measure("explicit", Experiment.parse(common + "model = explicit\n"), out);
        double deq = measure("deq", Experiment.parse(common + "model = deq\n"), out);
        System.out.printf(Locale.ROOT, "# ratio epoch deq / explicit: %.2f%n", deq / explicit);
    }

    /** Runs one model, prints its BENCH line and returns its median epoch time. */
    private static double measure(String model, Experiment e, Path out) {
        Clock clock = new Clock();
        ExperimentResult r = ExperimentRunner.run(e, out.resolve(model), clock);
        double[] epoch = timed(clock.epochMs);
        double[] train = timed(clock.trainMs);
        EpochMetrics last = r.last();
        BenchLine line = new BenchLine("train_epoch_" + model + "_ours", epoch)
                .with("train_median_ms", BenchLine.median(train)).with("iters", mean(r, "fwd_iters_mean"))
                .with("bwd_iters", mean(r, "bwd_iters_mean")).with("accuracy", last.get("test_acc")).with("impl", "ours");
        System.out.println(line);
        return line.medianMs();
    }

    /** The sorted times after the warm-up epoch. */
    private static double[] timed(List<Double> ms) {
        double[] t = ms.subList(1, ms.size()).stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(t);
        return t;
    }

    /** Mean of a solver column over the timed epochs; "na" for the explicit model. */
    private static String mean(ExperimentResult r, String column) {
        double m = r.epochs().stream().skip(1).mapToDouble(x -> x.get(column)).average().orElse(Double.NaN);
        return Double.isNaN(m) ? "na" : String.format(Locale.ROOT, "%.2f", m);
    }
}
