package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
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
 * <p>For speed the window lives in two preallocated (batch, m, d) buffers written in place, and
 * mean(diag GGᵀ) = mean ‖g_i‖² comes from the residual norms already read back for the stopping
 * rule, so each iteration has exactly one host transfer.
 */
final class AndersonSolver extends BatchedSolver {

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
        NDArray gBuf = work.zeros(new Shape(b, m, d), dt, x0.getDevice());
        NDArray fBuf = work.zeros(new Shape(b, m, d), dt, x0.getDevice());
        NDIndex[] slot = new NDIndex[m];
        NDIndex[] window = new NDIndex[m + 1];
        for (int i = 0; i < m; i++) {
            slot[i] = new NDIndex(":, {}", i);
            window[i + 1] = new NDIndex(":, :{}", i + 1);
        }
        // squared residual norm of each slot, per sample: diag(GGᵀ) without touching the device
        double[][] slotSq = new double[m][b];
        NDArray x = x0;
        for (int k = 0; !tracker.done(); k++) {
            NDArray next;
            try (NDManager it = work.newSubManager()) {
                x.tempAttach(it);
                gBuf.tempAttach(it);
                fBuf.tempAttach(it);
                NDArray fx = f.apply(x);
                NDArray g = fx.sub(x);
                if (tracker.record(x, Residuals.of(fx, g))) {
                    break;
                }
                int s = k % m;
                gBuf.set(slot[s], g);
                fBuf.set(slot[s], fx);
                for (int i = 0; i < b; i++) {
                    double a = tracker.lastAbs(i);
                    slotSq[s][i] = a * a;
                }
                int n = Math.min(k + 1, m);
                if (n == 1) {
                    next = beta == 1.0 ? fx : x.add(g.muli(beta));
                } else {
                    NDArray gs = n == m ? gBuf : gBuf.get(window[n]);
                    NDArray fs = n == m ? fBuf : fBuf.get(window[n]);
                    NDArray h = gs.batchMatMul(gs.transpose(0, 2, 1));
                    h.addi(tikhonov(it, slotSq, n, b, options.lam(), dt));
                    NDArray w = h.inverse().sum(new int[] {2}, true);
                    NDArray alpha = w.divi(w.sum(new int[] {1}, true)).transpose(0, 2, 1);
                    NDArray mix = beta == 1.0 ? fs : fs.sub(gs.mul(1.0 - beta));
                    next = alpha.batchMatMul(mix).reshape(b, d);
                }
                next.attach(work);
            }
            tracker.release(x);
            x = next;
        }
    }

    /** λ̄ I per sample with λ̄ = λ · mean_i ‖g_i‖², floored so an exactly converged sample stays invertible. */
    private static NDArray tikhonov(NDManager it, double[][] slotSq, int n, int b, double lam, DataType dt) {
        double[] reg = new double[b * n * n];
        for (int s = 0; s < b; s++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += slotSq[i][s];
            }
            double v = Math.max(lam * mean / n, dt == DataType.FLOAT64 ? 1e-200 : 1e-30);
            for (int i = 0; i < n; i++) {
                reg[s * n * n + i * n + i] = v;
            }
        }
        Shape shape = new Shape(b, n, n);
        if (dt == DataType.FLOAT64) {
            return it.create(reg, shape);
        }
        float[] r32 = new float[reg.length];
        for (int i = 0; i < reg.length; i++) {
            r32[i] = (float) reg[i];
        }
        return it.create(r32, shape);
    }
}
