package org.deqnc.report;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * The closing "Claim vs our run" table of a reproduction notebook: one row per claim of the paper, what our run
 * measured, and the verdict (one of {@link #VERDICTS}).
 */
public final class ClaimTable {

    public static final List<String> VERDICTS = List.of("supported", "not supported", "not tested here");

    private final Table table = Table.create("Claim vs our run", StringColumn.create("claim"),
            StringColumn.create("our run"), StringColumn.create("verdict"));

    /** Adds a row; the verdict must be one of {@link #VERDICTS}. */
    public ClaimTable add(String claim, String ourRun, String verdict) {
        if (!VERDICTS.contains(verdict)) {
            throw new IllegalArgumentException("verdict: unknown '" + verdict + "' (accepted: " + String.join(", ", VERDICTS) + ")");
        }
        table.stringColumn("claim").append(claim);
        table.stringColumn("our run").append(ourRun);
        table.stringColumn("verdict").append(verdict);
        return this;
    }

    /** "supported" when the condition holds, "not supported" otherwise. */
    public ClaimTable add(String claim, String ourRun, boolean holds) {
        return add(claim, ourRun, holds ? "supported" : "not supported");
    }

    public Table table() {
        return table;
    }
}
