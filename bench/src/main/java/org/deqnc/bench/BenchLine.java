package org.deqnc.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line of the benchmark output contract parsed by {@code environment/bench.sh}:
 * {@code BENCH name=<id> median_ms=<x> spread_ms=<max-min> repeats=<n> [key=value ...]}. Every benchmark
 * main prints through this one class, so the format cannot drift between them.
 */
public final class BenchLine {

    private final String name;
    private final double[] samplesMs;
    private final Map<String, String> extra = new LinkedHashMap<>();

    /** {@code samplesMs}: one value per repeat. */
    public BenchLine(String name, double[] samplesMs) {
        if (samplesMs.length == 0) {
            throw new IllegalArgumentException("samplesMs: need at least one repeat for " + name);
        }
        this.name = name;
        this.samplesMs = samplesMs.clone();
    }

    public BenchLine with(String key, double value) {
        extra.put(key, String.format(Locale.ROOT, "%.4g", value));
        return this;
    }

    public BenchLine with(String key, String value) {
        extra.put(key, value);
        return this;
    }

    double medianMs() {
        return median(samplesMs);
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    @Override
    public String toString() {
        double spread = Arrays.stream(samplesMs).max().orElseThrow() - Arrays.stream(samplesMs).min().orElseThrow();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "BENCH name=%s median_ms=%.4f spread_ms=%.4f "
                + "repeats=%d", name, medianMs(), spread, samplesMs.length));
        extra.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
