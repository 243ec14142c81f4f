package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.HostKernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Type-II Anderson acceleration with a window of m past iterates, batched per sample.
 *
 * <p>With residuals G = [g_i] (g_i = f(x_i) − x_i) and values F = [f(x_i)] of the window, the weights
 * solve min ‖αᵀG‖ subject to Σα = 1 in closed form, α = H⁻¹1 / (1ᵀH⁻¹1) with H = GGᵀ + λ̄I, and
 * x ← αᵀ(F − (1 − β)G). The Tikhonov term λ̄ = λ · mean(diag GGᵀ) is relative: an absolute λ
 * dominates GGᵀ once the residuals are small and turns the method into plain averaging.
 *
 * <p>CPU arrays keep the window on the host ({@link HostAnderson}) unless they hold more than
 * {@link HostAnderson#HOST_UP_TO} and at most {@link HostAnderson#LIBTORCH_UP_TO} elements; those, and arrays on
 * other devices, use libtorch's ops, for speed (each eager op costs microseconds, several times more than the tiny
 * m×m algebra, and over a large state the ops use every core):
 * the window lives in two preallocated (batch, m, d) buffers written in place; only the new row of
 * GGᵀ is computed on the device and read back with ‖f(x)‖ (its diagonal entry ‖g‖² also gives the
 * residual); GGᵀ is kept on the host and the batch of m×m systems is solved there in double
 * precision; the weights mix the filled part of the window in one batched product. Window indices are
 * parsed once per m and the windows are not zero-filled (together ~300 us per solve, as much as two
 * iterations' bookkeeping).
 */
final class AndersonSolver extends BatchedSolver {

    private static final int[] ROW_AXIS = {1};
    /** The indices for a window of m, parsed once per m: parsing costs ~30 us per index. */
    private static final Map<Integer, WindowIndices> INDICES = new ConcurrentHashMap<>();

    /**
     * {@code slot[i]} = ":, i" (slot i of a (batch, m, d) window); {@code first[n]} = ":, :n" (its first n slots);
     * {@code firstWeights[n]} = ":, :, :n" (the first n of the (batch, 1, m) weights).
     */
    private record WindowIndices(NDIndex[] slot, NDIndex[] first, NDIndex[] firstWeights) {
        static WindowIndices of(int m) {
            NDIndex[] slot = new NDIndex[m];
            NDIndex[] first = new NDIndex[m + 1];
            NDIndex[] firstWeights = new NDIndex[m + 1];
            for (int i = 0; i < m; i++) {
                slot[i] = new NDIndex(":, {}", i);
                first[i + 1] = new NDIndex(":, :{}", i + 1);
                firstWeights[i + 1] = new NDIndex(":, :, :{}", i + 1);
            }
            return new WindowIndices(slot, first, firstWeights);
        }
    }

    /** False keeps the window on the device even for CPU arrays (to test that path without a GPU). */
    private final boolean hostWhenCpu;

    AndersonSolver() {
        this(true);
    }

    AndersonSolver(boolean hostWhenCpu) {
        super("anderson");
        this.hostWhenCpu = hostWhenCpu;
    }

    @Override
    void iterate(FlatMap f, NDArray x0, SolverOptions options, Tracker tracker, NDManager work) {
        if (hostWhenCpu && HostAnderson.applies(x0)) {
            HostAnderson.iterate(f, x0, options, tracker, work);
            return;
        }
        int b = (int) x0.getShape().get(0);
        long d = x0.getShape().get(1);
        int m = options.m();
        double beta = options.beta();
        DataType dt = x0.getDataType();
        double floor = regularisationFloor(dt);
        // uninitialised: slot j is read only once it has been written (the mix narrows to the filled slots, and
        // GGᵀ entries of unfilled slots are never used), and zero-filling both windows cost ~120 us per solve
        NDArray gBuf = work.create(new Shape(b, m, d), dt, x0.getDevice());
        NDArray fBuf = work.create(new Shape(b, m, d), dt, x0.getDevice());
        WindowIndices index = INDICES.computeIfAbsent(m, WindowIndices::of);
        double[][][] ggt = new double[b][m][m]; // GGᵀ per sample, one row and column refreshed per iteration
        double[] gNorm = new double[b];
        double[] alpha = new double[b * m];
        double[] scratch = new double[m * (m + 1)];
        // the weights travel to the device through one reused array and direct buffer: creating a small
        // array costs ~30 us per iteration (a fresh direct buffer), setting one ~5 us
        NDArray weights = work.zeros(new Shape(b, 1, m), dt, x0.getDevice());
        ByteBuffer weightBytes = ByteBuffer.allocateDirect(b * m * dt.getNumOfBytes()).order(ByteOrder.nativeOrder());
        NDArray x = x0;
        for (int k = 0; !tracker.done(); k++) {
            NDArray next;
            try (NDManager it = work.newSubManager()) {
                x.tempAttach(it);
                gBuf.tempAttach(it);
                fBuf.tempAttach(it);
                weights.tempAttach(it);
                NDArray fx = f.apply(x);
                NDArray g = fx.sub(x);
                int s = k % m;
                gBuf.set(index.slot()[s], g);
                fBuf.set(index.slot()[s], fx);
                int n = Math.min(k + 1, m);
                NDArray gWindow = n == m ? gBuf : gBuf.get(index.first()[n]);
                // (b, 1, n): g · g_j for every filled slot j, a batched product with no (b, n, d) temporary (over a
                // large CPU state that temporary is fresh memory every iteration: 4x slower as a mul and a sum at
                // 128 × 16384). Two small reads back instead of one of their concatenation: concat costs more.
                NDArray row = g.expandDims(1).batchMatMul(gWindow.transpose(0, 2, 1));
                double[] dots = HostKernels.toDoubles(row);
                double[] fNorm = HostKernels.toDoubles(fx.norm(ROW_AXIS));
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < n; j++) {
                        ggt[i][s][j] = dots[i * n + j];
                        ggt[i][j][s] = ggt[i][s][j];
                    }
                    gNorm[i] = Math.sqrt(Math.max(0, ggt[i][s][s])); // max keeps a NaN (divergence) a NaN
                }
                if (tracker.record(x, Residuals.fromNorms(gNorm, fNorm))) {
                    break;
                }
                if (n == 1) {
                    next = beta == 1.0 ? fx : x.add(g.muli(beta));
                } else {
                    for (int i = 0; i < b; i++) {
                        mixingWeights(ggt[i], n, options.lam(), floor, alpha, i * m, scratch);
                    }
                    weights.set(encode(alpha, dt, weightBytes));
                    NDArray fWindow = n == m ? fBuf : fBuf.get(index.first()[n]);
                    NDArray w = n == m ? weights : weights.get(index.firstWeights()[n]);
                    NDArray mix = beta == 1.0 ? fWindow : fWindow.sub(gWindow.mul(1.0 - beta));
                    next = w.batchMatMul(mix).reshape(b, d);
                }
                next.attach(work);
            }
            tracker.release(x);
            x = next;
        }
    }

    /** The least Tikhonov term λ̄ for arrays of type dt, so that H stays invertible when every residual is 0. */
    static double regularisationFloor(DataType dt) {
        return dt == DataType.FLOAT64 ? 1e-200 : 1e-30;
    }

    /**
     * α = H⁻¹1 / (1ᵀH⁻¹1) for H = GGᵀ[:n, :n] + λ̄I, λ̄ = max(λ · mean(diag), floor), written to
     * {@code out[offset..offset+n)}; the rest of the window (up to m) keeps its zeros.
     * Gaussian elimination with partial pivoting on a copy; H is symmetric positive definite.
     */
    static void mixingWeights(double[][] ggt, int n, double lam, double floor, double[] out, int offset) {
        mixingWeights(ggt, n, lam, floor, out, offset, new double[n * (n + 1)]);
    }

    /**
     * As above with the augmented system [H | 1] in {@code scratch} (at least n(n+1) long), row-major:
     * called for every sample in every iteration, where a fresh 2-d array per call costs more than the solve.
     */
    static void mixingWeights(double[][] ggt, int n, double lam, double floor, double[] out, int offset,
            double[] scratch) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += ggt[i][i];
        }
        double reg = Math.max(lam * mean / n, floor);
        int w = n + 1;
        double[] a = scratch;
        for (int i = 0; i < n; i++) {
            System.arraycopy(ggt[i], 0, a, i * w, n);
            a[i * w + i] += reg;
            a[i * w + n] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * w + c]) > Math.abs(a[p * w + c])) {
                    p = r;
                }
            }
            if (p != c) {
                for (int j = c; j <= n; j++) {
                    double t = a[c * w + j];
                    a[c * w + j] = a[p * w + j];
                    a[p * w + j] = t;
                }
            }
            for (int r = c + 1; r < n; r++) {
                double q = a[r * w + c] / a[c * w + c];
                for (int j = c; j <= n; j++) {
                    a[r * w + j] -= q * a[c * w + j];
                }
            }
        }
        double sum = 0;
        for (int i = n - 1; i >= 0; i--) {
            double v = a[i * w + n];
            for (int j = i + 1; j < n; j++) {
                v -= a[i * w + j] * out[offset + j];
            }
            out[offset + i] = v / a[i * w + i];
            sum += out[offset + i];
        }
        for (int i = 0; i < n; i++) {
            out[offset + i] /= sum;
        }
    }

    /** {@code values} in {@code out} (rewound) as dt's element type. */
    private static ByteBuffer encode(double[] values, DataType dt, ByteBuffer out) {
        out.clear();
        for (double v : values) {
            if (dt == DataType.FLOAT64) {
                out.putDouble(v);
            } else {
                out.putFloat((float) v);
            }
        }
        return out.flip();
    }
}
