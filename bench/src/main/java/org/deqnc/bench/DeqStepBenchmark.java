package org.deqnc.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.data.BatchIterator;
import org.deqnc.data.FashionMnist;
import org.deqnc.data.LabeledData;
import org.deqnc.data.Normalization;
import org.deqnc.data.Split;
import org.deqnc.deq.BoundCell;
import org.deqnc.deq.DeqBlock;
import org.deqnc.deq.DeqConfig;
import org.deqnc.engine.Engines;
import org.deqnc.engine.HostKernels;
import org.deqnc.solver.AffineTailMap;
import org.deqnc.solver.SolverStats;
import org.deqnc.train.OptimizerKind;
import org.deqnc.train.TrainingStep;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Training-step cost of a DEQ against explicit MLPs, measured in one run on this machine, printed as
 * {@code BENCH} lines (see {@link BenchLine}); {@code environment/bench/deq_torch.py} is the PyTorch twin.
 *
 * <p>DEQ: 784 → tanh cell (hidden 256) → 10 classes, batch 128, float32, Anderson m=5, rel tol 1e-4,
 * max 30 iterations, implicit and JFB backward. MLPs: 784→256→10 ({@code mlp}) and 784→256→256→10
 * ({@code mlp3}), tanh. Every model trains through {@link TrainingStep}, the step {@code %%experiment} runs
 * (softmax cross-entropy, DEQ gradient collector, gradient finiteness check, Adam in torch.optim's rule; lr 1e-3,
 * cosine-annealed to 0 over the accuracy epoch), on standardised Fashion-MNIST batches.
 * The models are timed interleaved, repeat by repeat, so machine load drifts hit all of them alike.
 * Also: the forward solve's GFLOP/s (its cell matmuls over its wall time, median over the solves) beside
 * a plain (128×256)·(256×256) matmul's; the floors of the DEQ and MLP3 steps, what libtorch alone spends of them
 * ({@link #floors}); and with {@code epoch=full} one training epoch on the full training set per model with its
 * test accuracy.
 *
 * <p>Run: {@code mvn -q -pl bench -am compile exec:java -Dexec.mainClass=org.deqnc.bench.DeqStepBenchmark
 * -Dexec.args="threads=2 repeats=5 steps=50 export=out/share"}; keys: see {@link #SCHEMA}. exec:java runs in
 * Maven's JVM, which has the Vector API loops only with {@code MAVEN_OPTS="--add-modules jdk.incubator.vector"};
 * {@code environment/bench.sh} adds the module, as the kernel does. The first output line says which.
 */
public final class DeqStepBenchmark {

    private static final int BATCH = 128;
    private static final int INPUT = 784;
    private static final int HIDDEN = 256;
    private static final int CLASSES = 10;
    private static final float LR = 1e-3f;
    /** Calls per repeat of each single op timed alone (the plain matmul, the floors' parts). */
    private static final int CALLS = 200;
    /** Fashion-MNIST pixel statistics over the training set (pixels in [0, 1]). */
    private static final Normalization FMNIST = Normalization.of(new double[] {0.2860}, new double[] {0.3530});
    /**
     * With threads=1 libtorch runs every op on the calling thread, so its CPU time measures the work
     * even on a loaded machine, where wall time mostly measures waiting for a core.
     */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final String DEQ_CONFIG = "cell=mlp act=tanh hidden=256 solver=anderson m=5 stop_mode=rel "
            + "tol=1e-4 max_iter=30 b_solver=anderson b_tol=1e-4 b_max_iter=30 b_stop_mode=rel";

    static final ConfigKey<Integer> STEPS = ConfigKey.ofInt("steps", 50, 1, 1_000_000, "timed steps per repeat");
    static final ConfigKey<Integer> WARMUP = ConfigKey.ofInt("warmup", 20, 0, 1_000_000,
            "untimed steps per model before the first repeat");
    static final ConfigKey<Integer> REPEATS = ConfigKey.ofInt("repeats", 5, 1, 1000, "repeats (median and spread)");
    static final ConfigKey<Integer> THREADS = ConfigKey.ofInt("threads", 0, 0, 1024,
            "intra-op threads; 0 keeps the engine default");
    static final ConfigKey<Long> SEED = ConfigKey.ofLong("seed", 1, "seed of weights and data order");
    static final ConfigKey<Integer> SAMPLES = ConfigKey.ofInt("samples", 1024, BATCH, 60_000,
            "training samples cycled through by the step benchmark");
    static final ConfigKey<String> DATA = ConfigKey.ofString("data", "",
            "directory with x.npy (N, 784) and y.npy (N) to use instead of Fashion-MNIST");
    static final ConfigKey<String> INIT = ConfigKey.ofString("init", "",
            "directory with <model>_<i>.npy initial weights (as written by export=)");
    /** Where deq_torch.py looks by default, so that both run with no arguments from the repository root. */
    static final String SHARED_DIR = "out/bench/share";
    static final ConfigKey<String> EXPORT = ConfigKey.ofString("export", SHARED_DIR,
            "directory to write the data and initial weights to, for deq_torch.py");
    static final ConfigKey<String> EPOCH = ConfigKey.ofChoice("epoch", "none", () -> Set.of("none", "full"),
            "full: also train one epoch on all of Fashion-MNIST and print test accuracy");
    static final ConfigSchema SCHEMA = ConfigSchema.builder("DeqStepBenchmark").add(STEPS).add(WARMUP).add(REPEATS)
            .add(THREADS).add(SEED).add(SAMPLES).add(DATA).add(INIT).add(EXPORT).add(EPOCH).build();

    private DeqStepBenchmark() {
    }

    /** The benchmarked models; {@code init} names the weight files shared by models of one architecture. */
    private enum Arch {
        DEQ_IMPLICIT("deq_step_implicit", "deq"),
        DEQ_JFB("deq_step_jfb", "deq"),
        MLP("mlp_step", "mlp"),
        MLP3("mlp3_step", "mlp3");

        final String id;
        final String init;

        Arch(String id, String init) {
            this.id = id;
            this.init = init;
        }

        Block newBlock(long seed) {
            return switch (this) {
                case DEQ_IMPLICIT, DEQ_JFB -> new SequentialBlock()
                        .add(new DeqBlock(DeqConfig.parse(DEQ_CONFIG + " seed=" + seed + " backward="
                                + (this == DEQ_JFB ? "jfb" : "implicit"))))
                        .add(Linear.builder().setUnits(CLASSES).build());
                case MLP -> new SequentialBlock().add(Linear.builder().setUnits(HIDDEN).build()).add(Activation::tanh)
                        .add(Linear.builder().setUnits(CLASSES).build());
                case MLP3 -> new SequentialBlock()
                        .add(Linear.builder().setUnits(HIDDEN).build()).add(Activation::tanh)
                        .add(Linear.builder().setUnits(HIDDEN).build()).add(Activation::tanh)
                        .add(Linear.builder().setUnits(CLASSES).build());
            };
        }
    }

    /** A model with its training step; {@code deq} is null for the MLPs. */
    private static final class Run implements AutoCloseable {
        final Arch arch;
        final Block block;
        final NDManager parameters;
        final TrainingStep training;
        final DeqBlock deq;

        Run(Arch arch, Config args, NDManager root) {
            this.arch = arch;
            long seed = args.get(SEED);
            block = arch.newBlock(seed);
            deq = block.getChildren().values().get(0) instanceof DeqBlock d ? d : null;
            parameters = root.newSubManager();
            Engines.pytorch().setRandomSeed((int) seed); // same seed => same head/MLP initial weights
            block.initialize(parameters, DataType.FLOAT32, new Shape(BATCH, INPUT));
            if (!args.get(INIT).isEmpty()) {
                loadWeights(Path.of(args.get(INIT)));
            }
            // the step %%experiment runs with optimizer = adam and weight_decay = 0
            training = TrainingStep.of(block, OptimizerKind.ADAM, 0, 0, parameters);
        }

        List<Parameter> parameters() {
            return block.getParameters().stream().map(Pair::getValue).toList();
        }

        void loadWeights(Path dir) {
            List<Parameter> ps = parameters();
            for (int i = 0; i < ps.size(); i++) {
                Path file = dir.resolve(arch.init + "_" + i + ".npy");
                Npy.Array a = Npy.read(file);
                NDArray target = ps.get(i).getArray();
                if (!new Shape(a.shape()).equals(target.getShape())) {
                    throw new IllegalArgumentException("init: " + file + " has shape " + new Shape(a.shape())
                            + ", expected " + target.getShape() + " for parameter " + ps.get(i).getName());
                }
                target.set(a.data());
            }
        }

        void exportWeights(Path dir) {
            List<Parameter> ps = parameters();
            for (int i = 0; i < ps.size(); i++) {
                NDArray p = ps.get(i).getArray();
                Npy.write(dir.resolve(arch.init + "_" + i + ".npy"), p.toFloatArray(), p.getShape().getShape());
            }
        }

        /**
         * One training step on {@code x} (batch, 784), labels {@code y}, learning rate {@code lr}:
         * {wall ms, thread cpu ms, optimizer cpu ms}.
         */
        double[] step(NDArray x, NDArray y, double lr) {
            long c0 = CPU.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            training.lossAndGradients(x, y);
            long c1 = CPU.getCurrentThreadCpuTime();
            training.update(lr);
            long c2 = CPU.getCurrentThreadCpuTime();
            return new double[] {(System.nanoTime() - t0) / 1e6, (c2 - c0) / 1e6, (c2 - c1) / 1e6};
        }

        @Override
        public void close() {
            training.close();
            parameters.close();
        }
    }

    public static void main(String[] argv) {
        Config args = SCHEMA.parseArgs(String.join(" ", argv));
        try (NDManager root = Engines.newManager()) {
            if (args.get(THREADS) > 0) {
                JniUtils.setNumThreads(args.get(THREADS));
            }
            LabeledData train = args.get(DATA).isEmpty() ? fashionMnist(Split.TRAIN).subset(
                    IntStream.range(0, args.get(SAMPLES)).toArray()) : readData(Path.of(args.get(DATA)));
            List<Run> runs = new ArrayList<>();
            try {
                for (Arch a : Arch.values()) {
                    runs.add(new Run(a, args, root));
                }
                export(Path.of(args.get(EXPORT)), train, runs);
                System.out.println("# " + Engines.describe() + "; intra-op threads " + JniUtils.getNumThreads() + "; "
                        + Runtime.getRuntime().availableProcessors() + " cpus; Java " + Runtime.version() + ", Vector API "
                        + (HostKernels.vectorized() ? "on" : "off") + "; " + Engines.processEnvironment() + "; " + args);
                Steps steps = timeSteps(root, train, runs, args);
                steps.lines().forEach(System.out::println);
                System.out.println(matmul(root, args.get(REPEATS)));
                floors(root, runs, steps, args.get(REPEATS)).forEach(System.out::println);
            } finally {
                runs.forEach(Run::close);
            }
            if (args.get(EPOCH).equals("full")) {
                for (Arch a : new Arch[] {Arch.DEQ_IMPLICIT, Arch.DEQ_JFB, Arch.MLP3}) {
                    System.out.println(epoch(root, a, args));
                }
            }
        }
    }

    /**
     * The BENCH lines of {@link #timeSteps}, with per model ({@link Arch} order) the median step ms of each repeat and
     * the mean forward and backward solver iterations per step.
     */
    private record Steps(List<BenchLine> lines, double[][] stepMs, double[][] meanIters) {
    }

    /** Median ms per step of every model, interleaved repeat by repeat; plus the DEQ forward solve. */
    private static Steps timeSteps(NDManager root, LabeledData train, List<Run> runs, Config args) {
        int repeats = args.get(REPEATS);
        int steps = args.get(STEPS);
        double[][] stepMs = new double[runs.size()][repeats];
        double[][] cpuMs = new double[runs.size()][repeats];
        double[][] optMs = new double[runs.size()][repeats];
        double[][] iters = new double[runs.size()][2];
        double[] solveMs = new double[repeats];
        double[] solveGflops = new double[repeats];
        try (NDManager data = root.newSubManager()) {
            NDList[] batches = batches(data, train);
            int cursor = 0;
            for (int r = 0; r < repeats; r++) {
                for (int m = 0; m < runs.size(); m++) {
                    Run run = runs.get(m);
                    for (int w = 0; r == 0 && w < args.get(WARMUP); w++) {
                        timedStep(data, run, batches[cursor++ % batches.length]);
                    }
                    double[] ms = new double[steps];
                    double[] cpu = new double[steps];
                    double[] opt = new double[steps];
                    double[] solveEach = new double[steps];
                    double[] gflopsEach = new double[steps];
                    for (int s = 0; s < steps; s++) {
                        double[] t = timedStep(data, run, batches[cursor++ % batches.length]);
                        ms[s] = t[0];
                        cpu[s] = t[1];
                        opt[s] = t[2];
                        if (run.deq != null) {
                            SolverStats f = run.deq.lastForwardStats();
                            SolverStats b = run.deq.lastBackwardStats();
                            iters[m][0] += f.iterations();
                            iters[m][1] += b == null ? 0 : b.iterations();
                            solveEach[s] = f.wallMillis();
                            gflopsEach[s] = 2.0 * BATCH * HIDDEN * HIDDEN * f.fEvals() / (f.wallMillis() * 1e6);
                        }
                    }
                    stepMs[m][r] = BenchLine.median(ms);
                    cpuMs[m][r] = BenchLine.median(cpu);
                    optMs[m][r] = BenchLine.median(opt);
                    if (run.arch == Arch.DEQ_IMPLICIT) {
                        solveMs[r] = BenchLine.median(solveEach);
                        // a median, as for the plain matmul it is compared with: a mean would let one
                        // page-faulting or preempted solve move the ratio
                        solveGflops[r] = BenchLine.median(gflopsEach);
                    }
                }
            }
        }
        List<BenchLine> out = new ArrayList<>();
        for (int m = 0; m < runs.size(); m++) {
            Run run = runs.get(m);
            BenchLine line = new BenchLine(run.arch.id + "_ours", stepMs[m]).with("impl", "ours")
                    .with("steps", String.valueOf(steps)).with("cpu_ms", BenchLine.median(cpuMs[m]))
                    .with("optimizer_cpu_ms", BenchLine.median(optMs[m]));
            if (run.deq != null) {
                line.with("iters", iters[m][0] / (repeats * steps));
                if (run.arch == Arch.DEQ_IMPLICIT) {
                    line.with("bwd_iters", iters[m][1] / (repeats * steps));
                }
            }
            out.add(line);
        }
        int implicit = Arch.DEQ_IMPLICIT.ordinal();
        out.add(new BenchLine("deq_forward_solve_ours", solveMs).with("impl", "ours")
                .with("gflops", BenchLine.median(solveGflops)).with("iters", iters[implicit][0] / (repeats * steps)));
        double[][] meanIters = new double[runs.size()][2];
        for (int m = 0; m < runs.size(); m++) {
            meanIters[m][0] = iters[m][0] / (repeats * steps);
            meanIters[m][1] = iters[m][1] / (repeats * steps);
        }
        return new Steps(out, stepMs, meanIters);
    }

    /**
     * What libtorch alone must spend on a DEQ step and on the MLP3 step on this stack, with everything else free:
     * the bounds that the step targets are measured against (docs/performance.md). Per repeat, the median of
     * {@link #CALLS} calls each of
     * <ul>
     * <li>{@code deq_cell_ours}: one forward iteration's libtorch work as Anderson asks for it (the implicit
     * model's cell, grad mode off: its head σ(a(2W, 2inj, z)), an addmm and a sigmoid);
     * <li>{@code deq_vjp_ours}: one adjoint iteration's, v ↦ (v ⊙ tanh′) W + ∂L/∂z* (a multiply, a matmul, an add);
     * <li>{@code mlp3_products_ours}: the sum of the MLP3 step's eight matrix products on its shapes (three linear
     * layers forward, three weight gradients, two input gradients), the products any exact implementation runs.
     * </ul>
     * and the floors {@code deq_step_<backward>_floor_ours}: the MLP 784-256-10 step of the same repeat (the DEQ step
     * runs all of its work and more: the DEQ's input layer, head, loss and Adam, plus a tracked cell and W) plus the
     * solver iterations the step ran times the cell's and the adjoint's libtorch work, Anderson's own work counted as
     * zero.
     */
    private static List<BenchLine> floors(NDManager root, List<Run> runs, Steps steps, int repeats) {
        Run implicit = runs.get(Arch.DEQ_IMPLICIT.ordinal());
        Run mlp3 = runs.get(Arch.MLP3.ordinal());
        double[] cellMs = new double[repeats];
        double[] vjpMs = new double[repeats];
        double[] productsMs = new double[repeats];
        boolean grad = JniUtils.isGradMode();
        try (NDManager m = root.newSubManager()) {
            JniUtils.setGradMode(false);
            // random inputs: the timed ops cost the same whatever the values (no need to cut the training set again)
            NDArray x = m.randomNormal(new Shape(BATCH, INPUT));
            BoundCell f = implicit.deq.cells().get(0).bind(new ParameterStore(m, false), x, false, m);
            AffineTailMap.Split split = f.split(); // null only for a cell without a tail: then f whole
            UnaryOperator<NDArray> head = split == null ? f : split.head();
            NDArray z = m.randomUniform(-1, 1, new Shape(BATCH, HIDDEN));
            UnaryOperator<NDArray> vjp = f.vjpAt(z, f.apply(z), m);
            NDArray v = m.randomNormal(new Shape(BATCH, HIDDEN));
            NDArray dLdz = m.randomNormal(new Shape(BATCH, HIDDEN));
            List<Timed> products = mlp3Products(m, mlp3);
            for (int r = 0; r < repeats; r++) {
                cellMs[r] = perCall(m, z, head, CALLS);
                vjpMs[r] = perCall(m, v, u -> vjp.apply(u).addi(dLdz), CALLS);
                for (Timed p : products) {
                    productsMs[r] += perCall(m, p.input(), p.op(), CALLS);
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        double[] mlpStep = steps.stepMs()[Arch.MLP.ordinal()];
        double[] fwd = steps.meanIters()[Arch.DEQ_IMPLICIT.ordinal()];
        double jfbFwd = steps.meanIters()[Arch.DEQ_JFB.ordinal()][0];
        double[] implicitFloor = new double[repeats];
        double[] jfbFloor = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            implicitFloor[r] = mlpStep[r] + fwd[0] * cellMs[r] + fwd[1] * vjpMs[r];
            jfbFloor[r] = mlpStep[r] + jfbFwd * cellMs[r];
        }
        return List.of(new BenchLine("deq_cell_ours", cellMs).with("impl", "ours"),
                new BenchLine("deq_vjp_ours", vjpMs).with("impl", "ours"),
                new BenchLine("mlp3_products_ours", productsMs).with("impl", "ours"),
                new BenchLine("deq_step_implicit_floor_ours", implicitFloor).with("impl", "ours")
                        .with("iters", fwd[0]).with("bwd_iters", fwd[1]),
                new BenchLine("deq_step_jfb_floor_ours", jfbFloor).with("impl", "ours").with("iters", jfbFwd));
    }

    private static double[] timedStep(NDManager data, Run run, NDList batch) {
        try (NDManager step = data.newSubManager()) {
            NDArray x = batch.get(0).duplicate();
            NDArray y = batch.get(1).duplicate();
            x.attach(step);
            y.attach(step);
            return run.step(x, y, LR);
        }
    }

    /** The training set cut into full batches of 128, features flattened to 784, labels as float32. */
    private static NDList[] batches(NDManager m, LabeledData train) {
        NDList[] out = new NDList[train.size() / BATCH];
        try (BatchIterator it = train.batches(m, BATCH, false, 0)) {
            for (int b = 0; b < out.length; b++) {
                NDList xy = it.next();
                // a copy: a view would point into the batch's host buffer, freed with the batch
                NDArray x = xy.get(0).reshape(BATCH, INPUT).duplicate();
                NDArray y = xy.get(1).duplicate(); // labels as the training loop of the notebooks gets them
                x.attach(m);
                y.attach(m);
                out[b] = new NDList(x, y);
            }
        }
        return out;
    }

    /**
     * The MLP3 step's eight matrix products, on its weights and on random arrays of its activations' and gradients'
     * shapes: the three linear layers (with their biases), the three weight gradients gᵀ·input, and the input
     * gradients g·W of the second and third layer (the first layer's input needs none).
     */
    private static List<Timed> mlp3Products(NDManager m, Run mlp3) {
        List<NDArray> p = mlp3.parameters().stream().map(Parameter::getArray).toList(); // W1, b1, W2, b2, W3, b3
        NDArray x = m.randomNormal(new Shape(BATCH, INPUT));
        NDArray h1 = m.randomNormal(new Shape(BATCH, HIDDEN));
        NDArray h2 = m.randomNormal(new Shape(BATCH, HIDDEN));
        NDArray g1 = m.randomNormal(new Shape(BATCH, HIDDEN));
        NDArray g2 = m.randomNormal(new Shape(BATCH, HIDDEN));
        NDArray g3 = m.randomNormal(new Shape(BATCH, CLASSES));
        return List.of(new Timed(x, in -> Linear.linear(in, p.get(0), p.get(1)).singletonOrThrow()),
                new Timed(h1, in -> Linear.linear(in, p.get(2), p.get(3)).singletonOrThrow()),
                new Timed(h2, in -> Linear.linear(in, p.get(4), p.get(5)).singletonOrThrow()),
                new Timed(g1, g -> g.transpose().matMul(x)), new Timed(g2, g -> g.transpose().matMul(h1)),
                new Timed(g3, g -> g.transpose().matMul(h2)), new Timed(g3, g -> g.matMul(p.get(4))),
                new Timed(g2, g -> g.matMul(p.get(2))));
    }

    /**
     * Median ms of {@code calls} calls of {@code op} on {@code input}, each in a sub-manager of {@code parent} that
     * holds the call's temporaries and result and is closed before the next call, as the solver's iterations do (a
     * temporary left open would make every later call allocate, and page-fault, fresh memory).
     */
    private static double perCall(NDManager parent, NDArray input, UnaryOperator<NDArray> op, int calls) {
        double[] t = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            try (NDManager call = parent.newSubManager()) {
                input.tempAttach(call);
                op.apply(input).getShape();
            }
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return BenchLine.median(t);
    }

    /** An op timed by {@link #perCall}: {@code op} applied to {@code input}. */
    private record Timed(NDArray input, UnaryOperator<NDArray> op) {
    }

    /**
     * GFLOP/s of z·W for the cell's shapes: per repeat the median of {@link #CALLS} products, each closed directly
     * (as measured since the row's first runs; {@link #perCall}'s sub-manager, which the floors' parts need for their
     * temporaries, would add its bookkeeping to this one op).
     */
    private static BenchLine matmul(NDManager root, int repeats) {
        double[] medianMs = new double[repeats];
        try (NDManager m = root.newSubManager()) {
            NDArray z = m.randomNormal(new Shape(BATCH, HIDDEN));
            NDArray w = m.randomNormal(new Shape(HIDDEN, HIDDEN));
            for (int r = 0; r < repeats; r++) {
                double[] t = new double[CALLS];
                for (int i = 0; i < CALLS; i++) {
                    long t0 = System.nanoTime();
                    try (NDArray p = z.matMul(w)) {
                        p.getShape();
                    }
                    t[i] = (System.nanoTime() - t0) / 1e6;
                }
                medianMs[r] = BenchLine.median(t);
            }
        }
        double gflops = 2.0 * BATCH * HIDDEN * HIDDEN / (BenchLine.median(medianMs) * 1e6);
        return new BenchLine("matmul_ours", medianMs).with("impl", "ours").with("gflops", gflops);
    }

    /**
     * One epoch over all 60,000 training images (shuffled by seed), then test accuracy. The learning rate
     * decays from 1e-3 to 0 along a cosine over the epoch's updates, alike for every model: at a constant
     * rate the test accuracy is that of one noisy Adam iterate and swings from seed to seed (seeds 1..5:
     * DEQ JFB 0.836..0.849, MLP3 0.846..0.858), hiding real differences between the models; annealing to 0
     * averages that noise out (JFB 0.857..0.862, MLP3 0.862..0.865; JFB seed 1: 0.836 constant, 0.860 cosine).
     */
    private static BenchLine epoch(NDManager root, Arch arch, Config args) {
        LabeledData train = fashionMnist(Split.TRAIN);
        LabeledData test = fashionMnist(Split.TEST);
        int updates = (train.size() + BATCH - 1) / BATCH;
        Tracker cosine = CosineTracker.builder().setBaseValue(LR).optFinalValue(0).setMaxUpdates(updates).build();
        try (Run run = new Run(arch, args, root); NDManager m = root.newSubManager()) {
            long t0 = System.nanoTime();
            try (BatchIterator it = train.batches(m, BATCH, true, args.get(SEED))) {
                while (it.hasNext()) {
                    NDList xy = it.next();
                    long n = xy.get(0).getShape().get(0);
                    run.step(xy.get(0).reshape(n, INPUT), xy.get(1),
                            cosine.getNewValue(Math.toIntExact(run.training.updates())));
                }
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            long correct = 0;
            try (BatchIterator it = test.batches(m, 1000, false, 0)) {
                while (it.hasNext()) {
                    NDList xy = it.next();
                    long n = xy.get(0).getShape().get(0);
                    NDArray logits = run.training.logits(xy.get(0).reshape(n, INPUT), false);
                    long[] pred = logits.argMax(1).toLongArray();
                    int[] y = xy.get(1).toIntArray();
                    for (int i = 0; i < n; i++) {
                        correct += pred[i] == y[i] ? 1 : 0;
                    }
                }
            }
            return new BenchLine(arch.id.replace("_step", "_epoch") + "_ours", new double[] {ms}).with("impl", "ours")
                    .with("accuracy", (double) correct / test.size());
        }
    }

    private static LabeledData fashionMnist(Split split) {
        return FashionMnist.load(split).normalized(FMNIST);
    }

    private static LabeledData readData(Path dir) {
        Npy.Array x = Npy.read(dir.resolve("x.npy"));
        Npy.Array y = Npy.read(dir.resolve("y.npy"));
        if (x.shape().length != 2 || x.shape()[1] != INPUT || y.shape().length != 1 || y.shape()[0] != x.shape()[0]) {
            throw new IllegalArgumentException("data: expected x.npy of shape (N, " + INPUT + ") and y.npy of shape (N),"
                    + " got " + new Shape(x.shape()) + " and " + new Shape(y.shape()));
        }
        int[] labels = new int[y.data().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) y.data()[i];
        }
        return new LabeledData(x.data(), new int[] {INPUT}, labels, FashionMnist.CLASS_NAMES, dir.toString());
    }

    private static void export(Path dir, LabeledData train, List<Run> runs) {
        float[] x = new float[train.size() * INPUT];
        float[] y = new float[train.size()];
        for (int i = 0; i < train.size(); i++) {
            System.arraycopy(train.sample(i), 0, x, i * INPUT, INPUT);
            y[i] = train.label(i);
        }
        Npy.write(dir.resolve("x.npy"), x, new long[] {train.size(), INPUT});
        Npy.write(dir.resolve("y.npy"), y, new long[] {train.size()});
        for (Arch a : new Arch[] {Arch.DEQ_IMPLICIT, Arch.MLP, Arch.MLP3}) {
            runs.get(a.ordinal()).exportWeights(dir);
        }
    }
}
