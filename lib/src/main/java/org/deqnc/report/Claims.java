package org.deqnc.report;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The closing "Claim vs our run" table of a reproduction notebook: each claim of the paper, what our run shows
 * (numbers with their spread over seeds) and the verdict.
 *
 * <pre>{@code
 * Claims claims = new Claims();
 * claims.add("DEQ reaches a higher test accuracy (Table 1)", "DEQ − explicit: +0.004 ± 0.003 (3 seeds)",
 *         Claims.Verdict.of(diffMin > 0));
 * claims.table();
 * }</pre>
 */
public final class Claims {

    /** The three verdicts of the project's notebook conventions. */
    public enum Verdict {
        SUPPORTED("supported"),
        NOT_SUPPORTED("not supported"),
        NOT_TESTED("not tested here");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /** SUPPORTED when {@code supported}, else NOT_SUPPORTED. */
        public static Verdict of(boolean supported) {
            return supported ? SUPPORTED : NOT_SUPPORTED;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public static final String TITLE = "Claim vs our run";

    private final StringColumn claim = StringColumn.create("claim");
    private final StringColumn ourRun = StringColumn.create("our run");
    private final StringColumn verdict = StringColumn.create("verdict");

    /** Appends one claim (no return value, so that a notebook cell ending with it shows nothing). */
    public void add(String claimText, String ourRunText, Verdict v) {
        claim.append(claimText);
        ourRun.append(ourRunText);
        verdict.append(v.toString());
    }

    /** The table titled {@value #TITLE}, one row per claim in the order added. */
    public Table table() {
        return Table.create(TITLE, claim.copy(), ourRun.copy(), verdict.copy());
    }
}
