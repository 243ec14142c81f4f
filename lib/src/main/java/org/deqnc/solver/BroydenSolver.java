package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * "Good" Broyden on g(z) = f(z) − z with the inverse Jacobian kept as B = −I + U Vᵀ (as in
 * locuslab/deq): step z ← z − B g, then the Sherman–Morrison update B ← B + (Δz − BΔg) ΔzᵀB / (ΔzᵀBΔg).
 *
 * <p>U (batch, d, M) and Vᵀ (batch, M, d) are preallocated with M = max_iter columns and used through
 * {@code batchMatMul}; no per-iteration concatenation. When a full step raises the batch residual, a
 * backtracking line search halves it up to three times. A near-zero denominator ΔzᵀBΔg drops that
 * sample's update smoothly (1/x is replaced by x / (x² + 1e-30)) instead of producing NaN.
 */
final class BroydenSolver extends BatchedSolver {

    private static final int MAX_BACKTRACKS = 3;

    BroydenSolver() {
        super("broyden");
    }

    @Override
    void iterate(FlatMap f, NDArray x0, SolverOptions options, Tracker tracker, NDManager work) {
        int b = (int) x0.getShape().get(0);
        long d = x0.getShape().get(1);
        int cols = options.maxIter();
        DataType dt = x0.getDataType();
        NDArray u = work.zeros(new Shape(b, d, cols), dt, x0.getDevice());
        NDArray vt = work.zeros(new Shape(b, cols, d), dt, x0.getDevice());
        NDIndex[] uCol = new NDIndex[cols];
        NDIndex[] vtRow = new NDIndex[cols];
        NDIndex[] uLead = new NDIndex[cols + 1];
        NDIndex[] vtLead = new NDIndex[cols + 1];
        for (int i = 0; i < cols; i++) {
            uCol[i] = new NDIndex(":, :, {}", i);
            vtRow[i] = new NDIndex(":, {}", i);
            uLead[i + 1] = new NDIndex(":, :, :{}", i + 1);
            vtLead[i + 1] = new NDIndex(":, :{}", i + 1);
        }

        NDArray x = x0;
        NDArray gx;
        double merit;
        try (NDManager it = work.newSubManager()) {
            x.tempAttach(it);
            NDArray fx = f.apply(x);
            gx = fx.sub(x);
            Residuals r = Residuals.of(fx, gx);
            gx.attach(work);
            if (tracker.record(x, r)) {
                return;
            }
            merit = r.sumSquares();
        }
        NDArray update = gx;
        int updates = 0;
        while (!tracker.done()) {
            NDArray xn;
            NDArray gn;
            NDArray nextUpdate;
            try (NDManager it = work.newSubManager()) {
                for (NDArray a : new NDArray[] {x, gx, u, vt}) {
                    a.tempAttach(it);
                }
                if (update != gx) {
                    update.tempAttach(it); // attaching one array twice would close it with `it`
                }
                double step = 1.0;
                xn = x.add(update);
                NDArray fxn = f.apply(xn);
                gn = fxn.sub(xn);
                Residuals rn = Residuals.of(fxn, gn);
                for (int t = 0; options.lineSearch() && t < MAX_BACKTRACKS && rn.sumSquares() > merit; t++) {
                    step *= 0.5;
                    xn = x.add(update.mul(step));
                    fxn = f.apply(xn);
                    gn = fxn.sub(xn);
                    rn = Residuals.of(fxn, gn);
                }
                gn.attach(work);
                if (tracker.record(xn, rn)) {
                    break;
                }
                merit = rn.sumSquares();
                NDArray dx = xn.sub(x);
                NDArray dg = gn.sub(gx);
                int n = Math.min(updates, cols);
                NDArray vT = dx.neg();
                NDArray bdg = dg.neg();
                if (n > 0) {
                    NDArray us = u.get(uLead[n]);
                    NDArray vts = vt.get(vtLead[n]);
                    vT.addi(dx.expandDims(1).batchMatMul(us).batchMatMul(vts).reshape(b, d));
                    bdg.addi(us.batchMatMul(vts.batchMatMul(dg.expandDims(2))).reshape(b, d));
                }
                NDArray denom = vT.mul(dg).sum(new int[] {1}, true);
                NDArray inv = denom.div(denom.square().addi(1e-30));
                NDArray newU = dx.sub(bdg).muli(inv);
                int slot = updates % cols;
                u.set(uCol[slot], newU);
                vt.set(vtRow[slot], vT);
                updates++;
                int k = Math.min(updates, cols);
                NDArray us = u.get(uLead[k]);
                NDArray vts = vt.get(vtLead[k]);
                nextUpdate = gn.sub(us.batchMatMul(vts.batchMatMul(gn.expandDims(2))).reshape(b, d));
                nextUpdate.attach(work);
            }
            tracker.release(x);
            gx.close();
            if (update != gx) {
                update.close();
            }
            x = xn;
            gx = gn;
            update = nextUpdate;
        }
    }
}
