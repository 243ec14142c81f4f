package org.deqnc.report;

import java.util.HashSet;
import java.util.List;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Gram matrices of vectors as wide tables for {@link Figures#heatmap}: a {@code row} column with the names and
 * one column per vector. Cosine Grams (each vector normalised first) put two models with different feature scales
 * on the same [−1, 1] colour scale.
 */
public final class Grams {

    private Grams() {
    }

    /**
     * The matrix of cos(v_i, v_j), rows and columns in the given order and named by {@code names}; a zero vector
     * has cosine NaN with everything (drawn as missing).
     */
    public static Table cosine(String title, double[][] vectors, List<String> names) {
        double[][] gram = new double[vectors.length][vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            for (int j = i; j < vectors.length; j++) {
                gram[i][j] = dot(vectors[i], vectors[j]);
                gram[j][i] = gram[i][j];
            }
        }
        return normalised(title, gram, names);
    }

    /** A Gram matrix G = VVᵀ given as such, normalised to cosines G_ij / √(G_ii G_jj). */
    public static Table normalised(String title, double[][] gram, List<String> names) {
        if (names.size() != gram.length) {
            throw new IllegalArgumentException("names: need one per row (" + gram.length + "), got " + names.size());
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("names: must be distinct (they name the table's columns)");
        }
        for (int j = 0; j < gram.length; j++) {
            if (gram[j].length != gram.length) {
                throw new IllegalArgumentException("gram: must be square, row " + j + " has " + gram[j].length
                        + " entries for " + gram.length + " rows");
            }
        }
        Table t = Table.create(title, StringColumn.create("row", names));
        for (int j = 0; j < gram.length; j++) {
            double[] col = new double[gram.length];
            for (int i = 0; i < gram.length; i++) {
                double scale = Math.sqrt(gram[i][i] * gram[j][j]);
                col[i] = scale > 0 ? gram[i][j] / scale : Double.NaN;
            }
            t.addColumns(DoubleColumn.create(names.get(j), col));
        }
        return t;
    }

    private static double dot(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors: must have equal length, got " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
