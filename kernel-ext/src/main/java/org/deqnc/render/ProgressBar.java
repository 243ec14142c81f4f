package org.deqnc.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A progress bar updated in place: percent, done/total, elapsed time, ETA and the latest metrics.
 * The first call shows it, later calls replace it through its display id, at most once per
 * {@link #MIN_INTERVAL_MS} (so a fast loop does not flood the notebook); {@link #finish} always draws
 * the final state. Each update carries HTML and a text/plain line for text frontends and logs.
 * <pre>{@code
 * ProgressBar bar = ProgressBar.start(DisplayTarget.of(kernel), "training", epochs);
 * for (int e = 1; e <= epochs; e++) { ...; bar.update(e, Map.of("loss", loss)); }
 * bar.finish();
 * }</pre>
 */
public final class ProgressBar {

    /** Minimum time between two redraws: at most about four updates per second. */
    public static final long MIN_INTERVAL_MS = 250;
    private static final int TEXT_WIDTH = 30;

    private final LiveOutput output;
    private final String label;
    private final long total;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastDrawNanos;
    private long done;
    private Map<String, Number> metrics = Map.of();
    private int draws;

    private ProgressBar(DisplayTarget target, String label, long total, LongSupplier nanoClock) {
        if (total < 1) {
            throw new IllegalArgumentException("total: must be >= 1, got " + total);
        }
        this.output = new LiveOutput(target);
        this.label = label;
        this.total = total;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** Shows a bar at 0 of {@code total}. */
    public static ProgressBar start(DisplayTarget target, String label, long total) {
        return start(target, label, total, System::nanoTime);
    }

    /** As {@link #start(DisplayTarget, String, long)} with an explicit clock (for tests). */
    public static ProgressBar start(DisplayTarget target, String label, long total, LongSupplier nanoClock) {
        ProgressBar bar = new ProgressBar(target, label, total, nanoClock);
        bar.draw(nanoClock.getAsLong());
        return bar;
    }

    /** Records progress and metrics; redraws if the last redraw is at least {@link #MIN_INTERVAL_MS} old. */
    public synchronized void update(long doneSoFar, Map<String, ? extends Number> latestMetrics) {
        this.done = Math.max(0, Math.min(total, doneSoFar));
        if (latestMetrics != null && !latestMetrics.isEmpty()) {
            this.metrics = new LinkedHashMap<>(latestMetrics);
        }
        long now = nanoClock.getAsLong();
        if (now - lastDrawNanos >= MIN_INTERVAL_MS * 1_000_000L) {
            draw(now);
        }
    }

    /** Draws the final state regardless of the rate limit. */
    public synchronized void finish() {
        draw(nanoClock.getAsLong());
    }

    /** How many times the bar was drawn (first display included). */
    public synchronized int draws() {
        return draws;
    }

    private void draw(long now) {
        lastDrawNanos = now;
        draws++;
        DisplayData dd = new DisplayData(text(now));
        dd.putHTML(html(now));
        output.set(dd);
    }

    /** e.g. {@code training [#########.....................]  30%  3/10  elapsed 1.2 s  ETA 2.8 s  loss=0.4213}. */
    public synchronized String text() {
        return text(nanoClock.getAsLong());
    }

    private String text(long now) {
        int filled = (int) (TEXT_WIDTH * done / total);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %d/%d  %s%s", label, "#".repeat(filled),
                ".".repeat(TEXT_WIDTH - filled), percent(), done, total, timing(now), metricText()).stripTrailing();
    }

    private String html(long now) {
        return "<div class=\"deq-progress\" style=\"font-family:monospace\">" + Html.escape(label) + " "
                + "<progress max=\"" + total + "\" value=\"" + done + "\" style=\"width:20em\"></progress> "
                + Html.escape(String.format(Locale.ROOT, "%d%%  %d/%d  %s%s", percent(), done, total, timing(now), metricText()))
                + "</div>";
    }

    private int percent() {
        return (int) (100 * done / total);
    }

    private String timing(long now) {
        double elapsed = (now - startNanos) / 1e9;
        String eta = done == 0 ? "?" : seconds(elapsed * (total - done) / done);
        return "elapsed " + seconds(elapsed) + "  ETA " + eta;
    }

    private static String seconds(double s) {
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return whole < 3600 ? String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60);
    }

    private String metricText() {
        StringBuilder b = new StringBuilder();
        // counts (cells ended, failures) as integers, measurements with 4 significant digits
        metrics.forEach((k, v) -> b.append("  ").append(k).append('=').append(v instanceof Integer || v instanceof Long
                ? v.toString() : String.format(Locale.ROOT, "%.4g", v.doubleValue())));
        return b.toString();
    }
}
