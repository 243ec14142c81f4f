package org.deqnc.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.deqnc.report.Claims.Paper;
import org.deqnc.report.Claims.Verdict;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimsTest {

    private static Claims twoClaims() {
        Claims claims = new Claims(Paper.LING_2024);
        claims.add("CK ≈ Ḡ \"in spectral norm\"", "rel. error 0.012 ± 0.003 (3 seeds)", Verdict.of(true), "30-ck-error.png");
        claims.add("error -> 0 as n, p -> infinity", "not reachable at m = 64", Verdict.NOT_TESTED);
        return claims;
    }

    @Test
    void theTableHasOneRowPerClaimInOrderWithTheVerdictText() {
        Table t = twoClaims().table();
        assertEquals(Claims.TITLE, t.name());
        assertEquals(java.util.List.of("claim", "our run", "verdict"), t.columnNames());
        assertEquals(2, t.rowCount());
        assertEquals("supported", t.stringColumn("verdict").get(0));
        assertEquals("not tested here", t.stringColumn("verdict").get(1));
    }

    @Test
    void theJsonFormCarriesPaperClaimsVerdictsAndFigures() {
        JsonObject doc = JsonParser.parseString(twoClaims().toJson()).getAsJsonObject();
        assertEquals("Ling et al., ICML 2024", doc.get("paper").getAsString());
        JsonArray rows = doc.getAsJsonArray("claims");
        assertEquals(2, rows.size());
        JsonObject first = rows.get(0).getAsJsonObject();
        assertEquals("CK ≈ Ḡ \"in spectral norm\"", first.get("claim").getAsString());
        assertEquals("rel. error 0.012 ± 0.003 (3 seeds)", first.get("our_run").getAsString());
        assertEquals("supported", first.get("verdict").getAsString());
        assertEquals("30-ck-error.png", first.get("figure").getAsString());
        assertTrue(rows.get(1).getAsJsonObject().get("figure").isJsonNull());
    }

    @Test
    void badInputIsAOneLineErrorNamingTheArgument() {
        Claims claims = new Claims(Paper.SUN_SHI_2024);
        IllegalArgumentException verdict = assertThrows(IllegalArgumentException.class, () -> claims.add("c", "r", null));
        assertEquals("verdict: missing (accepted: SUPPORTED, PARTIALLY, NOT_SUPPORTED, NOT_TESTED)", verdict.getMessage());
        IllegalArgumentException figure = assertThrows(IllegalArgumentException.class,
                () -> claims.add("c", "r", Verdict.PARTIALLY, "out/figures/x.png"));
        assertTrue(figure.getMessage().startsWith("figure: 'out/figures/x.png' is a path"), figure.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Claims(null));
    }
}
