package org.deqnc.chart;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A numeric axis: its displayed range, whether it is logarithmic, and its tick positions. Linear axes
 * are widened to "nice" multiples of 1, 2 or 5 times a power of ten; log axes to whole decades, so both
 * backends and a reader of the figure see round numbers at the ends.
 */
public final class AxisScale {

    private final double min;
    private final double max;
    private final boolean log;
    private final double[] ticks;

    private AxisScale(double min, double max, boolean log, double[] ticks) {
        this.min = min;
        this.max = max;
        this.log = log;
        this.ticks = ticks;
    }

    /** A linear axis covering [lo, hi], widened to nice tick multiples (about five intervals). */
    public static AxisScale linear(double lo, double hi) {
        requireFinite(lo, hi);
        if (lo == hi) {
            // A constant series still needs a visible range around its value.
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = niceStep((hi - lo) / 5);
        double min = Math.floor(lo / step + 1e-9) * step;
        double max = Math.ceil(hi / step - 1e-9) * step;
        int n = (int) Math.round((max - min) / step);
        double[] ticks = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            ticks[i] = round(min + i * step, step);
        }
        return new AxisScale(ticks[0], ticks[n], false, ticks);
    }

    /** A base-10 log axis covering [lo, hi] (both &gt; 0), widened to whole decades with a tick at each end. */
    public static AxisScale log10(double lo, double hi) {
        requireFinite(lo, hi);
        if (lo <= 0) {
            throw new IllegalArgumentException("log axis: needs positive values, smallest is " + lo);
        }
        int a = (int) Math.floor(Math.log10(lo) + 1e-12);
        int b = (int) Math.ceil(Math.log10(hi) - 1e-12);
        if (b == a) {
            b = a + 1;
        }
        int every = Math.max(1, (int) Math.ceil((b - a) / 8.0));
        // Widen the top to the next labelled decade, so that both ends of the axis carry a label.
        b = a + every * (int) Math.ceil((b - a) / (double) every);
        List<Double> ticks = new ArrayList<>();
        for (int e = a; e <= b; e += every) {
            ticks.add(Math.pow(10, e));
        }
        return new AxisScale(Math.pow(10, a), Math.pow(10, b), true, ticks.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public boolean isLog() {
        return log;
    }

    /** Tick positions in data units, ascending, both ends included. */
    public double[] ticks() {
        return ticks.clone();
    }

    /** Where {@code v} lies on the axis: 0 at {@link #min()}, 1 at {@link #max()}. */
    public double fraction(double v) {
        return log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) : (v - min) / (max - min);
    }

    /** A short tick label: plain decimals for moderate magnitudes, {@code 1e-6} style otherwise. */
    public static String label(double v) {
        double a = Math.abs(v);
        if (v == 0) {
            return "0";
        }
        if (a >= 1e-3 && a < 1e5) {
            return BigDecimal.valueOf(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
        }
        // %e, not %g: %g prints 1e-4 as 0.000100, with no exponent to split off.
        String s = String.format(Locale.ROOT, "%.2e", v);
        String[] parts = s.split("e");
        String mantissa = new BigDecimal(parts[0]).stripTrailingZeros().toPlainString();
        return mantissa + "e" + Integer.parseInt(parts[1]);
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * p;
    }

    /** Removes float noise such as 0.30000000000000004 by rounding to the step's decimals. */
    private static double round(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)) + 1);
        return BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    private static void requireFinite(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("axis: needs a finite range lo <= hi, got [" + lo + ", " + hi + "]");
        }
    }
}
