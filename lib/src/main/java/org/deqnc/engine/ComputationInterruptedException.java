package org.deqnc.engine;

/**
 * A long computation stopped because its thread was interrupted (a notebook's interrupt button). Long
 * loops call {@link #check} often enough (at least every ~100 ms of work) that an interrupt stops them
 * at once instead of leaving a thread computing after the cell has returned. The thread's interrupt
 * flag is left set so callers up the stack see it too.
 */
public class ComputationInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ComputationInterruptedException(String message) {
        super(message);
    }

    /** Elements of a flat loop between two checks by {@link #checkAt}: well under a millisecond of work. */
    public static final int ELEMENTS_PER_CHECK = 1 << 16;

    /** {@link #check} on every {@link #ELEMENTS_PER_CHECK}-th {@code index} of a loop over single elements. */
    public static void checkAt(long index, String where) {
        if ((index & (ELEMENTS_PER_CHECK - 1)) == 0) {
            check(where);
        }
    }

    /** Throws if the current thread was interrupted; {@code where} names the phase, e.g. "fashion-mnist: loading". */
    public static void check(String where) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ComputationInterruptedException(where + ": interrupted");
        }
    }
}
