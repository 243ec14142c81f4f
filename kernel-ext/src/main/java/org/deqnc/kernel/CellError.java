package org.deqnc.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * What a failed cell reports to Jupyter: {@code ename} is the name the user should see (their
 * exception's class, {@code CompilationError}, {@code Interrupted}, a magic's error class),
 * {@code evalue} one line, and the traceback only frames that belong to the user's code.
 *
 * <p>Every report is bounded, whatever produced it: a message echoing a 100-kB argument or listing a
 * million class counts would freeze a browser front end. Longer text is cut and says how long it was.
 */
public final class CellError extends RuntimeException {

    private final String ename;
    private final List<String> traceback;

    /** Characters kept of the message and of each traceback line. */
    static final int MAX_LINE = 2000;
    /** Traceback lines kept. */
    static final int MAX_LINES = 100;

    public CellError(String ename, String evalue, List<String> traceback) {
        super(bounded(evalue), null, false, false);
        this.ename = bounded(ename);
        List<String> lines = new ArrayList<>();
        for (String line : traceback.subList(0, Math.min(MAX_LINES, traceback.size()))) {
            lines.add(bounded(line));
        }
        if (traceback.size() > MAX_LINES) {
            lines.add("… (" + (traceback.size() - MAX_LINES) + " more lines of " + traceback.size() + " not shown)");
        }
        this.traceback = List.copyOf(lines);
    }

    /** The text, or its first {@link #MAX_LINE} characters and how long it was. */
    static String bounded(String text) {
        if (text == null || text.length() <= MAX_LINE) {
            return text;
        }
        return text.substring(0, MAX_LINE) + "… (cut: " + text.length() + " characters in all)";
    }

    public String ename() {
        return ename;
    }

    public String evalue() {
        return getMessage();
    }

    public List<String> traceback() {
        return traceback;
    }

    static CellError interrupted() {
        return new CellError("Interrupted", "cell interrupted by the user", List.of("Interrupted: cell interrupted by the user"));
    }
}
