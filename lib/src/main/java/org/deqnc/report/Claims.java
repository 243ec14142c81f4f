package org.deqnc.report;

import com.google.gson.GsonBuilder;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The closing "Claim vs our run" table of a reproduction notebook: each claim of the paper, what our run shows
 * (numbers with their spread over seeds), the verdict and, optionally, the figure under {@code out/figures/}
 * that shows it. The kernel displays it as a table plus a machine-readable copy ({@link #MIME_TYPE}, the
 * {@link #toJson()} form) from which {@code environment/claims_report.py} builds the claims report.
 *
 * <pre>{@code
 * Claims claims = new Claims(Claims.Paper.SUN_SHI_2024);
 * claims.add("DEQ reaches a higher test accuracy (Table 1)", "DEQ − explicit: +0.004 ± 0.003 (3 seeds)",
 *         Claims.Verdict.of(diffMin > 0), "20-accuracy.png");
 * claims
 * }</pre>
 */
public final class Claims {

    /** The papers whose claims the notebooks test. */
    public enum Paper {
        SUN_SHI_2024("Sun & Shi, NeurIPS 2024"),
        LING_2024("Ling et al., ICML 2024");

        private final String citation;

        Paper(String citation) {
            this.citation = citation;
        }

        @Override
        public String toString() {
            return citation;
        }
    }

    /** The verdicts of the project's notebook conventions. */
    public enum Verdict {
        SUPPORTED("supported"),
        PARTIALLY("partially"),
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

    /** One claim; {@code figure} is a file name under {@code out/figures/}, or null. */
    public record Claim(String claim, String ourRun, Verdict verdict, String figure) {
    }

    public static final String TITLE = "Claim vs our run";

    /** The display bundle's machine-readable copy of the table. */
    public static final String MIME_TYPE = "application/vnd.deqnc.claims+json";

    private final Paper paper;
    private final List<Claim> claims = new ArrayList<>();

    public Claims(Paper paper) {
        if (paper == null) {
            throw new IllegalArgumentException("paper: missing (accepted: " + Arrays.stream(Paper.values())
                    .map(Paper::name).collect(Collectors.joining(", ")) + ")");
        }
        this.paper = paper;
    }

    /** Appends one claim (no return value, so that a notebook cell ending with it shows nothing). */
    public void add(String claim, String ourRun, Verdict verdict) {
        add(claim, ourRun, verdict, null);
    }

    /** Appends one claim shown by {@code figure}, a file name under {@code out/figures/} (e.g. "20-nc1.png"). */
    public void add(String claim, String ourRun, Verdict verdict, String figure) {
        if (claim == null || claim.isBlank()) {
            throw new IllegalArgumentException("claim: empty (accepted: the claim's text)");
        }
        if (verdict == null) {
            throw new IllegalArgumentException("verdict: missing (accepted: " + Arrays.stream(Verdict.values())
                    .map(Verdict::name).collect(Collectors.joining(", ")) + ")");
        }
        if (figure != null && (figure.contains("/") || figure.contains("\\"))) {
            throw new IllegalArgumentException("figure: '" + figure + "' is a path (accepted: a file name under out/figures/)");
        }
        claims.add(new Claim(claim, ourRun == null ? "" : ourRun, verdict, figure));
    }

    public Paper paper() {
        return paper;
    }

    public List<Claim> claims() {
        return List.copyOf(claims);
    }

    /** The table titled {@value #TITLE}, one row per claim in the order added. */
    public Table table() {
        StringColumn claim = StringColumn.create("claim");
        StringColumn ourRun = StringColumn.create("our run");
        StringColumn verdict = StringColumn.create("verdict");
        for (Claim c : claims) {
            claim.append(c.claim());
            ourRun.append(c.ourRun());
            verdict.append(c.verdict().toString());
        }
        return Table.create(TITLE, claim, ourRun, verdict);
    }

    /** {"title", "paper", "claims": [{"claim", "our_run", "verdict", "figure"}]}; figure is null when none. */
    public String toJson() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Claim c : claims) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("claim", c.claim());
            row.put("our_run", c.ourRun());
            row.put("verdict", c.verdict().toString());
            row.put("figure", c.figure());
            rows.add(row);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", TITLE);
        doc.put("paper", paper.toString());
        doc.put("claims", rows);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(doc);
    }

    @Override
    public String toString() {
        return TITLE + " (" + paper + ", " + claims.size() + " claims)";
    }
}
