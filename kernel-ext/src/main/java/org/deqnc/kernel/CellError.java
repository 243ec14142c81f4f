package org.deqnc.kernel;

import java.util.List;

/**
 * What a failed cell reports to Jupyter: {@code ename} is the name the user should see (their
 * exception's class, {@code CompilationError}, {@code Interrupted}, a magic's error class),
 * {@code evalue} one line, and the traceback only frames that belong to the user's code.
 */
public final class CellError extends RuntimeException {

    private final String ename;
    private final List<String> traceback;

    public CellError(String ename, String evalue, List<String> traceback) {
        super(evalue, null, false, false);
        this.ename = ename;
        this.traceback = List.copyOf(traceback);
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
