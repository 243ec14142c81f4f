package org.deqnc.theory.kernels;

import java.util.Arrays;
import java.util.List;

/**
 * The six random-feature models of Ling et al.'s real-data experiment (flag names of their {@code main.py}).
 * Every model is centred for the scale it sees; the explicit networks reuse the DEQ's matrices (first layer B,
 * second A), so equal seeds give the six models the same random weights.
 */
public enum FeatureModel {
    /** The ReLU-DEQ (flag {@code inn}). */
    RELU_DEQ("relu_deq", "ReLU-DEQ"),
    TANH_DEQ("tanh_deq", "Tanh-DEQ"),
    /** Two L-ReLU layers matched to the ReLU-DEQ's CK scalars. */
    L_RELU_ENN("l_relu_enn", "L-ReLU-ENN (matched, 2 layers)"),
    /** One H-tanh layer matched to the Tanh-DEQ's CK scalars. */
    H_TANH_ENN("h_tanh_enn", "H-tanh-ENN (matched, 1 layer)"),
    /** Naive baseline: two centred ReLU layers. */
    RELU_ENN("relu_enn", "ReLU-ENN (naive, 2 layers)"),
    /** Naive baseline: one centred tanh layer. */
    TANH_ENN("tanh_enn", "Tanh-ENN (naive, 1 layer)");

    private final String id;
    private final String label;

    FeatureModel(String id, String label) {
        this.id = id;
        this.label = label;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** The model with flag name {@code id}; a one-line error with the accepted names otherwise. */
    public static FeatureModel named(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "model: unknown '" + id + "' (accepted: " + String.join(", ", ids()) + ")"));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(FeatureModel::id).toList();
    }

    /** Whether this is one of the two DEQs. */
    public boolean isDeq() {
        return this == RELU_DEQ || this == TANH_DEQ;
    }

    /** The DEQ's kernel theory at sigma_a^2 and input scale tau0 (the two DEQs only). */
    public DeqKernelTheory deqTheory(double sigmaA2, double tau0) {
        return switch (this) {
            case RELU_DEQ -> DeqKernelTheory.solve(KernelActivation.relu(), sigmaA2, tau0);
            case TANH_DEQ -> DeqKernelTheory.solve(KernelActivation.tanh(), sigmaA2, tau0);
            default -> throw new IllegalArgumentException("model: " + id + " is an explicit network, not a DEQ");
        };
    }

    /**
     * The explicit network's CK theory on inputs of scale tau0 (the four explicit models only); the matched ones
     * are solved against the DEQ at sigma_a^2 and must reach a residual below 1e-8.
     */
    public ExplicitKernelTheory explicitTheory(double sigmaA2, double tau0) {
        return switch (this) {
            case L_RELU_ENN -> converged(EnnMatching.lRelu(RELU_DEQ.deqTheory(sigmaA2, tau0)));
            case H_TANH_ENN -> converged(EnnMatching.hTanh(TANH_DEQ.deqTheory(sigmaA2, tau0)));
            case RELU_ENN -> ExplicitKernelTheory.of(List.of(KernelActivation.relu(), KernelActivation.relu()), tau0);
            case TANH_ENN -> ExplicitKernelTheory.of(List.of(KernelActivation.tanh()), tau0);
            default -> throw new IllegalArgumentException("model: " + id + " is a DEQ, not an explicit network");
        };
    }

    /** This model, ready to compute features, at sigma_a^2 and tau0. */
    public FeatureNetwork network(double sigmaA2, double tau0) {
        if (isDeq()) {
            DeqKernelTheory deq = deqTheory(sigmaA2, tau0);
            return FeatureNetwork.deq(this, CenteredActivation.at(deq.activation(), deq.tau()), sigmaA2,
                    String.format("tau=%.6f", deq.tau()));
        }
        List<CenteredActivation> layers = explicitTheory(sigmaA2, tau0).layers();
        StringBuilder d = new StringBuilder();
        for (CenteredActivation layer : layers) {
            d.append(d.length() == 0 ? "" : " -> ").append(layer.name()).append(String.format(" - %.6f", layer.shift()));
        }
        return FeatureNetwork.explicit(this, layers, d.toString());
    }

    private ExplicitKernelTheory converged(EnnMatching.Matched m) {
        if (!(m.residualNorm() < 1e-8)) {
            throw new IllegalStateException(id + ": the matching did not converge (residual " + m.residualNorm() + ")");
        }
        return m.network();
    }
}
