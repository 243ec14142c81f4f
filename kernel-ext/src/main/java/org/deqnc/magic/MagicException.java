package org.deqnc.magic;

/**
 * A magic failed for a reason the user can fix. The message is one line that names the magic, the
 * argument and what is accepted, e.g. {@code %help: unknown magic 'hlep' (did you mean 'help'?)};
 * kernels show it without stack frames.
 */
public final class MagicException extends RuntimeException {

    private final String magic;
    private final String kind;

    public MagicException(String invocation, Throwable cause) {
        super(invocation + ": " + withoutScope(invocation, firstLine(cause)), cause, false, false);
        this.magic = invocation;
        this.kind = cause.getClass().getSimpleName();
    }

    public MagicException(String invocation, String message) {
        super(invocation + ": " + message, null, false, false);
        this.magic = invocation;
        this.kind = "UsageError";
    }

    /** "%name" or "%%name". */
    public String magic() {
        return magic;
    }

    /** What went wrong, as an error name: the cause's class, or UsageError. */
    public String kind() {
        return kind;
    }

    /** lib errors start with their scope ("%solve: " or "dataset: "); the magic's name already says it. */
    private static String withoutScope(String invocation, String message) {
        String bare = invocation.replaceFirst("^%%?", "");
        for (String scope : new String[] {invocation + ": ", bare + ": "}) {
            if (message.startsWith(scope)) {
                return message.substring(scope.length());
            }
        }
        return message;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
