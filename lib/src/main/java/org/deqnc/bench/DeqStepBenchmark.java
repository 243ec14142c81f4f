package org.deqnc.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import org.deqnc.deq.DeqBlock;
import org.deqnc.deq.DeqConfig;
import org.deqnc.deq.DeqTrainer;
import org.deqnc.engine.Engines;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training-step cost of a DEQ against an explicit MLP, measured in one run on this machine.
 *
 * <p>DEQ: 784 → tanh cell (hidden 256) → 10 classes, batch 128, float32, Anderson m=5, rel tol 1e-4,
 * max 30 iterations, with implicit and with JFB backward. MLP: 784 → 256 → 256 → 10 (tanh). Adam,
 * softmax cross-entropy, seeded synthetic data (10 Gaussian class means in 784-d plus noise).
 * Prints median ms per step over the timed steps, mean forward/backward iterations, the forward
 * solve's achieved GFLOP/s beside a plain (128×256)·(256×256) matmul's, and the DEQ/MLP ratios.
 *
 * <p>Run: {@code mvn -q -pl lib compile exec:java -Dexec.mainClass=org.deqnc.bench.DeqStepBenchmark
 * [-Dexec.args="steps warmup"]} (defaults 150 and 30).
 */
public final class DeqStepBenchmark {

    private static final int BATCH = 128;
    private static final int INPUT = 784;
    private static final int HIDDEN = 256;
    private static final int CLASSES = 10;
    private static final int BATCHES = 8;

    private DeqStepBenchmark() {
    }

    /** One model's measurements. */
    private record Result(String name, double medianMs, double fwdIters, double bwdIters, double solveGflops) {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        if (steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("usage: DeqStepBenchmark [steps >= 1] [warmup >= 0], got "
                    + String.join(" ", args));
        }
        try (NDManager data = Engines.newManager()) {
            NDArray[] xs = new NDArray[BATCHES];
            NDArray[] ys = new NDArray[BATCHES];
            syntheticData(data, xs, ys);
            String common = "cell=mlp act=tanh hidden=256 solver=anderson m=5 stop_mode=rel tol=1e-4 max_iter=30 "
                    + "b_solver=anderson b_tol=1e-4 b_max_iter=30 seed=1";
            Result implicit = runDeq("DEQ implicit", DeqConfig.parse(common + " backward=implicit"), data, xs, ys,
                    steps, warmup);
            Result jfb = runDeq("DEQ JFB", DeqConfig.parse(common + " backward=jfb"), data, xs, ys, steps, warmup);
            Result mlp = run("MLP 784-256-256-10", mlp(), null, data, xs, ys, steps, warmup);
            double matmul = matmulGflops(data);

            System.out.println(Engines.describe() + "; " + Runtime.getRuntime().availableProcessors() + " cpus; "
                    + steps + " timed steps after " + warmup + " warm-up steps; batch " + BATCH);
            System.out.printf(Locale.ROOT, "%-20s %10s %10s %10s %14s%n", "model", "ms/step", "fwd iters", "bwd iters",
                    "solve GFLOP/s");
            for (Result r : new Result[] {implicit, jfb, mlp}) {
                System.out.printf(Locale.ROOT, "%-20s %10.2f %10s %10s %14s%n", r.name, r.medianMs, fmt(r.fwdIters),
                        fmt(r.bwdIters), fmt(r.solveGflops));
            }
            System.out.printf(Locale.ROOT, "plain matmul (128x256)x(256x256): %.2f GFLOP/s%n", matmul);
            System.out.printf(Locale.ROOT, "ratio DEQ-implicit / MLP: %.2f%n", implicit.medianMs / mlp.medianMs);
            System.out.printf(Locale.ROOT, "ratio DEQ-JFB / MLP:      %.2f%n", jfb.medianMs / mlp.medianMs);
        }
    }

    private static Result runDeq(String name, DeqConfig cfg, NDManager data, NDArray[] xs, NDArray[] ys, int steps,
            int warmup) {
        DeqBlock deq = new DeqBlock(cfg);
        Block net = new SequentialBlock().add(deq).add(Linear.builder().setUnits(CLASSES).build());
        return run(name, net, deq, data, xs, ys, steps, warmup);
    }

    private static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(HIDDEN).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    private static Result run(String name, Block net, DeqBlock deq, NDManager data, NDArray[] xs, NDArray[] ys,
            int steps, int warmup) {
        try (Model model = Model.newInstance(name, Engines.pytorch().getEngineName())) {
            model.setBlock(net);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            DefaultTrainingConfig tc = new DefaultTrainingConfig(loss).optOptimizer(Optimizer.adam().build());
            try (Trainer trainer = new DeqTrainer(model, tc)) {
                trainer.initialize(new Shape(BATCH, INPUT));
                double[] ms = new double[steps];
                double fwd = 0;
                double bwd = 0;
                double flops = 0;
                double solveMs = 0;
                for (int s = 0; s < warmup + steps; s++) {
                    long t0 = System.nanoTime();
                    try (NDManager batch = data.newSubManager()) {
                        NDArray x = xs[s % BATCHES].duplicate();
                        NDArray y = ys[s % BATCHES].duplicate();
                        x.attach(batch);
                        y.attach(batch);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            gc.backward(loss.evaluate(new NDList(y), trainer.forward(new NDList(x))));
                        }
                        trainer.step();
                    }
                    if (s >= warmup) {
                        ms[s - warmup] = (System.nanoTime() - t0) / 1e6;
                        if (deq != null) {
                            var f = deq.lastForwardStats();
                            fwd += f.iterations();
                            bwd += deq.lastBackwardStats() == null ? 0 : deq.lastBackwardStats().iterations();
                            flops += 2.0 * BATCH * HIDDEN * HIDDEN * f.fEvals();
                            solveMs += f.wallMillis();
                        }
                    }
                }
                Arrays.sort(ms);
                boolean implicit = deq != null && deq.lastBackwardStats() != null;
                return new Result(name, ms[steps / 2], deq == null ? Double.NaN : fwd / steps,
                        implicit ? bwd / steps : Double.NaN, deq == null ? Double.NaN : flops / (solveMs * 1e6));
            }
        }
    }

    /** Median GFLOP/s of z·W for the cell's shapes, results closed as they come. */
    private static double matmulGflops(NDManager data) {
        try (NDManager m = data.newSubManager()) {
            NDArray z = m.randomNormal(new Shape(BATCH, HIDDEN));
            NDArray w = m.randomNormal(new Shape(HIDDEN, HIDDEN));
            int reps = 2000;
            double[] t = new double[reps];
            for (int i = 0; i < reps + 200; i++) {
                long t0 = System.nanoTime();
                try (NDArray r = z.matMul(w)) {
                    r.getShape();
                }
                if (i >= 200) {
                    t[i - 200] = (System.nanoTime() - t0) / 1e9;
                }
            }
            Arrays.sort(t);
            return 2.0 * BATCH * HIDDEN * HIDDEN / t[reps / 2] / 1e9;
        }
    }

    /** 10 seeded class means in 784-d (norm ~3), samples = mean + unit noise; labels cycle over classes. */
    private static void syntheticData(NDManager m, NDArray[] xs, NDArray[] ys) {
        SplittableRandom rnd = new SplittableRandom(42);
        float[][] means = new float[CLASSES][INPUT];
        for (float[] mean : means) {
            for (int j = 0; j < INPUT; j++) {
                mean[j] = (float) (gauss(rnd) * 3 / Math.sqrt(INPUT));
            }
        }
        for (int b = 0; b < xs.length; b++) {
            float[] x = new float[BATCH * INPUT];
            float[] y = new float[BATCH];
            for (int i = 0; i < BATCH; i++) {
                int c = rnd.nextInt(CLASSES);
                y[i] = c;
                for (int j = 0; j < INPUT; j++) {
                    x[i * INPUT + j] = means[c][j] + (float) (gauss(rnd) / Math.sqrt(INPUT) * 3);
                }
            }
            xs[b] = m.create(x, new Shape(BATCH, INPUT));
            ys[b] = m.create(y, new Shape(BATCH));
        }
        if (xs[0].getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("benchmark data must be float32");
        }
    }

    private static double gauss(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
