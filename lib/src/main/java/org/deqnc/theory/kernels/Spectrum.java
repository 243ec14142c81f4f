package org.deqnc.theory.kernels;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.Map;

/** Eigenvalues of symmetric kernel matrices (Hipparchus) and the spectral-norm errors the paper reports. */
public final class Spectrum {

    private Spectrum() {
    }

    /** Eigenvalues in increasing order; the matrix is symmetrised first ((K + K^T)/2, to undo float rounding). */
    public static double[] eigenvalues(double[][] symmetric) {
        int n = symmetric.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (symmetric[i].length != n) {
                throw new IllegalArgumentException("matrix: must be square, row " + i + " has " + symmetric[i].length
                        + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                s[i][j] = (symmetric[i][j] + symmetric[j][i]) / 2;
            }
        }
        double[] ev = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(s, false)).getEigenvalues();
        Arrays.sort(ev);
        return ev;
    }

    /** ||K||_2 of a symmetric matrix, the largest |eigenvalue|. */
    public static double spectralNorm(double[][] symmetric) {
        double[] ev = eigenvalues(symmetric);
        return Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
    }

    /** ||empirical - equivalent||_2 / ||equivalent||_2. */
    public static double relativeError(double[][] empirical, double[][] equivalent) {
        return distance(empirical, equivalent) / spectralNorm(equivalent);
    }

    /** ||a - b||_2 for symmetric a, b of the same size. */
    public static double distance(double[][] a, double[][] b) {
        int n = b.length;
        if (a.length != n) {
            throw new IllegalArgumentException("matrices: must both be " + n + "x" + n + ", got " + a.length + " rows");
        }
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = a[i][j] - b[i][j];
            }
        }
        return spectralNorm(d);
    }

    /**
     * Histogram densities of several spectra on common bins over [lo, hi] (eigenvalues outside are left out and
     * counted in the title): columns eigenvalue (bin centre), density, spectrum. Spectra come in the map's iteration order
     * (a chart's legend follows it): pass a {@code LinkedHashMap} or a {@code TreeMap}, not {@code Map.of}, whose
     * order changes from one JVM to the next.
     */
    public static Table histogram(Map<String, double[]> spectra, int bins, double lo, double hi) {
        if (bins < 1 || !(hi > lo)) {
            throw new IllegalArgumentException("bins, lo, hi: need bins >= 1 and hi > lo, got " + bins + ", " + lo + ", " + hi);
        }
        DoubleColumn centre = DoubleColumn.create("eigenvalue"), density = DoubleColumn.create("density");
        StringColumn name = StringColumn.create("spectrum");
        double width = (hi - lo) / bins;
        int outside = 0;
        for (Map.Entry<String, double[]> e : spectra.entrySet()) {
            int[] counts = new int[bins];
            for (double v : e.getValue()) {
                int k = (int) Math.floor((v - lo) / width);
                if (v >= lo && v <= hi) {
                    counts[Math.min(k, bins - 1)]++;
                } else {
                    outside++;
                }
            }
            for (int k = 0; k < bins; k++) {
                centre.append(lo + (k + 0.5) * width);
                density.append(counts[k] / (e.getValue().length * width));
                name.append(e.getKey());
            }
        }
        return Table.create("eigenvalue histogram (" + outside + " eigenvalues outside [" + (float) lo + ", " + (float) hi
                + "])", centre, density, name);
    }
}
