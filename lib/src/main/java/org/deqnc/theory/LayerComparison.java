package org.deqnc.theory;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Objects;

/**
 * Attained losses of several feature layers (DEQ, explicit, none) on one layer-peeled problem at the same budgets,
 * next to the closed form, computed two independent ways: through the reduction of {@link PeeledNetworkProblem}
 * (certified) and by {@link DirectPeeledSolver} over the layer's own parameters. Agreement of the two columns is
 * the numerical evidence for the reduction; the ordering of the losses is the DEQ-versus-explicit comparison.
 *
 * <pre>{@code
 * Table t = LayerComparison.attainedLosses(LayerPeeledProblem.builder().build(),
 *         List.of(FeatureLayer.none(), FeatureLayer.deq(0.5), FeatureLayer.explicitInjected(3, 0.5)),
 *         LayerPeeledSolver.builder().build(), DirectPeeledSolver.builder().build());
 * }</pre>
 */
public final class LayerComparison {

    private LayerComparison() {
    }

    /**
     * One row per layer, budgets on input and weights. Columns: layer, model, gain, effective_E_H,
     * balanced_closed_form (the R = 1 optimum for this layer), reduced_loss, duality_gap, direct_loss,
     * direct_stationarity, relative_difference ({@code (direct - reduced) / reduced}). When {@code direct} is
     * null the direct columns are missing.
     */
    public static Table attainedLosses(LayerPeeledProblem base, List<FeatureLayer> layers,
                                       LayerPeeledSolver solver, DirectPeeledSolver direct) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(solver, "solver");
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("layers: must name at least one FeatureLayer, got none");
        }
        Table t = Table.create("attained losses: " + base, StringColumn.create("layer"), StringColumn.create("model"));
        List<String> numeric = List.of("gain", "effective_E_H", "balanced_closed_form", "reduced_loss",
                "duality_gap", "direct_loss", "direct_stationarity", "relative_difference");
        numeric.forEach(name -> t.addColumns(DoubleColumn.create(name)));
        for (FeatureLayer layer : layers) {
            PeeledNetworkProblem problem = PeeledNetworkProblem.of(base, layer);
            LayerPeeledSolution reduced = problem.solve(solver).peeled();
            double directLoss = Double.NaN;
            double stationarity = Double.NaN;
            if (direct != null) {
                DirectPeeledSolution d = direct.solve(problem);
                directLoss = d.loss();
                stationarity = d.stationarity();
            }
            t.stringColumn("layer").append(layer.toString());
            t.stringColumn("model").append(layer.model());
            double[] values = {layer.gain(), problem.effectiveProblem().featureBudget(), problem.balancedOptimum(),
                reduced.loss(), reduced.dualityGap(), directLoss, stationarity,
                (directLoss - reduced.loss()) / reduced.loss()};
            for (int i = 0; i < values.length; i++) {
                t.doubleColumn(numeric.get(i)).append(values[i]);
            }
        }
        return t;
    }
}
