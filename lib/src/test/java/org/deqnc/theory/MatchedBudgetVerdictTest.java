package org.deqnc.theory;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MatchedBudgetVerdictTest {

    private static final String COND = "c";

    /** A sweep with one (K_A, R = 10) point per model: DEQ at {@code deqEtf}, explicit at 0.5, Fang-at-budget at {@code fangEtf}. */
    private static Table sweep(double deqEtf, double fangEtf) {
        Table t = Table.create("s", StringColumn.create("condition"), StringColumn.create("model"),
                IntColumn.create("K_A"), DoubleColumn.create("R"));
        for (String c : new String[] {"objective", "etf_distance", "self_duality", "minority_cos",
            "fang_eff_etf_distance", "fang_eff_self_duality"}) {
            t.addColumns(DoubleColumn.create(c));
        }
        for (String model : new String[] {"deq", "explicit_tied", "explicit", "deq_gain", "explicit_tied_gain",
            "explicit_gain"}) {
            boolean deq = model.equals("deq");
            t.stringColumn("condition").append(COND);
            t.stringColumn("model").append(model);
            t.intColumn("K_A").append(3);
            t.doubleColumn("R").append(10);
            double[] v = {1, deq ? deqEtf : 0.5, deq ? deqEtf : 0.5, 0, fangEtf, fangEtf};
            for (int i = 0; i < v.length; i++) {
                t.doubleColumn(4 + i).append(v[i]);
            }
        }
        return t;
    }

    private static Table thresholds(double deq, double explicit, double fang) {
        Table t = Table.create("r", StringColumn.create("condition"), StringColumn.create("model"),
                IntColumn.create("K_A"), DoubleColumn.create("R_below"), DoubleColumn.create("R_above"),
                DoubleColumn.create("R_star"), DoubleColumn.create("fang_eff_R_star"));
        for (String model : new String[] {"deq", "explicit_tied"}) {
            double r = model.equals("deq") ? deq : explicit;
            t.stringColumn("condition").append(COND);
            t.stringColumn("model").append(model);
            t.intColumn("K_A").append(3);
            t.doubleColumn("R_below").append(Double.isNaN(r) ? 1e4 : r);
            t.doubleColumn("R_above").append(r);
            t.doubleColumn("R_star").append(r);
            t.doubleColumn("fang_eff_R_star").append(fang);
        }
        return t;
    }

    private static String overall(Table claims) {
        return claims.stringColumn("verdict").get(claims.rowCount() - 1);
    }

    @Test
    void anAdvantageOverExplicitLayersAndOverFangAtEqualBudgetIsSupported() {
        Table claims = MatchedBudgetVerdict.claims(sweep(0.1, 0.3), thresholds(100, 50, 60)).table();
        assertEquals(7, claims.rowCount());
        assertEquals("not supported", claims.stringColumn("verdict").get(0)); // matched-gain rows coincide
        assertEquals("supported", claims.stringColumn("verdict").get(1));
        assertEquals("supported", claims.stringColumn("verdict").get(2));
        assertEquals("supported", overall(claims));
    }

    @Test
    void anAdvantageExplainedByTheEffectiveBudgetIsRefuted() {
        // Better than the explicit layers, but not better than Fang at the DEQ's own effective budget.
        Table claims = MatchedBudgetVerdict.claims(sweep(0.3, 0.2), thresholds(100, 50, 200)).table();
        assertEquals("supported", claims.stringColumn("verdict").get(1));
        assertEquals("not supported", claims.stringColumn("verdict").get(2));
        assertEquals("supported", claims.stringColumn("verdict").get(5));
        assertEquals("not supported", overall(claims));
    }

    @Test
    void coincidingCurvesAndThresholdsBeyondTheRangeAreRefutedAndUndetermined() {
        Table claims = MatchedBudgetVerdict.claims(sweep(0.5, 0.5), thresholds(Double.NaN, Double.NaN, Double.NaN)).table();
        assertEquals("not supported", claims.stringColumn("verdict").get(1));
        assertEquals("not tested here", claims.stringColumn("verdict").get(5));
        assertEquals("not supported", overall(claims));
    }
}
