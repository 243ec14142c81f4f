package org.deqnc.theory;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerComparisonTest {

    @Test
    void reducedAndDirectLossesAgreeAndMatchTheClosedFormAtBalance() {
        Table t = LayerComparison.attainedLosses(LayerPeeledProblem.builder().build(),
                List.of(FeatureLayer.none(), FeatureLayer.deq(0.5), FeatureLayer.explicitInjected(2, 0.5)),
                LayerPeeledSolver.builder().build(), DirectPeeledSolver.builder().restarts(2).build());
        assertEquals(List.of("deq", "explicit", "lpm"), t.stringColumn("model").unique().asList().stream().sorted().toList());
        for (int row = 0; row < t.rowCount(); row++) {
            double closed = t.doubleColumn("balanced_closed_form").getDouble(row);
            assertEquals(closed, t.doubleColumn("reduced_loss").getDouble(row), 1e-9 * closed);
            assertTrue(Math.abs(t.doubleColumn("relative_difference").getDouble(row)) < 1e-6, "row " + row);
        }
        // Hand values of the effective budget: 5 * 1, 5 * 2^2, 5 * 1.75^2.
        assertEquals(List.of(5.0, 20.0, 15.3125), t.doubleColumn("effective_E_H").asList());
    }

    @Test
    void directColumnsAreMissingWithoutADirectSolverAndEmptyLayersAreRejected() {
        Table t = LayerComparison.attainedLosses(LayerPeeledProblem.builder().ratio(10).build(),
                List.of(FeatureLayer.deq(0.3)), LayerPeeledSolver.builder().build(), null);
        assertTrue(t.doubleColumn("direct_loss").isMissing(0));
        assertEquals("layers: must name at least one FeatureLayer, got none", assertThrows(
                IllegalArgumentException.class, () -> LayerComparison.attainedLosses(
                        LayerPeeledProblem.builder().build(), List.of(), LayerPeeledSolver.builder().build(), null))
                .getMessage());
    }
}
