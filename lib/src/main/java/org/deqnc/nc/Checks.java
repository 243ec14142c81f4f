package org.deqnc.nc;

import java.util.Arrays;

/** Argument checks shared by the accumulators and the metric builder; every message names the argument. */
final class Checks {

    private Checks() {
    }

    static void requireClassCount(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("K: must be >= 2 (NC compares classes), got " + k);
        }
    }

    static void requireFeatureDim(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("d: must be >= 1, got " + dim);
        }
    }

    static void requireDim(int expected, Features x) {
        if (x.cols() != expected) {
            throw new IllegalArgumentException("features: expected d = " + expected + " columns, got " + x.cols());
        }
    }

    /** Per-class counts of {@code labels}, after checking their number and range. */
    static long[] countLabels(String name, int[] labels, int rows, int k) {
        if (labels == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException(name + ": length " + labels.length
                    + " does not match the " + rows + " feature rows");
        }
        long[] counts = new long[k];
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException(name + ": value " + y + " at index " + i
                        + " is outside [0, K) with K = " + k);
            }
            counts[y]++;
        }
        return counts;
    }

    static void requireNoEmptyClass(long[] counts) {
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("labels: class " + c + " has no samples (class counts "
                        + Arrays.toString(counts) + "); every class 0.." + (counts.length - 1) + " needs at least one");
            }
        }
    }

    static double[][] requireMatrix(String name, double[][] m, int rows, int cols) {
        if (m == null || m.length != rows) {
            throw new IllegalArgumentException(name + ": expected " + rows + " x " + cols + ", got "
                    + (m == null ? "null" : m.length + " rows"));
        }
        double[][] copy = new double[rows][];
        for (int i = 0; i < rows; i++) {
            if (m[i] == null || m[i].length != cols) {
                throw new IllegalArgumentException(name + ": expected " + rows + " x " + cols + ", row " + i
                        + " has length " + (m[i] == null ? "null" : m[i].length));
            }
            copy[i] = requireVector(name, m[i], cols, " at row " + i);
        }
        return copy;
    }

    static double[] requireVector(String name, double[] v, int length) {
        if (v == null || v.length != length) {
            throw new IllegalArgumentException(name + ": expected length " + length + ", got "
                    + (v == null ? "null" : v.length));
        }
        return requireVector(name, v, length, "");
    }

    private static double[] requireVector(String name, double[] v, int length, String where) {
        for (int j = 0; j < length; j++) {
            if (!Double.isFinite(v[j])) {
                throw new IllegalArgumentException(name + ": non-finite value " + v[j] + where + ", column " + j);
            }
        }
        return v.clone();
    }
}
