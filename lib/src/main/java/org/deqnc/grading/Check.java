package org.deqnc.grading;

import java.util.Arrays;
import java.util.Objects;

/**
 * Assertions for the test cells of coursework notebooks. Each one throws an {@link AssertionError} whose
 * message names what was checked, what was expected and what was got, e.g.
 * {@code nc1 of the collapsed set: expected 0.0 ± 1.0e-09, got 0.25 (off by 0.25)}. They do not use Java's
 * {@code assert} statement, so they fail whether or not the JVM runs with {@code -ea} (kernels run without).
 */
public final class Check {

    private Check() {
    }

    /** Passes when |actual − expected| ≤ tol; NaN never passes, an infinity only against the same infinity. */
    public static void close(double actual, double expected, double tol, String what) {
        requireTolerance(tol);
        if (!isClose(actual, expected, tol)) {
            throw new AssertionError(what + ": expected " + number(expected) + " ± " + number(tol) + ", got " + number(actual)
                    + (Double.isFinite(actual) && Double.isFinite(expected) ? " (off by " + number(Math.abs(actual - expected)) + ")" : ""));
        }
    }

    /** Element-wise {@link #close(double, double, double, String)}; the message names the first index that differs. */
    public static void close(double[] actual, double[] expected, double tol, String what) {
        requireTolerance(tol);
        Objects.requireNonNull(expected, "expected");
        if (actual == null) {
            throw new AssertionError(what + ": expected an array of length " + expected.length + ", got null");
        }
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": expected an array of length " + expected.length + ", got length " + actual.length);
        }
        for (int i = 0; i < actual.length; i++) {
            if (!isClose(actual[i], expected[i], tol)) {
                throw new AssertionError(what + "[" + i + "]: expected " + number(expected[i]) + " ± " + number(tol) + ", got "
                        + number(actual[i]) + " (first of " + countDifferent(actual, expected, tol) + " differing elements of " + actual.length + ")");
            }
        }
    }

    /** Passes when the two whole numbers are equal (ints widen to long). */
    public static void equal(long actual, long expected, String what) {
        if (actual != expected) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** Passes when {@code Objects.equals(actual, expected)}; arrays compare by content. */
    public static void equal(Object actual, Object expected, String what) {
        if (!Objects.deepEquals(actual, expected)) {
            throw new AssertionError(what + ": expected " + text(expected) + ", got " + text(actual));
        }
    }

    /** Passes when {@code condition} holds; {@code what} states the property, e.g. "Anderson needs fewer iterations than Picard". */
    public static void isTrue(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what + ": expected true, got false");
        }
    }

    private static boolean isClose(double actual, double expected, double tol) {
        if (Double.isNaN(actual) || Double.isNaN(expected)) {
            return false;
        }
        if (Double.isInfinite(actual) || Double.isInfinite(expected)) {
            return actual == expected;
        }
        return Math.abs(actual - expected) <= tol;
    }

    private static int countDifferent(double[] actual, double[] expected, double tol) {
        int n = 0;
        for (int i = 0; i < actual.length; i++) {
            n += isClose(actual[i], expected[i], tol) ? 0 : 1;
        }
        return n;
    }

    private static void requireTolerance(double tol) {
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new IllegalArgumentException("tol: must be a finite number >= 0, got " + tol);
        }
    }

    /** Java's shortest round-trip form: the got value is shown exactly, not rounded into agreement. */
    private static String number(double x) {
        return String.valueOf(x);
    }

    private static String text(Object o) {
        if (o == null) {
            return "null";
        }
        if (o.getClass().isArray()) {
            String s = Arrays.deepToString(new Object[] {o});
            return s.substring(1, s.length() - 1);
        }
        return o instanceof String ? "\"" + o + "\"" : o.toString();
    }
}
