package org.deqnc.theory.kernels;

import org.hipparchus.linear.EigenDecompositionSymmetric;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntToDoubleFunction;

/**
 * The Gaussian expectations of Ling et al. (ICML 2024) for the activation centred at input scale tau,
 * {@code phi(x) = f(x) - E f(tau xi)}, xi ~ N(0,1) (derivatives in the distributional sense, through Stein's lemma):
 * <pre>
 *   mean     = E f(tau xi)                          (the centring constant)
 *   variance = E phi(tau xi)^2                      (v in the notes, Ef2 in the code)
 *   d1       = E phi'(tau xi)    = E[xi phi] / tau
 *   d2       = E phi''(tau xi)   = E[(xi^2 - 1) phi] / tau^2
 *   d4       = E (phi^2)''(tau xi) = E[(xi^2 - 1) phi^2] / tau^2
 *   derivativeSquare = E phi'(tau xi)^2             (the NTK's diagonal)
 * </pre>
 */
public record GaussianMoments(double tau, double mean, double variance, double d1, double d2, double d4,
                              double derivativeSquare) {

    /** Default quadrature size: nodes of the Hermite rule, or per smooth piece of the Legendre rule. */
    public static final int DEFAULT_NODES = 160;
    /** Kinked activations are integrated on |xi| <= this; the Gaussian tail beyond is below 1e-40. */
    static final double TRUNCATION = 14;
    /** Rules by size, built once. */
    private static final Map<Integer, double[][]> HERMITE = new ConcurrentHashMap<>();
    private static final Map<Integer, double[][]> LEGENDRE = new ConcurrentHashMap<>();

    /** The closed form where the activation has one, quadrature otherwise. */
    public static GaussianMoments of(KernelActivation activation, double tau) {
        checkTau(tau);
        return activation.closedForm(tau).orElseGet(() -> quadrature(activation, tau, DEFAULT_NODES));
    }

    /**
     * By quadrature: Gauss–Hermite (Golub–Welsch) with {@code nodes} nodes for an activation without kinks; otherwise
     * Gauss–Legendre with {@code nodes} nodes on each smooth piece between the kinks (mapped to xi = kink / tau),
     * truncated at |xi| = 14, since a Hermite rule across a kink converges only algebraically.
     */
    public static GaussianMoments quadrature(KernelActivation activation, double tau, int nodes) {
        checkTau(tau);
        if (nodes < 2) {
            throw new IllegalArgumentException("nodes: need >= 2, got " + nodes);
        }
        double[][] rule = rule(activation.kinks(), tau, nodes);
        double ef = 0, ef2 = 0, exf = 0, ex2f = 0, ex2f2 = 0, edf2 = 0;
        for (int i = 0; i < rule[0].length; i++) {
            double xi = rule[0][i], w = rule[1][i];
            double f = activation.value(tau * xi), df = activation.derivative(tau * xi);
            ef += w * f;
            ef2 += w * f * f;
            exf += w * xi * f;
            ex2f += w * (xi * xi - 1) * f;
            ex2f2 += w * (xi * xi - 1) * f * f;
            edf2 += w * df * df;
        }
        double d4 = (ex2f2 - 2 * ef * ex2f) / (tau * tau);   // (xi^2 - 1) has mean 0, so the constant drops out
        return new GaussianMoments(tau, ef, ef2 - ef * ef, exf / tau, ex2f / (tau * tau), d4, edf2);
    }

    /** Nodes (in xi) and weights (summing to 1) of the N(0,1) rule. */
    private static double[][] rule(double[] kinks, double tau, int nodes) {
        if (kinks.length == 0) {
            return HERMITE.computeIfAbsent(nodes, GaussianMoments::hermiteRule);
        }
        double[] edges = Arrays.stream(kinks).map(k -> k / tau).filter(k -> Math.abs(k) < TRUNCATION).sorted().toArray();
        double[] bounds = new double[edges.length + 2];
        bounds[0] = -TRUNCATION;
        System.arraycopy(edges, 0, bounds, 1, edges.length);
        bounds[bounds.length - 1] = TRUNCATION;
        int pieces = bounds.length - 1;
        double[][] r = new double[2][pieces * nodes];
        double[][] legendre = LEGENDRE.computeIfAbsent(nodes, GaussianMoments::legendreRule);
        for (int p = 0; p < pieces; p++) {
            double half = (bounds[p + 1] - bounds[p]) / 2, mid = (bounds[p + 1] + bounds[p]) / 2;
            for (int i = 0; i < nodes; i++) {
                double xi = mid + half * legendre[0][i];
                r[0][p * nodes + i] = xi;
                r[1][p * nodes + i] = half * legendre[1][i] * Math.exp(-xi * xi / 2) / Math.sqrt(2 * Math.PI);
            }
        }
        return r;
    }

    /**
     * The Gauss–Hermite rule for N(0,1): the probabilists' Hermite polynomials have the Jacobi matrix with zero
     * diagonal and off-diagonal sqrt(k); the total weight is 1.
     */
    private static double[][] hermiteRule(int nodes) {
        return golubWelsch(nodes, k -> Math.sqrt(k), 1);
    }

    /** The Gauss–Legendre rule on [-1, 1]: off-diagonal k / sqrt(4k^2 - 1), total weight 2. */
    private static double[][] legendreRule(int nodes) {
        return golubWelsch(nodes, k -> k / Math.sqrt(4.0 * k * k - 1), 2);
    }

    /**
     * Golub–Welsch: the nodes of a Gauss rule are the eigenvalues of the (symmetric tridiagonal, zero-diagonal)
     * Jacobi matrix of its orthogonal polynomials, the weights the squared first eigenvector components times the
     * total weight (Hipparchus's tridiagonal eigensolver). Hipparchus's own rule factories build every smaller rule
     * first and are too slow beyond about 100 nodes.
     */
    private static double[][] golubWelsch(int nodes, IntToDoubleFunction offDiagonal, double totalWeight) {
        double[] off = new double[nodes - 1];
        for (int k = 1; k < nodes; k++) {
            off[k - 1] = offDiagonal.applyAsDouble(k);
        }
        EigenDecompositionSymmetric eigen = new EigenDecompositionSymmetric(new double[nodes], off);
        double[][] r = new double[2][nodes];
        for (int i = 0; i < nodes; i++) {
            double first = eigen.getEigenvector(i).getEntry(0);
            r[0][i] = eigen.getEigenvalue(i);
            r[1][i] = totalWeight * first * first;
        }
        return r;
    }

    private static void checkTau(double tau) {
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("tau: the input scale must be finite and > 0, got " + tau);
        }
    }
}
