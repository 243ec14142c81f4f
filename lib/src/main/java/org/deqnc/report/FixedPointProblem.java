package org.deqnc.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.deqnc.engine.ComputationInterruptedException;

import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A batched fixed-point problem z = f(z) with its starting point, for comparing solvers. The built-in
 * problems draw W with i.i.d. N(0, 1) entries from an explicit seed and rescale it to spectral norm
 * {@code wNorm}, so {@code wNorm < 1} makes both maps contractions (tanh is 1-Lipschitz) and larger
 * values make them harder; injections x are N(0, 1) from the same seed.
 */
public final class FixedPointProblem {

    /** Built-in problem names, as accepted by {@link #builtIn}. */
    public static final java.util.List<String> BUILT_IN = java.util.List.of("tanh-contraction", "linear");

    private final String name;
    private final double[][] z0;
    private final Function<NDManager, UnaryOperator<NDArray>> map;

    private FixedPointProblem(String name, double[][] z0, Function<NDManager, UnaryOperator<NDArray>> map) {
        this.name = name;
        this.z0 = z0;
        this.map = map;
    }

    /**
     * A custom problem: {@code map} builds f inside the manager the solvers run in (so any constant
     * arrays it creates are freed with it); {@code z0} is batch × dim.
     */
    public static FixedPointProblem of(String name, double[][] z0, Function<NDManager, UnaryOperator<NDArray>> map) {
        if (z0.length == 0 || z0[0].length == 0) {
            throw new IllegalArgumentException("z0: needs at least one row and one column");
        }
        return new FixedPointProblem(name, z0, map);
    }

    /** f(z) = tanh(z Wᵀ + x), a one-layer DEQ cell. */
    public static FixedPointProblem tanhContraction(int dim, int batch, double wNorm, long seed) {
        return dense("tanh-contraction", dim, batch, wNorm, seed, true);
    }

    /** f(z) = z Wᵀ + x, whose fixed point solves (I − W) z = x. */
    public static FixedPointProblem linear(int dim, int batch, double wNorm, long seed) {
        return dense("linear", dim, batch, wNorm, seed, false);
    }

    /** A built-in problem by name: {@code tanh-contraction} or {@code linear}. */
    public static FixedPointProblem builtIn(String name, int dim, int batch, double wNorm, long seed) {
        return switch (name) {
            case "tanh-contraction" -> tanhContraction(dim, batch, wNorm, seed);
            case "linear" -> linear(dim, batch, wNorm, seed);
            default -> throw new IllegalArgumentException("problem: unknown problem '" + name + "'"
                    + org.deqnc.config.DidYouMean.hint(name, BUILT_IN) + "; accepted: " + String.join(", ", BUILT_IN));
        };
    }

    public String name() {
        return name;
    }

    public int batch() {
        return z0.length;
    }

    public int dim() {
        return z0[0].length;
    }

    /** The starting point, batch × dim, in {@code manager}. */
    public NDArray z0(NDManager manager) {
        return manager.create(z0);
    }

    /** The map f, built in {@code manager}. */
    public UnaryOperator<NDArray> map(NDManager manager) {
        return map.apply(manager);
    }

    private static FixedPointProblem dense(String name, int dim, int batch, double wNorm, long seed, boolean tanh) {
        if (dim < 1 || batch < 1) {
            throw new IllegalArgumentException("dim, batch: must be >= 1, got dim=" + dim + " batch=" + batch);
        }
        if (!(wNorm > 0) || !Double.isFinite(wNorm)) {
            throw new IllegalArgumentException("w_norm: must be a finite number > 0, got " + wNorm);
        }
        Random rnd = new Random(seed);
        double[][] w = new double[dim][dim];
        for (double[] row : w) {
            ComputationInterruptedException.check(name + ": drawing W");
            for (int j = 0; j < dim; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        double scale = wNorm / SpectralNorm.of(w);
        // Row-major z (batch × dim) times Wᵀ, so store Wᵀ once.
        double[][] wt = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                wt[j][i] = w[i][j] * scale;
            }
        }
        double[][] x = new double[batch][dim];
        for (double[] row : x) {
            ComputationInterruptedException.check(name + ": drawing x");
            for (int j = 0; j < dim; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        String label = String.format(java.util.Locale.ROOT, "%s (dim=%d, batch=%d, ‖W‖₂=%g, seed=%d)", name, dim, batch, wNorm, seed);
        return new FixedPointProblem(label, new double[batch][dim], m -> {
            NDArray wtArr = m.create(wt);
            NDArray xArr = m.create(x);
            return z -> {
                NDArray pre = z.matMul(wtArr).add(xArr);
                return tanh ? pre.tanh() : pre;
            };
        });
    }
}
