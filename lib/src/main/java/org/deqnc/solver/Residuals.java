package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.deqnc.engine.HostKernels;

import java.util.Arrays;

/** Per-sample abs and rel residuals of one iterate, read back to the host in a single transfer. */
final class Residuals {

    private static final int[] FEATURE_AXIS = {1};

    final double[] abs;
    final double[] rel;

    private Residuals(double[] abs, double[] rel) {
        this.abs = abs;
        this.rel = rel;
    }

    /** {@code fz} and {@code g = fz − z} are flat (batch, d) arrays. */
    static Residuals of(NDArray fz, NDArray g) {
        int b = (int) g.getShape().get(0);
        double[] both;
        try (NDArray gn = g.norm(FEATURE_AXIS); NDArray fn = fz.norm(FEATURE_AXIS);
                NDArray cat = NDArrays.concat(new NDList(gn, fn))) {
            both = HostKernels.toDoubles(cat);
        }
        return fromNorms(Arrays.copyOf(both, b), Arrays.copyOfRange(both, b, 2 * b));
    }

    /** From the per-sample norms ‖f(z) − z‖ and ‖f(z)‖ already on the host. */
    static Residuals fromNorms(double[] gNorm, double[] fNorm) {
        double[] abs = gNorm.clone();
        double[] rel = new double[abs.length];
        for (int i = 0; i < abs.length; i++) {
            rel[i] = abs[i] / (fNorm[i] + 1e-9);
        }
        return new Residuals(abs, rel);
    }

    double[] of(StopMode mode) {
        return mode == StopMode.ABS ? abs : rel;
    }

    /** Sum over the batch of abs²: the line-search merit. */
    double sumSquares() {
        double s = 0;
        for (double a : abs) {
            s += a * a;
        }
        return Double.isNaN(s) ? Double.POSITIVE_INFINITY : s;
    }
}
