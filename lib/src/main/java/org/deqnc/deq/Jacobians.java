package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.function.UnaryOperator;

/**
 * Jacobian tools at a fixed point: the power-method spectral radius of ∂f/∂z and the Hutchinson
 * estimate of ‖∂f/∂z‖²_F used as a regulariser (Bai et al. 2021; TorchDEQ's {@code jac_reg}).
 */
public final class Jacobians {

    private static final int[] SAMPLE_AXES = {1};

    private Jacobians() {
    }

    /**
     * Spectral radius of J = ∂f/∂z at z by power iteration on vᵀJ (J and Jᵀ share eigenvalues),
     * per sample; returns the largest over the batch. Converges to |λ_max| when the dominant
     * eigenvalue is unique in modulus; {@code iters} products of cost ~one backward of f each.
     */
    public static double spectralRadius(BoundCell f, NDArray z, int iters, long seed) {
        if (iters < 1) {
            throw new IllegalArgumentException("iters: must be >= 1, got " + iters);
        }
        try (NDManager s = z.getManager().newSubManager(); GradMode g = GradMode.off()) {
            UnaryOperator<NDArray> vjp = f.vjpAt(z, s);
            Shape shape = z.getShape();
            long b = shape.get(0);
            NDArray v = normalizePerSample(SeededNormal.gaussian(s, shape, z.getDataType(), 1.0, seed), b);
            NDArray norms = null;
            for (int i = 0; i < iters; i++) {
                NDArray w = vjp.apply(v);
                norms = w.reshape(b, -1).norm(SAMPLE_AXES);
                v = w.div(norms.reshape(Scopes.leadingAxis(shape)).addi(tiny(z.getDataType())));
            }
            return norms.max().toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /**
     * Hutchinson estimate E‖Jε‖² / numel(z) with one Gaussian probe ε, where Jε comes from a central
     * difference (f(z + hε) − f(z − hε)) / 2h (exact for linear f, O(h²) otherwise). Differentiable
     * in the parameters when applied under grad mode; DJL exposes no double-backward-free VJP w.r.t.
     * z alone, which is why the JVP is taken this way. The result is a scalar owned by z's manager.
     */
    public static NDArray hutchinson(BoundCell f, NDArray z, long seed) {
        double h = z.getDataType() == DataType.FLOAT64 ? 1e-5 : 1e-2;
        NDManager owner = z.getManager();
        try (NDManager s = owner.newSubManager()) {
            NDArray point = z.stopGradient();
            point.attach(s);
            NDArray eps = SeededNormal.gaussian(s, z.getShape(), z.getDataType(), 1.0, seed);
            NDArray step = eps.mul(h);
            NDArray jv = Scopes.div(f.apply(point.add(step)).sub(f.apply(point.sub(step))), 2 * h);
            NDArray out = Scopes.div(jv.square().sum(), z.getShape().size());
            out.attach(owner);
            return out;
        }
    }

    private static NDArray normalizePerSample(NDArray v, long b) {
        NDArray n = v.reshape(b, -1).norm(SAMPLE_AXES);
        return v.div(n.reshape(Scopes.leadingAxis(v.getShape())));
    }

    private static double tiny(DataType dt) {
        return dt == DataType.FLOAT64 ? 1e-300 : 1e-30;
    }
}
