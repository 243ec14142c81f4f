package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The per-batch products behind every accumulator, written as a few large BLAS calls so that the
 * dominant cost, the d×d within-class scatter (about N·d² flops), runs at matrix-multiply speed.
 * Every result is owned by the manager of {@code oneHot} (a temporary one), never by the caller's.
 */
final class BatchKernels {

    private BatchKernels() {
    }

    /** The (to − from)×K float64 indicator matrix of {@code labels[from..to)} (labels already range-checked). */
    static NDArray oneHot(NDManager into, int[] labels, int from, int to, int k) {
        double[] indicator = new double[(to - from) * k];
        for (int i = from; i < to; i++) {
            indicator[(i - from) * k + labels[i]] = 1.0;
        }
        return into.create(indicator, new Shape(to - from, k));
    }

    /** K×d per-class sums Yᵀx. */
    static NDArray classSums(NDArray oneHot, NDArray x) {
        return oneHot.transpose().matMul(x);
    }

    /** x − Y·means: each row minus the mean of its class. */
    static NDArray centre(NDArray x, NDArray oneHot, NDArray means) {
        return oneHot.matMul(means).negi().addi(x);
    }

    /** d×d scatter cᵀc of already centred rows. */
    static NDArray scatter(NDArray centred) {
        return centred.transpose().matMul(centred);
    }

    /** Length-K per-class sums of squared row norms of already centred rows (the traces of the class scatters). */
    static NDArray classSquaredNorms(NDArray oneHot, NDArray centred) {
        return oneHot.transpose().matMul(centred.square().sum(new int[] {1}));
    }
}
