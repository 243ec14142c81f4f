package org.deqnc.theory.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The CK equivalent of the explicit network {@code Y_l = sigma_l(W_l Y_{l-1})/sqrt(m)}, Y_0 = X, each sigma_l
 * centred for its input scale tau_{l-1} (Ling et al., following Gu et al., NeurIPS 2022). With e1, e2, e4 the
 * moments d1, d2, d4 of sigma_l at tau_{l-1} and alpha~_0 = (1, 0, 0, 1):
 * <pre>
 *   a1 <- e1^2 a1,   a2 <- e1^2 a2 + (e2^2/4) a4^2,   a3 <- e1^2 a3 + (e2^2/2) a1^2,   a4 <- (e4/2) a4
 *   tau_l^2 = E sigma_l(tau_{l-1} xi)^2
 *   CK ≈ a1 X^T X + V A~ V^T + (tau_L^2 - tau0^2 a1) I
 * </pre>
 */
public final class ExplicitKernelTheory {

    private final List<CenteredActivation> layers;
    private final double[] scales;
    private final EquivalentKernel ck;

    private ExplicitKernelTheory(List<CenteredActivation> layers, double[] scales, EquivalentKernel ck) {
        this.layers = layers;
        this.scales = scales;
        this.ck = ck;
    }

    /** The network with these (uncentred) layer activations on inputs of scale tau0. */
    public static ExplicitKernelTheory of(List<KernelActivation> activations, double tau0) {
        if (activations.isEmpty()) {
            throw new IllegalArgumentException("activations: need at least one layer");
        }
        double a1 = 1, a2 = 0, a3 = 0, a4 = 1, scale = tau0;
        double[] scales = new double[activations.size() + 1];
        scales[0] = tau0;
        List<CenteredActivation> centred = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int l = 0; l < activations.size(); l++) {
            KernelActivation f = activations.get(l);
            GaussianMoments e = GaussianMoments.of(f, scale);
            double e1 = e.d1() * e.d1(), e2 = e.d2() * e.d2();
            double n1 = e1 * a1, n2 = e1 * a2 + e2 / 4 * a4 * a4, n3 = e1 * a3 + e2 / 2 * a1 * a1, n4 = e.d4() / 2 * a4;
            a1 = n1;
            a2 = n2;
            a3 = n3;
            a4 = n4;
            centred.add(new CenteredActivation(f, e.mean()));
            scale = Math.sqrt(e.variance());
            scales[l + 1] = scale;
            name.append(l == 0 ? "" : " -> ").append(f.name());
        }
        EquivalentKernel ck = new EquivalentKernel("explicit CK " + name, a1, a2, a3, scale * scale - tau0 * tau0 * a1);
        return new ExplicitKernelTheory(List.copyOf(centred), scales, ck);
    }

    /** The layers, each centred for the scale it sees (what {@link MonteCarloKernels#explicit} runs). */
    public List<CenteredActivation> layers() {
        return layers;
    }

    /** tau_0 .. tau_L. */
    public double[] scales() {
        return scales.clone();
    }

    public EquivalentKernel ck() {
        return ck;
    }
}
