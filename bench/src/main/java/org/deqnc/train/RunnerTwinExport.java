package org.deqnc.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.deqnc.bench.Npy;
import org.deqnc.data.LabeledData;
import org.deqnc.data.SeededShuffle;
import org.deqnc.engine.Engines;
import org.deqnc.solver.SolverOptions;

/**
 * Writes what the PyTorch twin of the training runner ({@code environment/bench/runner_torch.py}) needs to train
 * the same network on the same numbers: the run's training set as the runner selects and normalises it
 * ({@code x.npy}, {@code y.npy}), every epoch's batch order ({@code order_<epoch>.npy}), the initial parameters
 * in the runner's order ({@code param_<i>.npy}, names in {@code params.txt}) and the settings
 * ({@code settings.txt}, key=value). It lives in the bench module, in the runner's package, because the network
 * and the data selection are package-private there: the twin gets exactly the runner's objects, not a re-made copy.
 */
public final class RunnerTwinExport {

    private RunnerTwinExport() {
    }

    /**
     * Exports experiment {@code e} (its {@code epochs} batch orders) into {@code dir}; the twin times the epochs
     * after the first {@code warmupEpochs}, as the Java side does.
     */
    public static void write(Experiment e, int warmupEpochs, Path dir) {
        TrainingData data = TrainingData.load(e);
        LabeledData train = data.train();
        int n = train.size();
        int[] shape = train.sampleShape();
        long[] xShape = new long[shape.length + 1];
        xShape[0] = n;
        for (int i = 0; i < shape.length; i++) {
            xShape[i + 1] = shape[i];
        }
        float[] x = new float[n * train.sampleSize()];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(train.sample(i), 0, x, i * train.sampleSize(), train.sampleSize());
            y[i] = train.label(i);
        }
        Npy.write(dir.resolve("x.npy"), x, xShape);
        Npy.write(dir.resolve("y.npy"), y, new long[] {n});
        for (int epoch = 0; epoch < e.epochs(); epoch++) {
            int[] order = SeededShuffle.permutation(n, SeededShuffle.streamSeed(e.seed(), epoch));
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = order[i]; // exact: indices below 2^24
            }
            Npy.write(dir.resolve("order_" + epoch + ".npy"), f, new long[] {n});
        }
        List<String> names = new ArrayList<>();
        try (NDManager m = Engines.newManager()) {
            Network net = Network.build(e, shape, train.numClasses(), m);
            List<Network.NamedParameter> ps = net.parameters();
            for (int i = 0; i < ps.size(); i++) {
                NDArray a = ps.get(i).parameter().getArray();
                Npy.write(dir.resolve("param_" + i + ".npy"), a.toFloatArray(), a.getShape().getShape());
                names.add(ps.get(i).name());
            }
        }
        SolverOptions fwd = e.deqConfig().forwardOptions();
        SolverOptions bwd = e.deqConfig().backwardOptions();
        List<String> settings = List.of("model=" + e.model().name().toLowerCase(Locale.ROOT),
                "encoder=" + e.encoder().name().toLowerCase(Locale.ROOT),
                "cell=" + e.deqConfig().cell().name().toLowerCase(Locale.ROOT),
                "act=" + e.deqConfig().get(org.deqnc.deq.DeqConfig.ACT).name().toLowerCase(Locale.ROOT),
                "depth=" + e.get(Experiment.DEPTH), "backward=" + e.deqConfig().backward().name().toLowerCase(Locale.ROOT),
                "m=" + fwd.m(), "lam=" + fwd.lam(), "tol=" + fwd.tol(), "max_iter=" + fwd.maxIter(),
                "stop_mode=" + fwd.stopMode().name().toLowerCase(Locale.ROOT), "b_tol=" + bwd.tol(),
                "b_max_iter=" + bwd.maxIter(), "b_stop_mode=" + bwd.stopMode().name().toLowerCase(Locale.ROOT),
                "optimizer=" + e.get(Experiment.OPTIMIZER).name().toLowerCase(Locale.ROOT),
                "lr_per_epoch=" + lrPerEpoch(e), "momentum=" + e.get(Experiment.MOMENTUM),
                "weight_decay=" + e.get(Experiment.WEIGHT_DECAY), "batch_size=" + e.batchSize(),
                "epochs=" + e.epochs(), "warmup_epochs=" + warmupEpochs);
        try {
            Files.write(dir.resolve("params.txt"), names);
            Files.write(dir.resolve("settings.txt"), settings);
        } catch (IOException ex) {
            throw new UncheckedIOException("export: cannot write to " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /** The runner's learning rate of every epoch, comma-separated. */
    private static String lrPerEpoch(Experiment e) {
        StepSchedule schedule = StepSchedule.of(e);
        List<String> lrs = new ArrayList<>();
        for (int epoch = 0; epoch < e.epochs(); epoch++) {
            lrs.add(Double.toString(schedule.lr(epoch)));
        }
        return String.join(",", lrs);
    }
}
