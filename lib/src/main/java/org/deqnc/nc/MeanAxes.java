package org.deqnc.nc;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;

import org.hipparchus.linear.MatrixUtils;

/**
 * The singular values s_i (descending) and right singular vectors v_i of the centred class means M̃ under
 * one {@link GlobalMean} convention. The v_i are the eigenvectors of Σ_B = M̃ᵀM̃/K (eigenvalues s_i²/K),
 * so Tr(Σ_W Σ_B⁺) = Σ_i K·v_iᵀΣ_W v_i/s_i² needs Σ_W only along these at most K axes. Accumulators
 * project the centred features on them instead of forming the d×d scatter: 2·N·d·K flops, not N·d².
 * Taking v_i from the SVD of the K×d M̃ (not from the eigenvectors of M̃M̃ᵀ, which square its condition
 * number) keeps the tiny directions of a nearly singular Σ_B accurate, so the no-tolerance variant diverges
 * there as it should.
 *
 * <p>The SVD is a one-sided (Hestenes) Jacobi: plane rotations make the rows of M̃ (its columns when K &gt; d)
 * mutually orthogonal, and then their norms are the s_i. It computes small singular values to high relative
 * accuracy, and it is a few short loops: the general SVD it replaces (hipparchus's, a much larger method) was
 * compiled by the JIT again and again in every fresh JVM, which delayed the training loop's own compilation on
 * a two-core machine (docs/performance-log.md).
 *
 * @param singularValues s_1 ≥ s_2 ≥ … ≥ s_p, p = min(K, d)
 * @param axes           v_1 … v_p, one unit vector of length d per row
 */
record MeanAxes(double[] singularValues, double[][] axes) {

    /** Rotate a pair while |x·y| exceeds this times ‖x‖‖y‖: about the rounding of one dot product. */
    private static final double ORTHOGONAL = 4 * Math.ulp(1.0);
    /** Sweeps are quadratically convergent; a few suffice, this many only bounds a NaN's or a pathology's. */
    private static final int MAX_SWEEPS = 60;

    static MeanAxes of(ClassMeans means, GlobalMean convention) {
        return of(NcStatistics.centred(means, convention));
    }

    /** The SVD of {@code m} (K×d, K, d ≥ 1), which it overwrites. */
    static MeanAxes of(double[][] m) {
        int d = m[0].length;
        // K ≤ d: rotating rows, Jᵀ M̃ = Σ Vᵀ, so each orthogonalised row is s_i·v_i. K > d: rotating columns,
        // M̃ J = U Σ, and V = J is the product of the same rotations applied to the identity.
        boolean byRows = m.length <= d;
        double[][] vectors = byRows ? m : MatrixUtils.createRealMatrix(m).transpose().getData();
        double[][] v = byRows ? null : MatrixUtils.createRealIdentityMatrix(d).getData();
        orthogonalize(vectors, v);
        double[] norms = Dense.rowNorms(vectors);
        int[] order = descending(norms);
        double[] s = new double[order.length];
        double[][] axes = new double[order.length][];
        for (int r = 0; r < order.length; r++) {
            s[r] = norms[order[r]];
            axes[r] = byRows ? Dense.scaled(vectors[order[r]], 1 / s[r]) : v[order[r]];
        }
        if (byRows) {
            completeZeroAxes(axes, s);
        }
        return new MeanAxes(s, axes);
    }

    /**
     * Cyclic sweeps of plane rotations over every pair of {@code vectors} until all pairs are orthogonal to rounding
     * (or {@link #MAX_SWEEPS}); {@code companion} (null, or one row per vector) gets the same rotations.
     */
    private static void orthogonalize(double[][] vectors, double[][] companion) {
        int n = vectors.length;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int i = 0; i < n - 1; i++) {
                for (int j = i + 1; j < n; j++) {
                    double[] x = vectors[i];
                    double[] y = vectors[j];
                    double alpha = Dense.dot(x, x);
                    double beta = Dense.dot(y, y);
                    double gamma = Dense.dot(x, y);
                    if (!(Math.abs(gamma) > ORTHOGONAL * Math.sqrt(alpha) * Math.sqrt(beta))) {
                        continue;
                    }
                    // The rotation that zeroes x·y (Golub and Van Loan, one-sided Jacobi): the smaller root t.
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.copySign(1, zeta) / (Math.abs(zeta) + Math.hypot(1, zeta));
                    double c = 1 / Math.hypot(1, t);
                    double s = c * t;
                    rotate(x, y, c, s);
                    if (companion != null) {
                        rotate(companion[i], companion[j], c, s);
                    }
                    rotated = true;
                }
            }
            if (!rotated) {
                return;
            }
        }
    }

    /** (x, y) ← (c·x − s·y, s·x + c·y). */
    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int e = 0; e < x.length; e++) {
            double xe = x[e];
            double ye = y[e];
            x[e] = c * xe - s * ye;
            y[e] = s * xe + c * ye;
        }
    }

    /**
     * Replaces the axes of zero singular values (exactly zero rows, e.g. identical class means; their direction
     * 0/0) by unit vectors orthogonal to all the others: the basis vector farthest from their span, with
     * Gram–Schmidt done twice.
     */
    private static void completeZeroAxes(double[][] axes, double[] s) {
        int d = axes[0].length;
        for (int r = 0; r < axes.length; r++) {
            if (s[r] != 0) {
                continue;
            }
            double[] best = null;
            double bestNorm = -1;
            for (int e = 0; e < d; e++) {
                double[] u = new double[d];
                u[e] = 1;
                for (int pass = 0; pass < 2; pass++) {
                    for (int q = 0; q < axes.length; q++) {
                        if (q != r && (s[q] != 0 || q < r)) {
                            double[] a = axes[q];
                            double p = Dense.dot(u, a);
                            for (int i = 0; i < d; i++) {
                                u[i] -= p * a[i];
                            }
                        }
                    }
                }
                double norm = Math.sqrt(Dense.dot(u, u));
                if (norm > bestNorm) {
                    bestNorm = norm;
                    best = Dense.scaled(u, 1 / norm);
                }
            }
            axes[r] = best;
        }
    }

    /** Indices by value, largest first (ties by index; a NaN first, as {@link Double#compare} orders it). */
    private static int[] descending(double[] values) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> values[i]).reversed().thenComparing(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The axes of every convention, in {@link GlobalMean} order. */
    static Map<GlobalMean, MeanAxes> ofEveryConvention(ClassMeans means) {
        Map<GlobalMean, MeanAxes> all = new EnumMap<>(GlobalMean.class);
        for (GlobalMean g : GlobalMean.values()) {
            all.put(g, of(means, g));
        }
        return all;
    }

    /** The axes of every convention one after the other as the rows of a row-major P×d matrix (P = Σ p). */
    static double[] rows(Map<GlobalMean, MeanAxes> all) {
        return Dense.flatten(all.values().stream().flatMap(a -> Arrays.stream(a.axes)).toArray(double[][]::new));
    }

    /** Splits per-axis values (in the order of {@link #rows}) back by convention. */
    static Map<GlobalMean, double[]> split(Map<GlobalMean, MeanAxes> all, double[] perAxis) {
        Map<GlobalMean, double[]> out = new EnumMap<>(GlobalMean.class);
        int from = 0;
        for (Map.Entry<GlobalMean, MeanAxes> e : all.entrySet()) {
            int p = e.getValue().axes.length;
            out.put(e.getKey(), Arrays.copyOfRange(perAxis, from, from + p));
            from += p;
        }
        return out;
    }

    /** v_iᵀ S v_i for each axis, from a full row-major d×d scatter S (for accumulators that keep S anyway). */
    double[] scatterAlong(double[] scatter) {
        double[][] sv = Dense.timesSquare(axes, scatter);
        double[] q = new double[axes.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = Dense.dot(sv[i], axes[i]);
        }
        return q;
    }
}
