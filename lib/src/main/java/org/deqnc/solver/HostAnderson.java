package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.HostKernels;

import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;

/**
 * {@link AndersonSolver}'s iteration for float32 and float64 CPU arrays, with the window, the iterate and the
 * best iterate in Java float64 arrays. Per iteration libtorch runs only f, on a tensor over memory this class
 * writes in place; f's value is read back once, and the residual, the GGᵀ row, the norms, the lowest-residual
 * rows and the mix are a few Java passes over the batch. On the device those are about fifteen eager ops
 * (window writes, row products, norms, two read-backs, a where for the best rows, the weights' upload, a
 * batched mix), each paying its dispatch, and none of them spread over a second core at these sizes (a
 * 128 × 256 batch is exactly libtorch's grain for splitting an op). Measured on the 2-core dev machine, the
 * benchmark's f (128 × 256 tanh cell), 30 iterations, 2 threads: 370–440 us per iteration here against
 * 480–560 us with the window on the device (1 thread: 410–460 against 435–550); f alone takes 145–160 us.
 */
final class HostAnderson {

    /**
     * The workspace of the thread's last solve, reused by the next one of the same shape: fresh window arrays
     * (megabytes for a training batch) cost more per solve than a few iterations, in zeroing and first-touch
     * page faults. Softly held, so a large one idle in a long session goes when memory runs short.
     */
    private static final ThreadLocal<SoftReference<HostAnderson>> LAST = new ThreadLocal<>();
    private final int b;
    private final int d;
    private final int m;
    private final double floor;
    private final DataType type;
    /** The window: residuals g_j = f(x_j) − x_j and values f(x_j), slot j % m, each (b·d) row-major. */
    private final double[][] g;
    private final double[][] fx;
    private final double[][][] ggt;
    private final double[] alpha;
    private final double[] scratch;
    /** The weights of the residuals in a mix with β ≠ 1. */
    private final double[] weights;
    private final float[] floats;
    /** The iterate, and per sample the lowest-residual one so far. */
    private final double[] x;
    private final double[] best;
    private boolean inUse;

    private HostAnderson(int b, int d, int m, DataType type) {
        this.b = b;
        this.d = d;
        this.m = m;
        this.type = type;
        this.floor = AndersonSolver.regularisationFloor(type);
        x = new double[b * d];
        best = new double[b * d];
        g = new double[m][];
        fx = new double[m][];
        ggt = new double[b][m][m];
        alpha = new double[b * m];
        scratch = new double[m * (m + 1)];
        weights = new double[m];
        floats = type == DataType.FLOAT32 ? new float[b * d] : null;
    }

    /** Whether this path applies: a CPU float array whose window rows fit Java arrays. */
    static boolean applies(NDArray x0) {
        Shape s = x0.getShape();
        return HostKernels.onHost(x0) && s.size() <= Integer.MAX_VALUE - 8;
    }

    static void iterate(BatchedSolver.FlatMap f, NDArray x0, SolverOptions options, Tracker tracker, NDManager work) {
        int b = (int) x0.getShape().get(0);
        int d = (int) x0.getShape().get(1);
        SoftReference<HostAnderson> cached = LAST.get();
        HostAnderson h = cached == null ? null : cached.get();
        if (h == null || h.inUse || h.b != b || h.d != d || h.m != options.m() || h.type != x0.getDataType()) {
            h = new HostAnderson(b, d, options.m(), x0.getDataType());
            LAST.set(new SoftReference<>(h));
        }
        h.inUse = true; // a solve inside f (a nested DEQ) gets a workspace of its own
        try {
            h.run(f, x0, options, tracker, work);
        } finally {
            h.inUse = false;
        }
    }

    private void run(BatchedSolver.FlatMap f, NDArray x0, SolverOptions options, Tracker tracker, NDManager work) {
        double beta = options.beta();
        double lam = options.lam();
        HostKernels.read(x0, x, floats);
        // f reads the iterate from this tensor, whose memory the loop overwrites with every new iterate
        NDArray input = work.zeros(new Shape(b, d), type, x0.getDevice());
        ByteBuffer inputMemory = input.toByteBuffer(true);
        double[] fNorm = new double[b];
        double[] gNorm = new double[b];
        for (int k = 0; !tracker.done(); k++) {
            int s = k % m;
            if (fx[s] == null) {
                fx[s] = new double[b * d];
                g[s] = new double[b * d];
            }
            HostKernels.write(x, inputMemory, type, floats);
            try (NDManager it = work.newSubManager()) {
                input.tempAttach(it); // f's temporaries and value land in it, closed with it
                HostKernels.read(f.apply(input), fx[s], floats);
            }
            int n = Math.min(k + 1, m);
            residualsAndGramRow(s, n, fNorm, gNorm);
            boolean[] improved = tracker.record(Residuals.fromNorms(gNorm, fNorm));
            for (int i = 0; i < b; i++) {
                if (improved[i]) {
                    System.arraycopy(x, i * d, best, i * d, d);
                }
            }
            if (tracker.done()) {
                break;
            }
            mix(s, n, beta, lam);
        }
        // in memory libtorch owns: an array made by create(double[]) borrows a direct buffer, which a garbage
        // collection frees under any view of it that outlives the array (the caller's reshape of the result)
        NDArray result = work.zeros(new Shape(b, d), type, x0.getDevice());
        HostKernels.write(options.returnFinal() ? x : best, result.toByteBuffer(true), type, floats);
        tracker.keepResult(result);
    }

    /**
     * g_s = f(x) − x, row s of every sample's GGᵀ over the n filled slots, ‖f(x)‖ and ‖g_s‖ (from GGᵀ's
     * diagonal; max keeps a NaN, the sign of divergence, a NaN).
     */
    private void residualsAndGramRow(int s, int n, double[] fNorm, double[] gNorm) {
        double[] gs = g[s];
        double[] fs = fx[s];
        for (int p = 0; p < gs.length; p++) {
            gs[p] = fs[p] - x[p];
        }
        for (int i = 0; i < b; i++) {
            int at = i * d;
            double[][] h = ggt[i];
            HostKernels.dots(gs, g, n, at, d, h[s]);
            for (int j = 0; j < n; j++) {
                h[j][s] = h[s][j];
            }
            gNorm[i] = Math.sqrt(Math.max(0, h[s][s]));
            fNorm[i] = Math.sqrt(HostKernels.dot(fs, at, fs, at, d));
        }
    }

    /**
     * The next iterate into x: with one slot filled x + β g, otherwise Σ_j α_j (f_j − (1 − β) g_j) with
     * per-sample weights α from {@link AndersonSolver#mixingWeights}.
     */
    private void mix(int s, int n, double beta, double lam) {
        if (n == 1) {
            for (int p = 0; p < x.length; p++) {
                x[p] += beta * g[s][p];
            }
            return;
        }
        for (int i = 0; i < b; i++) {
            AndersonSolver.mixingWeights(ggt[i], n, lam, floor, alpha, i * m, scratch);
            HostKernels.combine(x, fx, alpha, i * m, n, i * d, d, false);
            if (beta != 1.0) {
                for (int j = 0; j < n; j++) {
                    weights[j] = -(1 - beta) * alpha[i * m + j];
                }
                HostKernels.combine(x, g, weights, 0, n, i * d, d, true);
            }
        }
    }
}
