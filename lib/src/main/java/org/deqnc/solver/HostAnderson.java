package org.deqnc.solver;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.HostKernels;

import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * {@link AndersonSolver}'s iteration for float32 and float64 CPU arrays, with the window, the iterate and the
 * best iterate in Java float64 arrays. Per iteration libtorch runs only f (only its head h when f is an
 * {@link AffineTailMap}: the tail is applied here as h is read), on a tensor over memory this class writes in
 * place; f's value is read back once, and the residual, the GGᵀ row, the norms and the mix are Java loops. On the
 * device those are about fifteen eager ops (window writes, row products, norms, two read-backs, a where for the
 * best rows, the weights' upload, a batched mix), each paying its dispatch, and none of them spread over a second
 * core at these sizes (a 128 × 256 batch is exactly libtorch's grain for splitting an op). The loops go sample by
 * sample, so that a sample's rows of f(x), g and the new iterate are converted, used and written while they are in
 * the core's first-level cache, and the lowest-residual iterate costs no copy while it is one of the last two.
 * Measured on the 2-core dev machine, the benchmark's f (128 × 256 tanh cell), 30 iterations, 2 threads, before
 * the row-wise loops: 370–440 us per iteration here against 480–560 us with the window on the device (1 thread:
 * 410–460 against 435–550); f alone takes 145–160 us (docs/performance-log.md has the later measurements).
 */
final class HostAnderson {

    /**
     * The workspace of the thread's last solve, reused by the next one of the same shape: fresh window arrays
     * (megabytes for a training batch) cost more per solve than a few iterations, in zeroing and first-touch
     * page faults. Softly held, so a large one idle in a long session goes when memory runs short.
     */
    private static final ThreadLocal<SoftReference<HostAnderson>> LAST = new ThreadLocal<>();
    /** {@link #bestAt}'s mark for a sample whose lowest-residual rows were copied into {@link #best}. */
    private static final int COPIED = 2;
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
    /** float32 staging for the moves to and from tensor memory, used a sample's row at a time in the loop. */
    private final float[] floats;
    /** The iterate x_k in {@code xs[k % 2]}; the mix writes x_{k+1} over x_{k−1}. */
    private final double[][] xs = new double[2][];
    /**
     * Per sample, where its lowest-residual iterate is: 0 or 1, the slot of {@link #xs} (while the slot still
     * holds it), or {@link #COPIED}: its rows were copied into {@link #best} before the slot was overwritten.
     */
    private final int[] bestAt;
    private final double[] best;
    private boolean inUse;

    private HostAnderson(int b, int d, int m, DataType type) {
        this.b = b;
        this.d = d;
        this.m = m;
        this.type = type;
        this.floor = AndersonSolver.regularisationFloor(type);
        xs[0] = new double[b * d];
        xs[1] = new double[b * d];
        best = new double[b * d];
        bestAt = new int[b];
        g = new double[m][];
        fx = new double[m][];
        ggt = new double[b][m][m];
        alpha = new double[b * m];
        scratch = new double[m * (m + 1)];
        weights = new double[m];
        floats = new float[b * d];
    }

    /**
     * The largest small state (batch × features) solved here. Above it each Java pass streams a window that no cache
     * holds and is bound by memory bandwidth on the one core it runs on, while libtorch's ops spread the same passes
     * over every core (a second Java thread gained nothing: libtorch's idle OpenMP worker spins on the other core
     * after every parallel op). On the 2-core dev machine the libtorch ops were 1.6–2.1× faster per iteration at
     * 32 × 16384 and 128 × 16384, level at 128 × 1024 with a matmul cell, and slower at 128 × 256 (docs/cpu-notes.md,
     * "Where Anderson's window lives"). Between this limit and the next the iterates are libtorch's float32 (or
     * float64) arithmetic: equal to this class's to the solver's tolerance, not to the bit.
     */
    static final long HOST_UP_TO = 1 << 16;

    /**
     * The largest state that libtorch's ops take instead; larger ones come back here. Beyond it their per-iteration
     * tensors outgrow what glibc keeps for reuse (32 MiB, the project's {@code MALLOC_MMAP_THRESHOLD_}), every new one
     * page-faults, and this class, which allocates nothing per iteration, was faster again: 188 against 298 ms per
     * iteration at 128 × 65536, level at 128 × 32768 and 256 × 16384.
     */
    static final long LIBTORCH_UP_TO = 1 << 22;

    /**
     * Whether this path applies: a CPU float array of at most {@link #HOST_UP_TO} elements, or of more than
     * {@link #LIBTORCH_UP_TO} whose window rows fit Java arrays.
     */
    static boolean applies(NDArray x0) {
        long n = x0.getShape().size();
        return HostKernels.onHost(x0) && (n <= HOST_UP_TO || n > LIBTORCH_UP_TO && n <= Integer.MAX_VALUE - 8);
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
        AffineTailMap.Split split = f.split();
        int cur = 0;
        Arrays.fill(bestAt, cur);
        HostKernels.read(x0, xs[cur], floats);
        // f reads the iterate from this tensor, whose memory the loop overwrites with every new iterate
        NDArray input = work.zeros(new Shape(b, d), type, x0.getDevice());
        ByteBuffer inputMemory = input.toByteBuffer(true).order(ByteOrder.nativeOrder());
        HostKernels.write(xs[cur], inputMemory, type, floats);
        double[] fNorm = new double[b];
        double[] gNorm = new double[b];
        for (int k = 0; !tracker.done(); k++) {
            int s = k % m;
            if (fx[s] == null) {
                fx[s] = new double[b * d];
                g[s] = new double[b * d];
            }
            int n = Math.min(k + 1, m);
            try (NDManager it = work.newSubManager()) {
                input.tempAttach(it); // f's temporaries and value land in it, closed with it
                NDArray value = split == null ? f.apply(input) : f.applyHead(split, input);
                residualsAndGramRow(value, split, xs[cur], s, n, fNorm, gNorm);
            }
            boolean[] improved = tracker.record(Residuals.fromNorms(gNorm, fNorm));
            for (int i = 0; i < b; i++) {
                if (improved[i]) {
                    bestAt[i] = cur;
                }
            }
            if (tracker.done()) {
                break;
            }
            int next = 1 - cur;
            keepBestRowsOf(next);
            mix(s, n, beta, lam, xs[cur], xs[next], inputMemory);
            cur = next;
        }
        double[] out = options.returnFinal() ? xs[cur] : lowestResidualRows();
        // in memory libtorch owns: an array made by create(double[]) borrows a direct buffer, which a garbage
        // collection frees under any view of it that outlives the array (the caller's reshape of the result)
        NDArray result = work.zeros(new Shape(b, d), type, x0.getDevice());
        HostKernels.write(out, result.toByteBuffer(true), type, floats);
        tracker.keepResult(result);
    }

    /** Before slot {@code slot} of {@link #xs} is overwritten: copies out the best rows it still holds. */
    private void keepBestRowsOf(int slot) {
        for (int i = 0; i < b; i++) {
            if (bestAt[i] == slot) {
                System.arraycopy(xs[slot], i * d, best, i * d, d);
                bestAt[i] = COPIED;
            }
        }
    }

    /** {@link #best} completed with the rows still in {@link #xs}: every sample's lowest-residual iterate. */
    private double[] lowestResidualRows() {
        for (int i = 0; i < b; i++) {
            if (bestAt[i] != COPIED) {
                System.arraycopy(xs[bestAt[i]], i * d, best, i * d, d);
            }
        }
        return best;
    }

    /**
     * Sample by sample: f(x) into window slot s from {@code value} (f's value, or h's, finished here with the
     * split's affine tail), g_s = f(x) − x, row s of the sample's GGᵀ over the n filled slots, ‖f(x)‖ and ‖g_s‖
     * (from GGᵀ's diagonal; max keeps a NaN, the sign of divergence, a NaN).
     */
    private void residualsAndGramRow(NDArray value, AffineTailMap.Split split, double[] x, int s, int n,
            double[] fNorm, double[] gNorm) {
        double[] gs = g[s];
        double[] fs = fx[s];
        Rows rows = new Rows(value, split);
        for (int i = 0; i < b; i++) {
            int at = i * d;
            rows.read(at, d, fs);
            for (int p = at; p < at + d; p++) {
                gs[p] = fs[p] - x[p];
            }
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
     * The next iterate into {@code xn}, sample by sample, each row also written to f's input tensor: with one slot
     * filled x + β g, otherwise Σ_j α_j (f_j − (1 − β) g_j) with per-sample weights α from
     * {@link AndersonSolver#mixingWeights}.
     */
    private void mix(int s, int n, double beta, double lam, double[] x, double[] xn, ByteBuffer inputMemory) {
        FloatBuffer inFloats = type == DataType.FLOAT32 ? inputMemory.asFloatBuffer() : null;
        DoubleBuffer inDoubles = inFloats == null ? inputMemory.asDoubleBuffer() : null;
        for (int i = 0; i < b; i++) {
            int at = i * d;
            if (n == 1) {
                double[] gs = g[s];
                for (int p = at; p < at + d; p++) {
                    xn[p] = x[p] + beta * gs[p];
                }
            } else {
                AndersonSolver.mixingWeights(ggt[i], n, lam, floor, alpha, i * m, scratch);
                HostKernels.combine(xn, fx, alpha, i * m, n, at, d, false);
                if (beta != 1.0) {
                    for (int j = 0; j < n; j++) {
                        weights[j] = -(1 - beta) * alpha[i * m + j];
                    }
                    HostKernels.combine(xn, g, weights, 0, n, at, d, true);
                }
            }
            if (inFloats != null) {
                HostKernels.narrow(xn, floats, at, d);
                inFloats.put(at, floats, at, d);
            } else {
                inDoubles.put(at, xn, at, d);
            }
        }
    }

    /**
     * Row-wise reads of an f value (or an h value with its affine tail) as float64: through the tensor's own memory
     * when it is a float32 or float64 CPU array (a contiguous copy if it is not contiguous), else through a float64
     * CPU copy closed with the iteration's manager.
     */
    private final class Rows {
        private final FloatBuffer floatRows;
        private final DoubleBuffer doubleRows;
        private final AffineTailMap.Split split;

        Rows(NDArray value, AffineTailMap.Split split) {
            this.split = split;
            if (split != null && value.getDataType() != type) {
                throw new IllegalArgumentException("anderson: the head of f returned " + value.getDataType()
                        + " for a " + type + " input; an AffineTailMap's head keeps its input's type");
            }
            NDArray readable = HostKernels.onHost(value) ? value
                    : value.toDevice(Device.cpu(), false).toType(DataType.FLOAT64, false);
            ByteBuffer memory = readable.toByteBuffer(true).order(ByteOrder.nativeOrder());
            boolean single = readable.getDataType() == DataType.FLOAT32;
            floatRows = single ? memory.asFloatBuffer() : null;
            doubleRows = single ? null : memory.asDoubleBuffer();
        }

        /** Elements [at, at + n) into out[at, at + n). */
        void read(int at, int n, double[] out) {
            if (floatRows != null) {
                floatRows.get(at, floats, at, n);
                if (split == null) {
                    HostKernels.widen(floats, out, at, n);
                } else {
                    HostKernels.widenAffine(floats, out, at, n, (float) split.scale(), (float) split.shift());
                }
                return;
            }
            doubleRows.get(at, out, at, n);
            if (split != null) {
                double scale = split.scale();
                double shift = split.shift();
                for (int p = at; p < at + n; p++) {
                    out[p] = scale * out[p] + shift;
                }
            }
        }
    }
}
