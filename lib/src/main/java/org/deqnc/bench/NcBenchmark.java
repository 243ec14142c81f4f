package org.deqnc.bench;

import org.deqnc.engine.Engines;
import org.deqnc.nc.ClassMeans;
import org.deqnc.nc.ClassifierDecisions;
import org.deqnc.nc.DecisionAccumulator;
import org.deqnc.nc.Features;
import org.deqnc.nc.NcMetrics;
import org.deqnc.nc.NcReport;
import org.deqnc.nc.NcStatistics;
import org.deqnc.nc.OnePassAccumulator;
import org.deqnc.nc.Predictions;
import org.deqnc.nc.TwoPassAccumulator;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Times the NC report on seeded synthetic features (default N = 60000, d = 512, K = 10): in memory, and
 * streamed in batches by the two-pass and the one-pass accumulator (each followed by the decision pass
 * NC4 needs). Prints the median of a few repeats, the peak Java heap above the data already held, and the
 * peak native resident memory (libtorch buffers live outside the Java heap).
 *
 * <pre>MAVEN_OPTS=-Xmx6g mvn -B -q -pl lib compile exec:java -Dexec.mainClass=org.deqnc.bench.NcBenchmark \
 *     -Dexec.args="n=60000 d=512 k=10 batch=4096 repeats=5 seed=1"</pre>
 */
public final class NcBenchmark {

    private NcBenchmark() {
    }

    public static void main(String[] args) {
        int n = intArg(args, "n", 60_000);
        int d = intArg(args, "d", 512);
        int k = intArg(args, "k", 10);
        int batch = intArg(args, "batch", 4096);
        int repeats = intArg(args, "repeats", 5);
        long seed = intArg(args, "seed", 1);

        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] centres = gaussian(rnd, k, d, 1.0);
        int[] labels = new int[n];
        double[] h = new double[n * d];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(k);
            for (int j = 0; j < d; j++) {
                h[i * d + j] = centres[labels[i]][j] + 2.0 * rnd.nextDouble() - 1.0;
            }
        }
        double[][] w = gaussian(rnd, k, d, 0.1);
        double[] b = gaussian(rnd, 1, k, 0.1)[0];
        Features all = Features.of(h, n, d);
        int[] predictions = Predictions.linear(all, w, b);
        System.out.printf("NC benchmark: N=%d d=%d K=%d batch=%d repeats=%d seed=%d, %s, %d CPUs%n",
                n, d, k, batch, repeats, seed, Engines.describe(), Runtime.getRuntime().availableProcessors());

        Table t = Table.create("NC report timings",
                StringColumn.create("mode"), DoubleColumn.create("median_ms"), DoubleColumn.create("min_ms"),
                DoubleColumn.create("peak_heap_above_data_mb"), DoubleColumn.create("peak_rss_mb"),
                DoubleColumn.create("nc1"));
        measure(t, "in-memory", repeats, () -> NcMetrics.of(all, labels, k).classifier(w, b)
                .predictions(predictions).report());
        measure(t, "two-pass streaming", repeats, () -> {
            try (TwoPassAccumulator acc = new TwoPassAccumulator(k, d)) {
                forEachBatch(n, batch, (from, to) -> acc.addFirstPass(rows(h, d, from, to), slice(labels, from, to)));
                ClassMeans means = acc.endFirstPass();
                try (DecisionAccumulator dec = new DecisionAccumulator(means)) {
                    forEachBatch(n, batch, (from, to) -> {
                        Features x = rows(h, d, from, to);
                        acc.addSecondPass(x, slice(labels, from, to));
                        dec.add(x, slice(labels, from, to), slice(predictions, from, to));
                    });
                    return NcMetrics.of(acc.finish()).classifier(w, b).decisions(dec.finish()).report();
                }
            }
        });
        measure(t, "one-pass streaming", repeats, () -> {
            NcStatistics stats;
            try (OnePassAccumulator acc = new OnePassAccumulator(k, d)) {
                forEachBatch(n, batch, (from, to) -> acc.add(rows(h, d, from, to), slice(labels, from, to)));
                stats = acc.finish();
            }
            ClassifierDecisions decisions;
            try (DecisionAccumulator dec = new DecisionAccumulator(stats.classMeans())) {
                forEachBatch(n, batch, (from, to) ->
                        dec.add(rows(h, d, from, to), slice(labels, from, to), slice(predictions, from, to)));
                decisions = dec.finish();
            }
            return NcMetrics.of(stats).classifier(w, b).decisions(decisions).report();
        });
        System.out.println(t.printAll());
        System.out.println("peak_heap_above_data_mb: Java heap pools' peak minus the heap in use before the run "
                + "(the " + (8L * n * d >> 20) + " MB feature array is already held); peak_rss_mb: VmHWM after "
                + "resetting it (-1 when the kernel does not allow the reset), includes libtorch's native buffers.");
    }

    private static void measure(Table t, String mode, int repeats, Supplier<NcReport> run) {
        run.get(); // warm-up: JIT, libtorch thread pools
        double[] ms = new double[repeats];
        double peakHeap = 0;
        double peakRss = 0;
        NcReport last = null;
        for (int r = 0; r < repeats; r++) {
            System.gc();
            long baseline = heapUsed();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            boolean rssReset = resetPeakRss();
            long start = System.nanoTime();
            last = run.get();
            ms[r] = (System.nanoTime() - start) / 1e6;
            peakHeap = Math.max(peakHeap, (heapPeak() - baseline) / 1048576.0);
            peakRss = Math.max(peakRss, rssReset ? peakRssKb() / 1024.0 : -1);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        t.stringColumn("mode").append(mode);
        t.doubleColumn("median_ms").append(Math.round(sorted[repeats / 2] * 10) / 10.0);
        t.doubleColumn("min_ms").append(Math.round(sorted[0] * 10) / 10.0);
        t.doubleColumn("peak_heap_above_data_mb").append(Math.round(peakHeap * 10) / 10.0);
        t.doubleColumn("peak_rss_mb").append(Math.round(peakRss));
        t.doubleColumn("nc1").append(last.nc1());
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** Linux resets VmHWM to the current RSS when "5" is written to /proc/self/clear_refs. */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static long peakRssKb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private interface BatchBody {
        void accept(int from, int to);
    }

    private static void forEachBatch(int n, int batch, BatchBody body) {
        for (int from = 0; from < n; from += batch) {
            body.accept(from, Math.min(n, from + batch));
        }
    }

    private static Features rows(double[] h, int d, int from, int to) {
        return Features.of(Arrays.copyOfRange(h, from * d, to * d), to - from, d);
    }

    private static int[] slice(int[] a, int from, int to) {
        return Arrays.copyOfRange(a, from, to);
    }

    private static double[][] gaussian(SplittableRandom rnd, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                // Sum of 12 uniforms minus 6: a seeded, dependency-free approximate standard normal.
                double s = -6;
                for (int u = 0; u < 12; u++) {
                    s += rnd.nextDouble();
                }
                row[j] = scale * s;
            }
        }
        return m;
    }

    private static int intArg(String[] args, String key, int fallback) {
        for (String a : args) {
            if (a.startsWith(key + "=")) {
                try {
                    return Integer.parseInt(a.substring(key.length() + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": expected an integer, got '" + a.substring(key.length() + 1) + "'");
                }
            }
        }
        return fallback;
    }
}
