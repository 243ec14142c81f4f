package org.deqnc.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import org.deqnc.data.BatchIterator;
import org.deqnc.data.LabeledData;
import org.deqnc.data.SeededShuffle;
import org.deqnc.deq.Backward;
import org.deqnc.deq.DeqBlock;
import org.deqnc.engine.Engines;
import org.deqnc.nc.ClassMeans;
import org.deqnc.nc.ClassSplit;
import org.deqnc.nc.ClassifierDecisions;
import org.deqnc.nc.DecisionAccumulator;
import org.deqnc.nc.Features;
import org.deqnc.nc.NcMetrics;
import org.deqnc.nc.NcReport;
import org.deqnc.nc.NcStatistics;
import org.deqnc.nc.TwoPassAccumulator;
import org.deqnc.provenance.Origin;
import org.deqnc.solver.SolverStats;

/**
 * The state of one run in memory: data, network, optimiser, the metrics rows so far; trains and evaluates one
 * epoch at a time and converts to and from a {@link Checkpoint}. {@link ExperimentRunner} drives it.
 */
final class Run implements AutoCloseable {

    private final Experiment experiment;
    private final TrainingData data;
    private final NDManager root;
    private final Network net;
    private final TrainingStep step;
    private final StepSchedule schedule;
    private final List<EpochMetrics> rows = new ArrayList<>();
    private NcReport lastReport;

    Run(Experiment experiment) {
        this.experiment = experiment;
        Origin.noteSeed(experiment.seed());
        this.data = TrainingData.load(experiment);
        this.schedule = StepSchedule.of(experiment);
        this.root = Engines.newManager();
        try {
            net = Network.build(experiment, data.train().sampleShape(), data.train().numClasses(), root);
            step = new TrainingStep(net::logits, net.parameters(), experiment.get(Experiment.OPTIMIZER),
                    experiment.get(Experiment.MOMENTUM), experiment.get(Experiment.WEIGHT_DECAY), root);
        } catch (RuntimeException ex) {
            root.close();
            throw ex;
        }
    }

    Experiment experiment() {
        return experiment;
    }

    int epochsDone() {
        return rows.size();
    }

    List<EpochMetrics> rows() {
        return rows;
    }

    NcReport lastReport() {
        return lastReport;
    }

    NDManager manager() {
        return root;
    }

    /** Batches per epoch in the three phases: train, eval-train, eval-test. */
    long batchesPerEpoch() {
        int b = experiment.batchSize();
        return 2L * ceilDiv(data.train().size(), b) + ceilDiv(data.test().size(), b);
    }

    /** Trains 0-based {@code epoch}, evaluates, appends and returns its metrics row. */
    EpochMetrics epoch(int epoch, Ticker ticker) {
        if (epoch != rows.size()) {
            throw new IllegalStateException("run: next epoch is " + rows.size() + ", got " + epoch);
        }
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("epoch", (double) (epoch + 1));
        v.put("lr", schedule.lr(epoch));
        v.putAll(train(epoch, ticker));
        v.putAll(evaluate(epoch, ticker));
        EpochMetrics m = new EpochMetrics(v);
        rows.add(m);
        return m;
    }

    /** One pass of updates in the epoch's seeded order; returns the loss and solver columns. */
    private Map<String, Double> train(int epoch, Ticker ticker) {
        double lr = schedule.lr(epoch);
        DeqBlock deq = net.deq();
        boolean implicit = deq != null && deq.config().backward() == Backward.IMPLICIT;
        double lossSum = 0;
        long seen = 0;
        double fwdIters = 0;
        double fwdRel = 0;
        double fallbacks = 0;
        double bwdIters = 0;
        try (NDManager scope = root.newSubManager();
                BatchIterator it = data.train().batches(scope, experiment.batchSize(), true,
                        SeededShuffle.streamSeed(experiment.seed(), epoch))) {
            int batches = it.numBatches();
            for (int b = 1; it.hasNext(); b++) {
                ticker.checkInterrupt("train", epoch, b, batches);
                NDList batch = it.next();
                long n = batch.get(0).getShape().get(0);
                lossSum += step.step(batch.get(0), batch.get(1), lr) * n;
                seen += n;
                if (deq != null) {
                    SolverStats f = deq.lastForwardStats();
                    fwdIters += f.iterations();
                    fwdRel += f.maxLowestRel();
                    fallbacks += f.fallbacks().isEmpty() ? 0 : 1;
                    bwdIters += implicit && deq.lastBackwardStats() != null ? deq.lastBackwardStats().iterations() : 0;
                }
                ticker.step("train", epoch, b, batches, lossSum / seen);
            }
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("train_loss", lossSum / seen);
            v.put("fwd_iters_mean", deq == null ? Double.NaN : fwdIters / batches);
            v.put("fwd_rel_residual_mean", deq == null ? Double.NaN : fwdRel / batches);
            v.put("fwd_fallbacks", deq == null ? Double.NaN : fallbacks);
            v.put("bwd_iters_mean", implicit ? bwdIters / batches : Double.NaN);
            return v;
        }
    }

    /** Accuracy columns of both splits and the NC columns of the training features. */
    private Map<String, Double> evaluate(int epoch, Ticker ticker) {
        int k = data.train().numClasses();
        FeatureCache cache = new FeatureCache();
        SplitAccuracy train = predict(data.train(), "eval-train", epoch, ticker, k, cache);
        SplitAccuracy test = predict(data.test(), "eval-test", epoch, ticker, k, null);
        lastReport = cache.report(k, experiment.kA(), net);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("train_acc", train.overall());
        v.put("train_acc_majority", train.majority());
        v.put("train_acc_minority", train.minority());
        v.put("test_acc", test.overall());
        v.put("test_acc_majority", test.majority());
        v.put("test_acc_minority", test.minority());
        v.putAll(NcColumns.values(lastReport, ClassSplit.firstMajority(experiment.kA())));
        return v;
    }

    /** Recomputes the NC report of the current parameters (a resumed run that had already finished). */
    NcReport report(Ticker ticker) {
        FeatureCache cache = new FeatureCache();
        predict(data.train(), "eval-train", rows.size() - 1, ticker, data.train().numClasses(), cache);
        lastReport = cache.report(data.train().numClasses(), experiment.kA(), net);
        return lastReport;
    }

    /** Inference over {@code set} in its stored order; features go to {@code cache} when it is not null. */
    private SplitAccuracy predict(LabeledData set, String phase, int epoch, Ticker ticker, int k, FeatureCache cache) {
        SplitAccuracy acc = new SplitAccuracy(k, experiment.kA());
        try (NDManager scope = root.newSubManager();
                BatchIterator it = set.batches(scope, experiment.batchSize(), false, 0)) {
            int batches = it.numBatches();
            for (int b = 1; it.hasNext(); b++) {
                ticker.checkInterrupt(phase, epoch, b, batches);
                NDList batch = it.next();
                Network.Output out = net.forward(batch.get(0), false);
                int[] labels = batch.get(1).toIntArray();
                int[] predictions = out.logits().argMax(1).toType(DataType.INT32, false).toIntArray();
                acc.add(labels, predictions);
                if (cache != null) {
                    cache.add(out.features(), labels, predictions);
                }
                ticker.step(phase, epoch, b, batches, Double.NaN);
            }
        }
        return acc;
    }

    /**
     * Features h of every sample of {@code split} in stored order, with the classifier, from the current
     * parameters; an interrupt is noticed between batches.
     */
    LearnedFeatures features(org.deqnc.data.Split split) {
        LabeledData set = split == org.deqnc.data.Split.TRAIN ? data.train() : data.test();
        List<double[]> rowsOut = new ArrayList<>();
        int[] labels = set.labels();
        try (NDManager scope = root.newSubManager();
                BatchIterator it = set.batches(scope, experiment.batchSize(), false, 0)) {
            while (it.hasNext()) {
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new java.util.concurrent.CancellationException("features of '" + experiment.name()
                            + "': interrupted between batches");
                }
                NDArray h = net.forward(it.next().get(0), false).features();
                int d = Math.toIntExact(h.getShape().get(1));
                double[] flat = h.toType(DataType.FLOAT64, false).toDoubleArray();
                for (int i = 0; i < flat.length / d; i++) {
                    rowsOut.add(java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d));
                }
            }
        }
        NDArray w = net.classifierWeight();
        int k = Math.toIntExact(w.getShape().get(0));
        double[] flatW = w.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] classifier = new double[k][];
        for (int c = 0; c < k; c++) {
            classifier[c] = java.util.Arrays.copyOfRange(flatW, c * (flatW.length / k), (c + 1) * (flatW.length / k));
        }
        return new LearnedFeatures(experiment, split, rowsOut.toArray(new double[0][]), labels, classifier,
                net.classifierBias().toType(DataType.FLOAT64, false).toDoubleArray(), set.classNames());
    }

    /** The training features of one evaluation pass, streamed twice into the NC accumulators. */
    private static final class FeatureCache {
        private final List<double[]> features = new ArrayList<>();
        private final List<int[]> labels = new ArrayList<>();
        private final List<int[]> predictions = new ArrayList<>();
        private int dim;

        void add(NDArray h, int[] y, int[] p) {
            dim = Math.toIntExact(h.getShape().get(1));
            features.add(h.toType(DataType.FLOAT64, false).toDoubleArray());
            labels.add(y);
            predictions.add(p);
        }

        private Features batch(int i) {
            return Features.of(features.get(i), labels.get(i).length, dim);
        }

        NcReport report(int k, int kA, Network net) {
            NcStatistics stats;
            try (TwoPassAccumulator acc = new TwoPassAccumulator(k, dim)) {
                for (int i = 0; i < features.size(); i++) {
                    acc.addFirstPass(batch(i), labels.get(i));
                }
                ClassMeans means = acc.endFirstPass();
                for (int i = 0; i < features.size(); i++) {
                    acc.addSecondPass(batch(i), labels.get(i));
                }
                stats = acc.finish();
                ClassifierDecisions decisions;
                try (DecisionAccumulator dec = new DecisionAccumulator(means)) {
                    for (int i = 0; i < features.size(); i++) {
                        dec.add(batch(i), labels.get(i), predictions.get(i));
                    }
                    decisions = dec.finish();
                }
                return NcMetrics.of(stats).classifier(net.classifierWeight(), net.classifierBias())
                        .decisions(decisions).split(ClassSplit.firstMajority(kA)).report();
            }
        }
    }

    /** The checkpoint after the epochs done so far. */
    Checkpoint checkpoint() {
        Map<String, byte[]> arrays = new LinkedHashMap<>();
        for (Network.NamedParameter p : net.parameters()) {
            arrays.put("param/" + p.name(), p.parameter().getArray().encode());
        }
        step.optimizer().slots().forEach((name, a) -> arrays.put("opt/" + name, a.encode()));
        return new Checkpoint(experiment.toString(), rows.size(), MetricsCsv.format(rows), step.optimizer().steps(), arrays);
    }

    /** Loads parameters, optimiser state and metrics rows from {@code c}, which must fit this network. */
    void restore(Checkpoint c) {
        Map<String, NDArray> targets = new LinkedHashMap<>();
        net.parameters().forEach(p -> targets.put("param/" + p.name(), p.parameter().getArray()));
        step.optimizer().slots().forEach((name, a) -> targets.put("opt/" + name, a));
        if (!targets.keySet().equals(c.arrays().keySet())) {
            Set<String> missing = new java.util.TreeSet<>(targets.keySet());
            missing.removeAll(c.arrays().keySet());
            throw new IllegalArgumentException("checkpoint: does not fit the network of '" + experiment.name()
                    + "'; arrays missing: " + missing);
        }
        try (NDManager scope = root.newSubManager()) {
            targets.forEach((name, target) -> {
                NDArray saved = NDArray.decode(scope, c.arrays().get(name));
                if (!saved.getShape().equals(target.getShape()) || saved.getDataType() != target.getDataType()) {
                    throw new IllegalArgumentException("checkpoint: array '" + name + "' is " + saved.getDataType()
                            + saved.getShape() + ", the network has " + target.getDataType() + target.getShape());
                }
                target.set(saved.toByteBuffer());
            });
        }
        step.optimizer().restoreSteps(c.optimizerSteps());
        rows.clear();
        rows.addAll(MetricsCsv.parse(c.metricsCsv()));
        if (rows.size() != c.epochsDone()) {
            throw new IllegalArgumentException("checkpoint: " + c.epochsDone() + " epochs done but "
                    + rows.size() + " metrics rows");
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {
        step.close();
        root.close();
    }
}
