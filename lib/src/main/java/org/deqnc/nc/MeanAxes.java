package org.deqnc.nc;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;

import java.util.EnumMap;
import java.util.Map;

/**
 * The singular values s_i (descending) and right singular vectors v_i of the centred class means M̃ under
 * one {@link GlobalMean} convention. The v_i are the eigenvectors of Σ_B = M̃ᵀM̃/K (eigenvalues s_i²/K),
 * so Tr(Σ_W Σ_B⁺) = Σ_i K·v_iᵀΣ_W v_i/s_i² needs Σ_W only along these at most K axes. Accumulators
 * project the centred features on them instead of forming the d×d scatter: 2·N·d·K flops, not N·d².
 * Taking v_i from the SVD of the K×d M̃ (not from M̃ᵀu_i/s_i) keeps the tiny directions of a nearly
 * singular Σ_B accurate, so the no-tolerance variant diverges there as it should.
 *
 * @param singularValues s_1 ≥ s_2 ≥ … ≥ s_p, p = min(K, d)
 * @param axes           v_1 … v_p, one unit vector of length d per row
 */
record MeanAxes(double[] singularValues, double[][] axes) {

    static MeanAxes of(ClassMeans means, GlobalMean convention) {
        SingularValueDecomposition svd = new SingularValueDecomposition(
                MatrixUtils.createRealMatrix(NcStatistics.centred(means, convention)));
        RealMatrix v = svd.getV();
        double[][] axes = new double[v.getColumnDimension()][];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = v.getColumn(i);
        }
        return new MeanAxes(svd.getSingularValues(), axes);
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
        return Dense.flatten(all.values().stream().flatMap(a -> java.util.Arrays.stream(a.axes)).toArray(double[][]::new));
    }

    /** Splits per-axis values (in the order of {@link #rows}) back by convention. */
    static Map<GlobalMean, double[]> split(Map<GlobalMean, MeanAxes> all, double[] perAxis) {
        Map<GlobalMean, double[]> out = new EnumMap<>(GlobalMean.class);
        int from = 0;
        for (Map.Entry<GlobalMean, MeanAxes> e : all.entrySet()) {
            int p = e.getValue().axes.length;
            out.put(e.getKey(), java.util.Arrays.copyOfRange(perAxis, from, from + p));
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
