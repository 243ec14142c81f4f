package org.deqnc.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.deq.DeqBlock;
import org.deqnc.deq.DeqConfig;
import org.deqnc.engine.Engines;
import org.deqnc.solver.SolverStats;
import org.deqnc.train.OptimizerKind;
import org.deqnc.train.TrainingStep;

/**
 * Training step of a convolutional DEQ cell on 32×32×3 inputs (the paper profile's input size at a smaller width):
 * f(z) = tanh(W ⊛ z + U ⊛ x + b), 16 channels, 3×3 kernels, Anderson m=5 rel tol 1e-3 at most 30 iterations,
 * implicit backward (adjoint Anderson, vector–Jacobian products by autograd), then global average pooling and a
 * linear classifier over 10 classes; batch 32, float32, Adam lr 1e-3 through {@link TrainingStep}. The inputs are
 * seeded N(0, 1) images with uniform labels: the cost of a step does not depend on what the pixels show, and the
 * twin ({@code environment/bench/conv_deq_torch.py}) reads the same numbers and initial weights from
 * {@code export=}. Prints {@code BENCH name=conv_deq_step_ours} with the mean forward and backward iterations.
 * Run it with {@code ONEDNN_MAX_CPU_ISA=AVX2}, as {@code bench.sh} does: oneDNN's AVX-512 float32 convolution
 * gradients are wrong on some CPUs (see {@code docs/cpu-notes.md}).
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/runtime.classpath)
 * org.deqnc.bench.ConvDeqStepBenchmark [steps=10 warmup=3 repeats=3 export=out/bench/conv]}; keys: {@link #SCHEMA}.
 */
public final class ConvDeqStepBenchmark {

    static final int BATCH = 32;
    static final int CHANNELS = 3;
    static final int SIZE = 32;
    static final int CLASSES = 10;
    private static final double LR = 1e-3;
    static final String DEQ_CONFIG = "cell=conv act=tanh hidden=16 solver=anderson m=5 stop_mode=rel tol=1e-3 "
            + "max_iter=30 b_solver=anderson b_tol=1e-3 b_max_iter=30 b_stop_mode=rel backward=implicit";

    static final ConfigKey<Integer> STEPS = ConfigKey.ofInt("steps", 10, 1, 100_000, "timed steps per repeat");
    static final ConfigKey<Integer> WARMUP = ConfigKey.ofInt("warmup", 3, 0, 100_000, "untimed steps first");
    static final ConfigKey<Integer> REPEATS = ConfigKey.ofInt("repeats", 3, 1, 1000, "repeats (median and spread)");
    static final ConfigKey<Integer> SAMPLES = ConfigKey.ofInt("samples", 256, BATCH, 100_000,
            "images cycled through, in batches of " + BATCH);
    static final ConfigKey<Long> SEED = ConfigKey.ofLong("seed", 1, "seed of weights and data");
    static final ConfigKey<String> EXPORT = ConfigKey.ofString("export", "out/bench/conv",
            "directory to write the data and initial weights to, for conv_deq_torch.py");
    static final ConfigSchema SCHEMA = ConfigSchema.builder("ConvDeqStepBenchmark").add(STEPS).add(WARMUP)
            .add(REPEATS).add(SAMPLES).add(SEED).add(EXPORT).build();

    private ConvDeqStepBenchmark() {
    }

    public static void main(String[] argv) {
        Config args = SCHEMA.parseArgs(String.join(" ", argv));
        long seed = args.get(SEED);
        int samples = args.get(SAMPLES) / BATCH * BATCH;
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[samples * CHANNELS * SIZE * SIZE];
        float[] y = new float[samples];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) gaussian(random);
        }
        for (int i = 0; i < samples; i++) {
            y[i] = random.nextInt(CLASSES);
        }
        Path export = Path.of(args.get(EXPORT));
        Npy.write(export.resolve("x.npy"), x, new long[] {samples, CHANNELS, SIZE, SIZE});
        Npy.write(export.resolve("y.npy"), y, new long[] {samples});
        try (NDManager root = Engines.newManager()) {
            DeqBlock deq = new DeqBlock(DeqConfig.parse(DEQ_CONFIG + " seed=" + seed));
            SequentialBlock block = new SequentialBlock().add(deq).add(Pool.globalAvgPool2dBlock())
                    .add(Linear.builder().setUnits(CLASSES).build());
            Engines.pytorch().setRandomSeed((int) seed);
            block.initialize(root, DataType.FLOAT32, new Shape(BATCH, CHANNELS, SIZE, SIZE));
            List<Parameter> ps = block.getParameters().stream().map(Pair::getValue).toList();
            for (int i = 0; i < ps.size(); i++) {
                NDArray p = ps.get(i).getArray();
                Npy.write(export.resolve("conv_" + i + ".npy"), p.toFloatArray(), p.getShape().getShape());
            }
            System.out.println("# " + Engines.describe() + "; " + Runtime.getRuntime().availableProcessors()
                    + " cpus; " + Engines.processEnvironment() + "; " + DEQ_CONFIG + "; " + args);
            NDArray xs = root.create(x, new Shape(samples, CHANNELS, SIZE, SIZE));
            NDArray ys = root.create(y);
            int batches = samples / BATCH;
            double[] medians = new double[args.get(REPEATS)];
            double fwd = 0;
            double bwd = 0;
            int cursor = 0;
            try (TrainingStep step = TrainingStep.of(block, OptimizerKind.ADAM, 0, 0, root)) {
                for (int w = 0; w < args.get(WARMUP); w++) {
                    timedStep(root, step, xs, ys, cursor++ % batches);
                }
                for (int r = 0; r < medians.length; r++) {
                    double[] ms = new double[args.get(STEPS)];
                    for (int s = 0; s < ms.length; s++) {
                        ms[s] = timedStep(root, step, xs, ys, cursor++ % batches);
                        SolverStats b = deq.lastBackwardStats();
                        fwd += deq.lastForwardStats().iterations();
                        bwd += b == null ? 0 : b.iterations();
                    }
                    medians[r] = BenchLine.median(ms);
                }
            }
            int timed = medians.length * args.get(STEPS);
            System.out.println(new BenchLine("conv_deq_step_ours", medians).with("impl", "ours")
                    .with("iters", fwd / timed).with("bwd_iters", bwd / timed));
        }
    }

    /** One training step on batch {@code b}; its wall ms. */
    private static double timedStep(NDManager root, TrainingStep step, NDArray xs, NDArray ys, int b) {
        try (NDManager scope = root.newSubManager()) {
            NDArray x = xs.get(b * BATCH + ":" + (b + 1) * BATCH).duplicate();
            NDArray y = ys.get(b * BATCH + ":" + (b + 1) * BATCH).duplicate();
            x.attach(scope);
            y.attach(scope);
            long t0 = System.nanoTime();
            step.step(x, y, LR);
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** A standard normal draw (Box–Muller), so the data depend on the seed alone. */
    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
