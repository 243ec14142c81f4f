package org.deqnc.bench;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;

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
import org.deqnc.nc.WithinScatter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times the full NC report (default N = 60000, d = 512, K = 10) on {@link NcBenchData}: in memory
 * ({@code nc_report_ours}; {@code nc_report_full_scatter_ours} also keeps the d×d within-class scatter,
 * {@link WithinScatter#FULL}), and streamed in batches by the two-pass and the one-pass accumulator, each
 * followed by the decision pass NC4 needs ({@code nc_report_two_pass_ours}, {@code nc_report_one_pass_ours}).
 * One {@code BENCH} line per measurement: median and spread of the repeats after one warm-up, peak
 * resident memory (VmHWM, reset before each repeat; includes libtorch's native buffers) and peak Java
 * heap above the data already held.
 *
 * <p>{@code numpy=PATH} then runs {@code environment/bench/nc_numpy.py} (same data, same formulas) in a
 * child {@code /usr/bin/python3}, echoes its two BENCH lines, checks that every value both sides computed
 * agrees and prints {@code RATIO name=nc_report ours_over_numpy=…} (and the same for
 * {@code nc_report_full_scatter}). {@code values=true} prints
 * the in-memory report as {@code VALUE key=value} lines, in the format of the script's {@code --values}.
 *
 * <p>From the repository root (exec:java keeps it as the working directory):
 * <pre>MAVEN_OPTS=-Xmx6g mvn -B -q -pl bench -am compile exec:java -Dexec.mainClass=org.deqnc.bench.NcBenchmark \
 *     -Dexec.args="n=60000 d=512 k=10 batch=4096 repeats=5 numpy=environment/bench/nc_numpy.py"</pre>
 */
public final class NcBenchmark {

    /** Relative agreement required of every value computed on both sides (absolute below 1e-12). */
    static final double AGREEMENT = 1e-8;

    private NcBenchmark() {
    }

    static final ConfigKey<Integer> N = ConfigKey.ofInt("n", 60_000, 2, 10_000_000, "samples");
    static final ConfigKey<Integer> D = ConfigKey.ofInt("d", 512, 1, 100_000, "feature dimension");
    static final ConfigKey<Integer> K = ConfigKey.ofInt("k", 10, 2, 10_000, "classes");
    static final ConfigKey<Integer> BATCH = ConfigKey.ofInt("batch", 4096, 1, 10_000_000,
            "rows per batch of the streamed reports");
    static final ConfigKey<Integer> REPEATS = ConfigKey.ofInt("repeats", 5, 1, 1000, "repeats (median and spread)");
    static final ConfigKey<String> NUMPY = ConfigKey.ofString("numpy", "",
            "path of nc_numpy.py: also run the numpy twin on the same data and compare every value");
    static final ConfigKey<Boolean> VALUES = ConfigKey.ofBoolean("values", false,
            "print the in-memory report as VALUE key=value lines");
    static final ConfigSchema SCHEMA = ConfigSchema.builder("NcBenchmark").add(N).add(D).add(K).add(BATCH)
            .add(REPEATS).add(NUMPY).add(VALUES).build();

    public static void main(String[] argv) throws IOException, InterruptedException {
        Config args = SCHEMA.parseArgs(String.join(" ", argv));
        int n = args.get(N);
        int d = args.get(D);
        int k = args.get(K);
        int batch = args.get(BATCH);
        int repeats = args.get(REPEATS);
        String numpy = args.get(NUMPY).isEmpty() ? null : args.get(NUMPY);
        boolean values = args.get(VALUES);

        NcBenchData data = NcBenchData.generate(n, d, k);
        Features all = Features.of(data.h(), n, d);
        int[] predictions = Predictions.linear(all, data.weights(), data.bias());
        System.out.printf("NC benchmark: N=%d d=%d K=%d batch=%d repeats=%d, %s, %d CPUs%n",
                n, d, k, batch, repeats, Engines.describe(), Runtime.getRuntime().availableProcessors());
        String shape = String.format(Locale.ROOT, "n=%d d=%d k=%d", n, d, k);

        Map<String, Double> ours = new LinkedHashMap<>();
        ours.put("nc_report", measure("nc_report_ours", shape, repeats,
                () -> inMemoryReport(data, predictions, WithinScatter.PROJECTED)));
        ours.put("nc_report_full_scatter", measure("nc_report_full_scatter_ours", shape, repeats,
                () -> inMemoryReport(data, predictions, WithinScatter.FULL)));
        measure("nc_report_two_pass_ours", shape + " batch=" + batch, repeats,
                () -> twoPassReport(data, predictions, batch));
        measure("nc_report_one_pass_ours", shape + " batch=" + batch, repeats,
                () -> onePassReport(data, predictions, batch));
        Map<String, Double> oursValues = valuesOf(inMemoryReport(data, predictions, WithinScatter.PROJECTED));
        if (values) {
            oursValues.forEach((key, v) -> System.out.println("VALUE " + key + "=" + v));
        }
        if (numpy != null) {
            NumpyRun run = runNumpy(numpy, n, d, k, repeats);
            run.benchLines().forEach(System.out::println);
            List<String> disagreements = disagreements(oursValues, run.values());
            System.out.printf(Locale.ROOT, "AGREE name=nc_report values=%d agree=%s%s%n", run.values().size(),
                    disagreements.isEmpty(), disagreements.isEmpty() ? "" : " differ=" + String.join(",", disagreements));
            for (String line : run.benchLines()) {
                String name = field(line, "name").replaceFirst("_numpy$", "");
                if (ours.containsKey(name)) {
                    System.out.printf(Locale.ROOT, "RATIO name=%s ours_over_numpy=%.3f%n", name,
                            ours.get(name) / Double.parseDouble(field(line, "median_ms")));
                }
            }
        }
    }

    /** The report every mode computes: all metrics, with classifier and network predictions. */
    static NcReport inMemoryReport(NcBenchData data, int[] predictions, WithinScatter keep) {
        return NcMetrics.of(Features.of(data.h(), data.n(), data.d()), data.labels(), data.k())
                .classifier(data.weights(), data.bias()).predictions(predictions).withinScatter(keep).report();
    }

    private static NcReport twoPassReport(NcBenchData data, int[] predictions, int batch) {
        try (TwoPassAccumulator acc = new TwoPassAccumulator(data.k(), data.d())) {
            forEachBatch(data.n(), batch, (from, to) -> acc.addFirstPass(rows(data, from, to), slice(data.labels(), from, to)));
            ClassMeans means = acc.endFirstPass();
            try (DecisionAccumulator dec = new DecisionAccumulator(means, data.weights(), data.bias())) {
                forEachBatch(data.n(), batch, (from, to) -> {
                    Features x = rows(data, from, to);
                    acc.addSecondPass(x, slice(data.labels(), from, to));
                    dec.add(x, slice(data.labels(), from, to), slice(predictions, from, to));
                });
                return NcMetrics.of(acc.finish()).classifier(data.weights(), data.bias()).decisions(dec.finish()).report();
            }
        }
    }

    private static NcReport onePassReport(NcBenchData data, int[] predictions, int batch) {
        NcStatistics stats;
        try (OnePassAccumulator acc = new OnePassAccumulator(data.k(), data.d())) {
            forEachBatch(data.n(), batch, (from, to) -> acc.add(rows(data, from, to), slice(data.labels(), from, to)));
            stats = acc.finish();
        }
        ClassifierDecisions decisions;
        try (DecisionAccumulator dec = new DecisionAccumulator(stats.classMeans(), data.weights(), data.bias())) {
            forEachBatch(data.n(), batch, (from, to) ->
                    dec.add(rows(data, from, to), slice(data.labels(), from, to), slice(predictions, from, to)));
            decisions = dec.finish();
        }
        return NcMetrics.of(stats).classifier(data.weights(), data.bias()).decisions(decisions).report();
    }

    /** Runs {@code run} once to warm up, then {@code repeats} times; prints the BENCH line and returns the median. */
    private static double measure(String name, String extra, int repeats, Supplier<NcReport> run) {
        run.get(); // warm-up: JIT, libtorch thread pools
        double[] ms = new double[repeats];
        double peakHeap = 0;
        double peakRss = 0;
        for (int r = 0; r < repeats; r++) {
            System.gc();
            long baseline = heapUsed();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            boolean rssReset = resetPeakRss();
            long start = System.nanoTime();
            run.get();
            ms[r] = (System.nanoTime() - start) / 1e6;
            peakHeap = Math.max(peakHeap, (heapPeak() - baseline) / 1048576.0);
            peakRss = Math.max(peakRss, rssReset ? peakRssKb() / 1024.0 : -1);
        }
        BenchLine line = new BenchLine(name, ms).with("impl", "ours");
        for (String pair : extra.trim().split("\\s+")) {
            String[] kv = pair.split("=", 2);
            line.with(kv[0], kv[1]);
        }
        System.out.println(line.with("peak_rss_mib", peakRss).with("peak_heap_above_data_mib", peakHeap));
        return line.medianMs();
    }

    /** Every computed value by its {@link org.deqnc.nc.NcMetric#key()}. */
    static Map<String, Double> valuesOf(NcReport report) {
        Map<String, Double> v = new LinkedHashMap<>();
        report.entries().forEach(e -> v.put(e.metric().key(), e.value()));
        return v;
    }

    /** What the numpy script printed: its BENCH lines and its VALUE lines. */
    record NumpyRun(List<String> benchLines, Map<String, Double> values) {
    }

    static NumpyRun runNumpy(String script, int n, int d, int k, int repeats) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", script, "--n", "" + n, "--d", "" + d, "--k", "" + k,
                "--repeats", "" + repeats, "--values").redirectErrorStream(true).start();
        List<String> bench = new ArrayList<>();
        Map<String, Double> values = new LinkedHashMap<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                output.add(line);
                if (line.startsWith("BENCH ")) {
                    bench.add(line);
                } else if (line.startsWith("VALUE ")) {
                    String[] kv = line.substring(6).split("=", 2);
                    values.put(kv[0], Double.parseDouble(kv[1]));
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || bench.isEmpty()) {
            throw new IllegalStateException("numpy: " + script + " exited with " + rc + " and printed:\n"
                    + String.join("\n", output));
        }
        return new NumpyRun(bench, values);
    }

    /** Keys computed on both sides whose values differ by more than {@link #AGREEMENT}, with both values. */
    static List<String> disagreements(Map<String, Double> ours, Map<String, Double> theirs) {
        List<String> differ = new ArrayList<>();
        theirs.forEach((key, b) -> {
            Double a = ours.get(key);
            if (a == null) {
                differ.add(key + ":missing_in_ours");
            } else if (Math.abs(a - b) > Math.max(1e-12, AGREEMENT * Math.abs(b))) {
                differ.add(key + ":" + a + "/" + b);
            }
        });
        return differ;
    }

    /** The value of {@code key=value} in a BENCH line. */
    private static String field(String line, String key) {
        for (String token : line.split(" ")) {
            if (token.startsWith(key + "=")) {
                return token.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("numpy: no " + key + "= in '" + line + "'");
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

    private static Features rows(NcBenchData data, int from, int to) {
        return Features.of(Arrays.copyOfRange(data.h(), from * data.d(), to * data.d()), to - from, data.d());
    }

    private static int[] slice(int[] a, int from, int to) {
        return Arrays.copyOfRange(a, from, to);
    }
}
