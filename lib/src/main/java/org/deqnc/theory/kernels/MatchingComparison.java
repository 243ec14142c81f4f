package org.deqnc.theory.kernels;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
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

    private static void append(Table t, String model, double vsDeq, double vsEquivalent, double theory) {
        t.stringColumn("model").append(model);
        t.doubleColumn("vs_deq_empirical").append(vsDeq);
        t.doubleColumn("vs_equivalent").append(vsEquivalent);
        t.doubleColumn("theory_vs_equivalent").append(theory);
    }
}
