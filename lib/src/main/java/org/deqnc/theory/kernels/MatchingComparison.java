package org.deqnc.theory.kernels;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DEQ's empirical CK (φ-part) beside the empirical CKs of explicit networks drawn with the same seed (the
 * explicit network's first layer is the DEQ's B, its second the DEQ's A, as in Ling et al.'s matching scripts),
 * all measured against the DEQ's equivalent Ḡ': one row per model with {@code ||G_model - G_DEQ||_2/||Ḡ'||_2},
 * {@code ||G_model - Ḡ'||_2/||Ḡ'||_2} and the model's own equivalent's distance to Ḡ' (zero for a matched network).
 */
public final class MatchingComparison {

    private MatchingComparison() {
    }

    /** The table and every model's empirical eigenvalues (the DEQ's under "deq", Ḡ' under "equivalent"). */
    public record Result(Table table, Map<String, double[]> spectra) {
    }

    public static Result compare(KernelInputs inputs, DeqKernelTheory deq, Map<String, ExplicitKernelTheory> networks,
                                 int width, int draws, long seed) {
        double[][] target = deq.ckPhiPart().matrix(inputs);
        double targetNorm = Spectrum.spectralNorm(target);
        double[][] deqKernel = MonteCarloKernels.deq(inputs, CenteredActivation.at(deq.activation(), deq.tau()),
                deq.sigmaA2(), width, draws, seed).ck();
        Map<String, double[]> spectra = new LinkedHashMap<>();
        spectra.put("equivalent", Spectrum.eigenvalues(target));
        spectra.put("deq", Spectrum.eigenvalues(deqKernel));
        Table t = Table.create("CK of " + deq.activation().name() + "-DEQ vs explicit networks (m = " + width + ", "
                + draws + " draws)", StringColumn.create("model"), DoubleColumn.create("vs_deq_empirical"),
                DoubleColumn.create("vs_equivalent"), DoubleColumn.create("theory_vs_equivalent"));
        append(t, "deq", 0, Spectrum.relativeError(deqKernel, target), 0);
        for (Map.Entry<String, ExplicitKernelTheory> e : networks.entrySet()) {
            double[][] k = MonteCarloKernels.explicit(inputs, e.getValue().layers(), width, draws, seed).ck();
            spectra.put(e.getKey(), Spectrum.eigenvalues(k));
            append(t, e.getKey(), Spectrum.distance(k, deqKernel) / targetNorm, Spectrum.relativeError(k, target),
                    Spectrum.relativeError(e.getValue().ck().matrix(inputs), target));
        }
        return new Result(t, spectra);
    }

    /**
     * The DEQ of {@code activation} (relu or tanh), its matched explicit network and the naive one of the same
     * depth ({@link FeatureModel}), compared as {@link #compare}; rows "deq", "<matched id> (matched)",
     * "<naive id> (naive)".
     */
    public static Result matchedAndNaive(KernelInputs inputs, String activation, double sigmaA2, int width, int draws,
                                         long seed) {
        List<FeatureModel> models = switch (activation) {
            case "relu" -> List.of(FeatureModel.RELU_DEQ, FeatureModel.L_RELU_ENN, FeatureModel.RELU_ENN);
            case "tanh" -> List.of(FeatureModel.TANH_DEQ, FeatureModel.H_TANH_ENN, FeatureModel.TANH_ENN);
            default -> throw new IllegalArgumentException("activation: the matched networks exist for relu and tanh, got '"
                    + activation + "'");
        };
        Map<String, ExplicitKernelTheory> networks = new LinkedHashMap<>();
        networks.put(models.get(1).id() + " (matched)", models.get(1).explicitTheory(sigmaA2, inputs.tau0()));
        networks.put(models.get(2).id() + " (naive)", models.get(2).explicitTheory(sigmaA2, inputs.tau0()));
        return compare(inputs, models.get(0).deqTheory(sigmaA2, inputs.tau0()), networks, width, draws, seed);
    }

    private static void append(Table t, String model, double vsDeq, double vsEquivalent, double theory) {
        t.stringColumn("model").append(model);
        t.doubleColumn("vs_deq_empirical").append(vsDeq);
        t.doubleColumn("vs_equivalent").append(vsEquivalent);
        t.doubleColumn("theory_vs_equivalent").append(theory);
    }
}
