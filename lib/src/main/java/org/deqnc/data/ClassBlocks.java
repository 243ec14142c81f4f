package org.deqnc.data;

/** Samples grouped by class and centred on their class mean: the raw material of the mixture estimators. */
final class ClassBlocks {

    /** Fewest samples per class for which the unbiased second-moment estimators are defined. */
    static final int MIN_PER_CLASS = 3;

    final int dimension;
    private final int[][] members;
    private final double[][] centered;

    private ClassBlocks(int dimension, int[][] members, double[][] centered) {
        this.dimension = dimension;
        this.members = members;
        this.centered = centered;
    }

    static ClassBlocks centered(double[][] x, int[] labels, int numClasses) {
        if (x.length != labels.length) {
            throw new IllegalArgumentException("labels: need one label per row of x (" + x.length + "), got " + labels.length);
        }
        if (x.length == 0 || x[0].length == 0) {
            throw new IllegalArgumentException("x: need at least one row and one column");
        }
        int p = x[0].length;
        int[] counts = new int[numClasses];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != p) {
                throw new IllegalArgumentException("x: every row must have " + p + " columns, row " + i + " has " + x[i].length);
            }
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("labels: label of row " + i + " must be in 0.." + (numClasses - 1) + ", got " + labels[i]);
            }
            counts[labels[i]]++;
        }
        int[][] members = new int[numClasses][];
        for (int a = 0; a < numClasses; a++) {
            if (counts[a] < MIN_PER_CLASS) {
                throw new IllegalArgumentException("labels: class " + a + " has " + counts[a] + " samples, need >= " + MIN_PER_CLASS);
            }
            members[a] = new int[counts[a]];
        }
        int[] filled = new int[numClasses];
        double[][] means = new double[numClasses][p];
        for (int i = 0; i < x.length; i++) {
            int a = labels[i];
            members[a][filled[a]++] = i;
            for (int j = 0; j < p; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException("x: non-finite value " + x[i][j] + " at row " + i + ", column " + j);
                }
                means[a][j] += x[i][j] / counts[a];
            }
        }
        double[][] centered = new double[x.length][p];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < p; j++) {
                centered[i][j] = x[i][j] - means[labels[i]][j];
            }
        }
        return new ClassBlocks(p, members, centered);
    }

    int numClasses() {
        return members.length;
    }

    int count(int a) {
        return members[a].length;
    }

    int[] members(int a) {
        return members[a];
    }

    double[] weights() {
        int n = 0;
        for (int[] m : members) {
            n += m.length;
        }
        double[] w = new double[members.length];
        for (int a = 0; a < w.length; a++) {
            w[a] = members[a].length / (double) n;
        }
        return w;
    }

    /** ||x_i - mean||^2. */
    double squaredNorm(int i) {
        return dot(centered[i], centered[i]);
    }

    /** sum over class a of ||x_i - mean_a||^2 = (n_a - 1) tr(S_a). */
    double gramTrace(int a) {
        double s = 0;
        for (int i : members[a]) {
            s += squaredNorm(i);
        }
        return s;
    }

    /** ||X_a X_b'||_F^2 over centred rows = (n_a - 1)(n_b - 1) tr(S_a S_b). */
    double crossGramSquaredNorm(int a, int b) {
        double s = 0;
        for (int i : members[a]) {
            for (int j : members[b]) {
                double d = dot(centered[i], centered[j]);
                s += d * d;
            }
        }
        return s;
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            s += u[k] * v[k];
        }
        return s;
    }
}
