package org.deqnc.theory.kernels;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The scalars of Ling et al.'s (ICML 2024) high-dimensional equivalents for the single-layer DEQ
 * {@code z* = phi(sigma_a A z* + sigma_b B x)/sqrt(m)}, sigma_a^2 + sigma_b^2 = 1, phi centred at tau:
 * <pre>
 *   tau^2 = sigma_a^2 v(tau) + sigma_b^2 tau0^2                       (iterated to a fixed point)
 *   alpha1 = sigma_b^2 / (1 - sigma_a^2 d1^2)
 *   alpha4 = sigma_b^2 / (1 - sigma_a^2 d4/2)
 *   alpha2 = (sigma_a^2/4) d2^2 alpha4^2 / (1 - sigma_a^2 d1^2)
 *   alpha3 = (sigma_a^2/2) d2^2 alpha1^2 / (1 - sigma_a^2 d1^2)
 *   Implicit-CK  Ḡ = alpha1 X^T X + V A V^T + (tau^2 - tau0^2 alpha1) I
 * </pre>
 * The empirical kernels are the φ-part {@code E[Z*^T Z*]}, compared with {@code Ḡ' = (Ḡ - sigma_b^2 X^T X)/sigma_a^2}
 * ({@link #ckPhiPart()}); the Implicit-NTK equivalent K̄ follows the Feng–Kolter form Σ/(1 - Σ̇) ({@link #ntk()}).
 */
public final class DeqKernelTheory {

    /** Stop the tau iteration when a step changes tau by less than this, relative. */
    static final double TAU_TOLERANCE = 1e-14;
    static final int TAU_MAX_ITERATIONS = 1000;

    private final KernelActivation activation;
    private final double sigmaA2;
    private final double tau0;
    private final double tau;
    private final int tauIterations;
    private final GaussianMoments moments;

    private DeqKernelTheory(KernelActivation activation, double sigmaA2, double tau0, double tau, int tauIterations,
                            GaussianMoments moments) {
        this.activation = activation;
        this.sigmaA2 = sigmaA2;
        this.tau0 = tau0;
        this.tau = tau;
        this.tauIterations = tauIterations;
        this.moments = moments;
        double linearGain = sigmaA2 * moments.d1() * moments.d1();
        if (!(linearGain < 1) || !(sigmaA2 * moments.d4() / 2 < 1)) {
            throw new IllegalArgumentException(String.format("sigma_a^2: %g makes the kernel recursion diverge for %s "
                    + "(sigma_a^2 d1^2 = %.4g, sigma_a^2 d4/2 = %.4g; both must be < 1)", sigmaA2, activation.name(),
                    linearGain, sigmaA2 * moments.d4() / 2));
        }
    }

    /** Solves the tau fixed point from tau = tau0 and the scalars, with {@link GaussianMoments#of}. */
    public static DeqKernelTheory solve(KernelActivation activation, double sigmaA2, double tau0) {
        return solve(activation, sigmaA2, tau0, t -> GaussianMoments.of(activation, t));
    }

    /** As {@link #solve(KernelActivation, double, double)}, every moment by quadrature with {@code nodes} nodes. */
    public static DeqKernelTheory solve(KernelActivation activation, double sigmaA2, double tau0, int nodes) {
        return solve(activation, sigmaA2, tau0, t -> GaussianMoments.quadrature(activation, t, nodes));
    }

    private static DeqKernelTheory solve(KernelActivation activation, double sigmaA2, double tau0,
                                         DoubleFunction<GaussianMoments> moments) {
        if (!(sigmaA2 > 0 && sigmaA2 < 1)) {
            throw new IllegalArgumentException("sigma_a^2: must be in (0, 1) (sigma_b^2 = 1 - sigma_a^2), got " + sigmaA2);
        }
        if (!(tau0 > 0) || !Double.isFinite(tau0)) {
            throw new IllegalArgumentException("tau0: must be finite and > 0, got " + tau0);
        }
        double tau = tau0;
        for (int k = 1; k <= TAU_MAX_ITERATIONS; k++) {
            double next = Math.sqrt(sigmaA2 * moments.apply(tau).variance() + (1 - sigmaA2) * tau0 * tau0);
            if (!Double.isFinite(next)) {
                throw new IllegalArgumentException("sigma_a^2: " + sigmaA2 + " is too large for " + activation.name()
                        + ": the tau fixed-point iteration diverges (tau = " + next + ")");
            }
            boolean done = Math.abs(next - tau) <= TAU_TOLERANCE * next;
            tau = next;
            if (done) {
                return new DeqKernelTheory(activation, sigmaA2, tau0, tau, k, moments.apply(tau));
            }
        }
        throw new IllegalStateException("tau: no fixed point within " + TAU_MAX_ITERATIONS + " iterations for "
                + activation.name() + " at sigma_a^2 = " + sigmaA2);
    }

    public KernelActivation activation() {
        return activation;
    }

    public double sigmaA2() {
        return sigmaA2;
    }

    public double sigmaB2() {
        return 1 - sigmaA2;
    }

    public double tau0() {
        return tau0;
    }

    /** The fixed-point input scale at which phi is centred. */
    public double tau() {
        return tau;
    }

    public int tauIterations() {
        return tauIterations;
    }

    public GaussianMoments moments() {
        return moments;
    }

    private double linearDenominator() {
        return 1 - sigmaA2 * moments.d1() * moments.d1();
    }

    public double alpha1() {
        return sigmaB2() / linearDenominator();
    }

    public double alpha4() {
        return sigmaB2() / (1 - sigmaA2 * moments.d4() / 2);
    }

    public double alpha2() {
        return sigmaA2 / 4 * moments.d2() * moments.d2() * alpha4() * alpha4() / linearDenominator();
    }

    public double alpha3() {
        return sigmaA2 / 2 * moments.d2() * moments.d2() * alpha1() * alpha1() / linearDenominator();
    }

    /** Ḡ, the Implicit-CK equivalent (with sigma_a^2 and the sigma_b^2 X^T X term). */
    public EquivalentKernel ck() {
        return new EquivalentKernel("implicit CK " + activation.name(), alpha1(), alpha2(), alpha3(),
                tau * tau - tau0 * tau0 * alpha1());
    }

    /** Ḡ' = (Ḡ - sigma_b^2 X^T X)/sigma_a^2, the equivalent of the empirical {@code E[Z*^T Z*]}. */
    public EquivalentKernel ckPhiPart() {
        return new EquivalentKernel("implicit CK (phi part) " + activation.name(), (alpha1() - sigmaB2()) / sigmaA2,
                alpha2() / sigmaA2, alpha3() / sigmaA2, (tau * tau - tau0 * tau0 * alpha1()) / sigmaA2);
    }

    /**
     * K̄, the Implicit-NTK equivalent of the empirical {@code E[(Z*^T Z*) ⊘ (1 1^T - sigma_a^2 Ż^T Ż)]}:
     * <pre>
     *   delta0 = sigma_a^2 d1^2,  delta1 = sigma_a^2 d2^2 alpha1,  kappa^2 = v / (1 - sigma_a^2 E phi'^2)
     *   beta1 = alpha1'/(1-delta0), beta2 = alpha2'/(1-delta0), beta3 = (alpha3' + beta1 delta1)/(1-delta0)
     *   K̄ = beta1 X^T X + V D V^T + (kappa^2 - tau0^2 beta1) I
     * </pre>
     * with the φ-part scalars alpha' of {@link #ckPhiPart()}.
     */
    public EquivalentKernel ntk() {
        EquivalentKernel phi = ckPhiPart();
        double delta0 = sigmaA2 * moments.d1() * moments.d1();
        double delta1 = sigmaA2 * moments.d2() * moments.d2() * alpha1();
        double beta1 = phi.linear() / (1 - delta0);
        double beta2 = phi.mean() / (1 - delta0);
        double beta3 = (phi.covariance() + beta1 * delta1) / (1 - delta0);
        double kappa2 = moments.variance() / (1 - sigmaA2 * moments.derivativeSquare());
        return new EquivalentKernel("implicit NTK " + activation.name(), beta1, beta2, beta3, kappa2 - tau0 * tau0 * beta1);
    }

    @Override
    public String toString() {
        return String.format("DeqKernelTheory[%s, sigma_a^2=%g, tau0=%.6g, tau=%.6g, alpha1..4=%.6g, %.6g, %.6g, %.6g]",
                activation.name(), sigmaA2, tau0, tau, alpha1(), alpha2(), alpha3(), alpha4());
    }

    /** One row per activation: tau0, tau, the moments and alpha1..alpha4, the φ-part and NTK scalars. */
    public static Table scalarTable(double sigmaA2, double tau0, List<String> activations) {
        Table t = Table.create("DEQ kernel scalars (sigma_a^2 = " + sigmaA2 + ", tau0 = " + (float) tau0 + ")");
        t.addColumns(StringColumn.create("activation"));
        for (String c : List.of("tau", "d1", "d2", "d4", "alpha1", "alpha2", "alpha3", "alpha4", "ck_linear", "ck_diagonal",
                "ntk_linear", "ntk_diagonal")) {
            t.addColumns(DoubleColumn.create(c));
        }
        for (String name : activations) {
            DeqKernelTheory k = solve(KernelActivation.named(name), sigmaA2, tau0);
            GaussianMoments m = k.moments();
            t.stringColumn("activation").append(name);
            double[] row = {k.tau(), m.d1(), m.d2(), m.d4(), k.alpha1(), k.alpha2(), k.alpha3(), k.alpha4(),
                    k.ckPhiPart().linear(), k.ckPhiPart().diagonal(), k.ntk().linear(), k.ntk().diagonal()};
            for (int i = 0; i < row.length; i++) {
                t.doubleColumn(i + 1).append(row[i]);
            }
        }
        return t;
    }
}
