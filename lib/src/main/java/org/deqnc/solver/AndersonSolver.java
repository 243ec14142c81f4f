package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Type-II Anderson acceleration with a window of m past iterates, batched per sample.
 *
 * <p>With residuals G = [g_i] (g_i = f(x_i) − x_i) and values F = [f(x_i)] of the window, the weights
 * solve min ‖αᵀG‖ subject to Σα = 1 in closed form, α = H⁻¹1 / (1ᵀH⁻¹1) with H = GGᵀ + λ̄I, and
 * x ← αᵀ(F − (1 − β)G). The Tikhonov term λ̄ = λ · mean(diag GGᵀ) is relative: an absolute λ
 * dominates GGᵀ once the residuals are small and turns the method into plain averaging.
 *
 * <p>For speed (each eager op costs microseconds, several times more than the tiny m×m algebra):
 * the window lives in two preallocated (batch, m, d) buffers written in place; only the new row of
 * GGᵀ is computed on the device, and it travels to the host with ‖f(x)‖ in the iteration's single
 * transfer (its diagonal entry ‖g‖² also gives the residual); GGᵀ is kept on the host and the
 * batch of m×m systems is solved there in double precision; the weights, zero-padded to m, mix the
 * whole buffer in one batched product.
 */
final class AndersonSolver extends BatchedSolver {

    private static final int[] FEATURE_AXIS = {2};

    AndersonSolver() {
        super("anderson");
    }

    @Override
    void iterate(FlatMap f, NDArray x0, SolverOptions options, Tracker tracker, NDManager work) {
        int b = (int) x0.getShape().get(0);
        long d = x0.getShape().get(1);
        int m = options.m();
        double beta = options.beta();
        DataType dt = x0.getDataType();
        double floor = dt == DataType.FLOAT64 ? 1e-200 : 1e-30;
        NDArray gBuf = work.zeros(new Shape(b, m, d), dt, x0.getDevice());
        NDArray fBuf = work.zeros(new Shape(b, m, d), dt, x0.getDevice());
        NDIndex[] slot = new NDIndex[m];
        for (int i = 0; i < m; i++) {
            slot[i] = new NDIndex(":, {}", i);
        }
        double[][][] ggt = new double[b][m][m]; // GGᵀ per sample, one row and column refreshed per iteration
        double[] gNorm = new double[b];
        double[] fNorm = new double[b];
        double[] alpha = new double[b * m];
        NDArray x = x0;
        for (int k = 0; !tracker.done(); k++) {
            NDArray next;
            try (NDManager it = work.newSubManager()) {
                x.tempAttach(it);
                gBuf.tempAttach(it);
                fBuf.tempAttach(it);
                NDArray fx = f.apply(x);
                NDArray g = fx.sub(x);
                int s = k % m;
                gBuf.set(slot[s], g);
                fBuf.set(slot[s], fx);
                NDArray row = gBuf.mul(g.expandDims(1)).sum(FEATURE_AXIS); // (b, m): g · g_j for every slot j
                double[] host = Residuals.toDoubles(NDArrays.concat(new NDList(row, fx.norm(new int[] {1}, true)), 1));
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < m; j++) {
                        ggt[i][s][j] = host[i * (m + 1) + j];
                        ggt[i][j][s] = ggt[i][s][j];
                    }
                    gNorm[i] = Math.sqrt(Math.max(0, ggt[i][s][s])); // max keeps a NaN (divergence) a NaN
                    fNorm[i] = host[i * (m + 1) + m];
                }
                if (tracker.record(x, Residuals.fromNorms(gNorm, fNorm))) {
                    break;
                }
                int n = Math.min(k + 1, m);
                if (n == 1) {
                    next = beta == 1.0 ? fx : x.add(g.muli(beta));
                } else {
                    for (int i = 0; i < b; i++) {
                        mixingWeights(ggt[i], n, options.lam(), floor, alpha, i * m);
                    }
                    NDArray a = create(it, alpha, new Shape(b, 1, m), dt);
                    NDArray mix = beta == 1.0 ? fBuf : fBuf.sub(gBuf.mul(1.0 - beta));
                    next = a.batchMatMul(mix).reshape(b, d);
                }
                next.attach(work);
            }
            tracker.release(x);
            x = next;
        }
    }

    /**
     * α = H⁻¹1 / (1ᵀH⁻¹1) for H = GGᵀ[:n, :n] + λ̄I, λ̄ = max(λ · mean(diag), floor), written to
     * {@code out[offset..offset+n)}; the rest of the window (up to m) keeps its zeros.
     * Gaussian elimination with partial pivoting on a copy; H is symmetric positive definite.
     */
    static void mixingWeights(double[][] ggt, int n, double lam, double floor, double[] out, int offset) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += ggt[i][i];
        }
        double reg = Math.max(lam * mean / n, floor);
        double[][] a = new double[n][n + 1]; // augmented [H | 1]
        for (int i = 0; i < n; i++) {
            System.arraycopy(ggt[i], 0, a[i], 0, n);
            a[i][i] += reg;
            a[i][n] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            for (int r = c + 1; r < n; r++) {
                double q = a[r][c] / a[c][c];
                for (int j = c; j <= n; j++) {
                    a[r][j] -= q * a[c][j];
                }
            }
        }
        double sum = 0;
        for (int i = n - 1; i >= 0; i--) {
            double v = a[i][n];
            for (int j = i + 1; j < n; j++) {
                v -= a[i][j] * out[offset + j];
            }
            out[offset + i] = v / a[i][i];
            sum += out[offset + i];
        }
        for (int i = 0; i < n; i++) {
            out[offset + i] /= sum;
        }
    }

    private static NDArray create(NDManager it, double[] values, Shape shape, DataType dt) {
        if (dt == DataType.FLOAT64) {
            return it.create(values, shape);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return it.create(f, shape);
    }
}
