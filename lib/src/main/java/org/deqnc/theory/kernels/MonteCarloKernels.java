package org.deqnc.theory.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.Engines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Empirical kernels of random networks by Monte Carlo over the weights, every m x m and m x n product in
 * libtorch (float32; the kernels are accumulated in float64). Draw r takes two seeds from
 * {@code new SplittableRandom(seed)}, one for A (m x m) and one for B (m x p), so a DEQ and an explicit network
 * given the same seed see the same matrices: the explicit network's first layer is B, its second A (as in Ling
 * et al.'s matching scripts); a third layer onward would take A's seed plus the layer index.
 *
 * <p>DEQ: {@code Z <- phi(sigma_a A Z + sigma_b B X)/sqrt(m)} from Z = 0 until the relative Frobenius change
 * is below {@code tolerance}; then {@code CK += Z^T Z}, {@code NTK += (Z^T Z) ⊘ (1 1^T - sigma_a^2 Ż^T Ż)} with
 * {@code Ż = phi'(U)/sqrt(m)} at the fixed point's pre-activation U. Every draw checks the thread's interrupt flag.
 */
public final class MonteCarloKernels {

    /** The official scripts' fixed-point iteration budget is 25 at a 5e-6 spectral-norm tolerance. */
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    public static final double DEFAULT_TOLERANCE = 1e-5;

    private MonteCarloKernels() {
    }

    /** The empirical DEQ CK (φ-part) and NTK, with snapshots after each of {@code checkpoints} draws. */
    public static KernelEstimate deq(KernelInputs inputs, CenteredActivation phi, double sigmaA2, int width, int draws,
                                     long seed, int... checkpoints) {
        checkCommon(width, draws);
        if (!(sigmaA2 > 0 && sigmaA2 < 1)) {
            throw new IllegalArgumentException("sigma_a^2: must be in (0, 1), got " + sigmaA2);
        }
        double rootM = Math.sqrt(width);
        return run(inputs, width, draws, seed, checkpoints, true, (manager, x, seedA, seedB) -> {
            NDArray a = RandomNetworks.recurrent(manager, width, seedA);
            NDArray bx = RandomNetworks.input(manager, width, x.getShape().get(0), seedB).matMul(x);
            RandomNetworks.FixedPoint fp = RandomNetworks.deq(manager, a, bx, phi, sigmaA2);
            NDArray z = fp.z();
            NDArray zDot = phi.derivative(fp.preActivation()).div(rootM);
            NDArray ck = z.transpose().matMul(z).toType(DataType.FLOAT64, false);
            NDArray ntk = ck.div(zDot.transpose().matMul(zDot).toType(DataType.FLOAT64, false).mul(-sigmaA2).add(1));
            return new Draw(ck, ntk, fp.iterations());
        });
    }

    /**
     * The empirical CK {@code E[Y_L^T Y_L]} of the explicit network {@code Y_l = sigma_l(W_l Y_{l-1})/sqrt(m)},
     * Y_0 = X, W entries N(0, 1).
     */
    public static KernelEstimate explicit(KernelInputs inputs, List<CenteredActivation> layers, int width, int draws,
                                          long seed, int... checkpoints) {
        checkCommon(width, draws);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers: need at least one layer");
        }
        return run(inputs, width, draws, seed, checkpoints, false, (manager, x, seedA, seedB) -> {
            NDArray y = RandomNetworks.explicit(manager, x, layers, width, seedA, seedB);
            return new Draw(y.transpose().matMul(y).toType(DataType.FLOAT64, false), null, 0);
        });
    }

    private record Draw(NDArray ck, NDArray ntk, int iterations) {
    }

    private interface Sampler {
        Draw draw(NDManager manager, NDArray x, long seedA, long seedB);
    }

    private static KernelEstimate run(KernelInputs inputs, int width, int draws, long seed, int[] checkpoints,
                                      boolean withNtk, Sampler sampler) {
        int[] marks = Arrays.stream(checkpoints).distinct().sorted().toArray();
        for (int c : marks) {
            if (c < 1 || c >= draws) {
                throw new IllegalArgumentException("checkpoints: each must be in [1, draws) = [1, " + draws + "), got " + c);
            }
        }
        SplittableRandom seeds = new SplittableRandom(seed);
        List<KernelEstimate> snapshots = new ArrayList<>();
        try (NDManager manager = Engines.newManager()) {
            NDArray x = manager.create(toFloat(inputs.x())).transpose();   // p x n
            int n = inputs.size();
            NDArray ckSum = manager.zeros(new Shape(n, n), DataType.FLOAT64);
            NDArray ntkSum = manager.zeros(new Shape(n, n), DataType.FLOAT64);
            long iterations = 0;
            int next = 0;
            for (int r = 1; r <= draws; r++) {
                RandomNetworks.checkInterrupt();
                long seedA = seeds.nextLong(), seedB = seeds.nextLong();
                try (NDManager drawManager = manager.newSubManager()) {
                    Draw d = sampler.draw(drawManager, x, seedA, seedB);
                    ckSum.addi(d.ck());
                    if (withNtk) {
                        ntkSum.addi(d.ntk());
                    }
                    iterations += d.iterations();
                }
                if (r == draws || (next < marks.length && marks[next] == r)) {
                    KernelEstimate e = new KernelEstimate(toDoubles(ckSum.div(r)), withNtk ? toDoubles(ntkSum.div(r)) : null,
                            r, iterations / (double) r, r == draws ? List.copyOf(snapshots) : List.of());
                    if (r == draws) {
                        return e;
                    }
                    snapshots.add(e);
                    next++;
                }
            }
        }
        throw new AssertionError("unreachable");
    }

    private static void checkCommon(int width, int draws) {
        if (width < 1) {
            throw new IllegalArgumentException("width: m must be >= 1, got " + width);
        }
        if (draws < 1) {
            throw new IllegalArgumentException("draws: must be >= 1, got " + draws);
        }
    }

    private static float[][] toFloat(double[][] x) {
        float[][] f = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            f[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                f[i][j] = (float) x[i][j];
            }
        }
        return f;
    }

    private static double[][] toDoubles(NDArray square) {
        int n = Math.toIntExact(square.getShape().get(0));
        double[] flat = square.toDoubleArray();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * n, out[i], 0, n);
        }
        return out;
    }
}
