package org.deqnc.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
import org.deqnc.train.RunnerTwinExport;

/**
 * Epoch time of the explicit model and the DEQ through the same {@link ExperimentRunner} the notebooks use, in
 * the experiment notebooks' quick profile (notebooks 20 and 21: Fashion-MNIST, 500 training and 300 test images
 * per class, encoder width 64, tanh mlp cells of 64 units, explicit depth 4, Anderson m=5 tol 1e-3 at most 20
 * iterations, implicit backward, SGD lr 0.05 momentum 0.9 weight decay 5e-4, batch 128, seed 1), with the mlp
 * and the small cnn encoder. The first {@code warmup} epochs are warm-up; each later epoch is one repeat. One
 * warm-up epoch (40 batches) is not enough for the JVM: the runner's per-batch Java code is called only tens of
 * times per epoch and reaches C2 after several epochs (the explicit model, first in the process, ran its second
 * and third epochs at about twice its later time), so the default warms up for four; the twin gets the same
 * warm-up epochs and the warm-up epochs' times are printed too ({@code warmup_train_ms}). Prints one BENCH line
 * per model and encoder ({@code train_epoch_<model>_<encoder>_ours}): median and spread of the whole epoch
 * (train, both evaluation passes, NC report, checkpoint), the train phase alone ({@code train_median_ms}), the JIT
 * compilers' milliseconds during the timed and the warm-up epochs ({@code jit_ms}, {@code warmup_jit_ms}: a fresh JVM
 * compiles for seconds, and on two cores that slows the epochs it overlaps; {@code epochs=45 warmup=40} measures
 * after it has settled), mean
 * forward/backward solver iterations, the final test accuracy and the last epoch's mean training loss (which the twin
 * prints too: equal losses check that both trained the same network). With {@code export=<dir>} it also writes, per
 * model and encoder, the runner's data, batch orders and initial weights to {@code <dir>/<model>_<encoder>/}
 * for {@code environment/bench/runner_torch.py}, the PyTorch twin of the train phase.
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/runtime.classpath)
 * org.deqnc.bench.TrainEpochBenchmark [per_class=500 epochs=7 warmup=4 encoders=mlp,cnn export=out/bench/runner]}
 * (keys: {@link #SCHEMA}); the Fashion-MNIST IDX files are read from the Debian package's directory (see
 * {@code org.deqnc.data.FashionMnist}).
 */
public final class TrainEpochBenchmark {

    private TrainEpochBenchmark() {
    }

    /**
     * Wall time of every epoch and of its train phase, from the progress callbacks, and the JIT compilers' time
     * during each epoch (summed over their threads, from {@link CompilationMXBean}; -1 where the JVM does not
     * report it): on a 2-core machine a compiler thread busy beside two libtorch threads slows the epoch.
     */
    private static final class Clock implements ProgressListener {
        private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
        final List<Double> epochMs = new ArrayList<>();
        final List<Double> trainMs = new ArrayList<>();
        final List<Long> jitMs = new ArrayList<>();
        private long epochStart = System.nanoTime();
        private long jitAtStart = jitTotal();
        private long lastTrainBatch;

        private static long jitTotal() {
            return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : -1;
        }

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
            long jit = jitTotal();
            jitMs.add(jit < 0 ? -1 : jit - jitAtStart);
            jitAtStart = jit;
        }
    }

    static final ConfigKey<Integer> PER_CLASS = ConfigKey.ofInt("per_class", 500, 1, 6000,
            "Fashion-MNIST training samples per class");
    static final ConfigKey<Integer> TEST_PER_CLASS = ConfigKey.ofInt("test_per_class", 300, 1, 1000,
            "Fashion-MNIST test samples per class");
    static final ConfigKey<Integer> EPOCHS = ConfigKey.ofInt("epochs", 7, 2, 1000,
            "epochs per model, the warm-up ones included");
    static final ConfigKey<Integer> WARMUP = ConfigKey.ofInt("warmup", 4, 1, 999,
            "epochs per model before the timed ones (fewer than epochs)");
    static final ConfigKey<List<String>> ENCODERS = ConfigKey.ofList("encoders", List.of("mlp", "cnn"),
            () -> Set.of("mlp", "cnn"), "encoders to run, each with the explicit model and the DEQ");
    static final ConfigKey<String> EXPORT = ConfigKey.ofString("export", "",
            "directory to write each run's data, batch orders and initial weights to, for runner_torch.py");
    static final ConfigSchema SCHEMA = ConfigSchema.builder("TrainEpochBenchmark").add(PER_CLASS).add(TEST_PER_CLASS)
            .add(EPOCHS).add(WARMUP).add(ENCODERS).add(EXPORT).build();

    public static void main(String[] argv) throws IOException {
        Config args = SCHEMA.parseArgs(String.join(" ", argv));
        int warmup = args.get(WARMUP);
        if (warmup >= args.get(EPOCHS)) {
            throw new IllegalArgumentException("warmup: must be below epochs (" + args.get(EPOCHS) + "), got " + warmup);
        }
        Path out = Files.createTempDirectory("train-epoch-bench");
        // notebooks 20 and 21, quick profile (their parameters cell), one seed
        String common = String.join("\n", "dataset = fashion-mnist", "per_class = " + args.get(PER_CLASS),
                "test_per_class = " + args.get(TEST_PER_CLASS), "encoder_width = 64", "depth = 4",
                "deq.hidden = 64", "deq.solver = anderson", "deq.tol = 1e-3", "deq.max_iter = 20",
                "deq.backward = implicit", "optimizer = sgd", "momentum = 0.9", "weight_decay = 5e-4", "lr = 0.05",
                "batch_size = 128", "seed = 1", "epochs = " + args.get(EPOCHS), "");
        System.out.println("# " + Engines.describe() + "; " + Runtime.getRuntime().availableProcessors() + " cpus; "
                + Engines.processEnvironment() + "; " + args + "; the first " + warmup + " epoch(s) per model are warm-up");
        for (String encoder : args.get(ENCODERS)) {
            double explicit = 0;
            for (String model : List.of("explicit", "deq")) {
                Experiment e = Experiment.parse(common + "encoder = " + encoder + "\nmodel = " + model + "\n");
                if (!args.get(EXPORT).isEmpty()) {
                    RunnerTwinExport.write(e, warmup, Path.of(args.get(EXPORT), model + "_" + encoder));
                }
                double ms = measure(model + "_" + encoder, e, warmup, out);
                if (model.equals("explicit")) {
                    explicit = ms;
                } else {
                    System.out.printf(Locale.ROOT, "# %s encoder: ratio epoch deq / explicit %.2f%n", encoder,
                            ms / explicit);
                }
            }
        }
    }

    /** Runs one model, prints its BENCH line and returns its median epoch time. */
    private static double measure(String model, Experiment e, int warmup, Path out) {
        Clock clock = new Clock();
        ExperimentResult r = ExperimentRunner.run(e, out.resolve(model), clock);
        double[] epoch = timed(clock.epochMs, warmup);
        double[] train = timed(clock.trainMs, warmup);
        EpochMetrics last = r.last();
        BenchLine line = new BenchLine("train_epoch_" + model + "_ours", epoch)
                .with("train_median_ms", BenchLine.median(train))
                .with("warmup_train_ms", join(clock.trainMs.subList(0, warmup)))
                .with("jit_ms", jitSum(clock.jitMs.subList(warmup, clock.jitMs.size())))
                .with("warmup_jit_ms", jitSum(clock.jitMs.subList(0, warmup)))
                .with("iters", mean(r, "fwd_iters_mean", warmup))
                .with("bwd_iters", mean(r, "bwd_iters_mean", warmup)).with("accuracy", last.get("test_acc"))
                .with("loss", last.get("train_loss")).with("impl", "ours");
        System.out.println(line);
        return line.medianMs();
    }

    /** The sorted times after the warm-up epochs. */
    private static double[] timed(List<Double> ms, int warmup) {
        double[] t = ms.subList(warmup, ms.size()).stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(t);
        return t;
    }

    /** The warm-up epochs' times in their order, comma-separated (how the first epochs approach the timed ones). */
    private static String join(List<Double> ms) {
        return String.join(",", ms.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList());
    }

    /** JIT compilation ms over these epochs, "na" where the JVM does not report it. */
    private static String jitSum(List<Long> ms) {
        return ms.contains(-1L) ? "na" : Long.toString(ms.stream().mapToLong(Long::longValue).sum());
    }

    /** Mean of a solver column over the timed epochs; "na" for the explicit model. */
    private static String mean(ExperimentResult r, String column, int warmup) {
        double m = r.epochs().stream().skip(warmup).mapToDouble(x -> x.get(column)).average().orElse(Double.NaN);
        return Double.isNaN(m) ? "na" : String.format(Locale.ROOT, "%.2f", m);
    }
}
