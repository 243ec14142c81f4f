package org.deqnc.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers a user's interrupt to a cell's thread only where the thread can take it: in the user's
 * code and in magics, never while JShell compiles. javac reads the class path through interruptible
 * file channels; an interrupt landing there closes a jar's channel for good, and every later cell that
 * uses a class from it fails with "bad class file … ClosedChannelException". An interrupt that arrives
 * inside a closed section waits, and is delivered the moment the thread leaves it or enters the user's
 * code inside it.
 *
 * <p>Each cell has its own state, so a cell abandoned while compiling still gets its interrupt when it
 * reaches the user's code, whatever cell runs next. Closed sections also hold one lock, so an abandoned
 * cell and the next one never use JShell's compiler at the same time; the user's code runs without it.
 */
final class InterruptGate {

    private final ReentrantLock jshell = new ReentrantLock();
    private final ThreadLocal<Cell> current = new ThreadLocal<>();
    private volatile Cell running;

    /** One cell's interrupt state. */
    private static final class Cell {
        private final Thread thread;
        private int closedDepth;
        private boolean pending;

        Cell(Thread thread) {
            this.thread = thread;
        }

        synchronized void request() {
            pending = true;
            if (closedDepth == 0) {
                thread.interrupt();
            }
        }

        synchronized boolean isClosed() {
            return closedDepth > 0;
        }

        synchronized void enterClosed() {
            if (closedDepth++ == 0 && Thread.interrupted()) {
                pending = true;
            }
        }

        synchronized void leaveClosed() {
            if (--closedDepth == 0 && pending) {
                thread.interrupt();
            }
        }

        synchronized int enterOpen() {
            int saved = closedDepth;
            closedDepth = 0;
            if (pending) {
                thread.interrupt();
            }
            return saved;
        }

        synchronized void leaveOpen(int saved) {
            if (Thread.interrupted()) {
                pending = true;
            }
            closedDepth = saved;
        }
    }

    /** A new cell starts on the calling thread, with no interrupt pending. */
    void start() {
        Thread.interrupted();
        Cell c = new Cell(Thread.currentThread());
        current.set(c);
        running = c;
    }

    /** The calling thread's cell has ended. */
    void end() {
        Cell c = current.get();
        current.remove();
        if (running == c) {
            running = null;
        }
    }

    /** The user asked to interrupt the running cell (called from the control thread). */
    void request() {
        Cell c = running;
        if (c != null) {
            c.request();
        }
    }

    /** True while the running cell is inside JShell (compiling): it gets its interrupt once it leaves. */
    boolean runningCellClosed() {
        Cell c = running;
        return c != null && c.isClosed();
    }

    /** Runs {@code body} with interrupts held back and JShell's compiler to itself. */
    <T> T closed(Callable<T> body) throws Exception {
        jshell.lock();
        try {
            return heldBack(body);
        } finally {
            jshell.unlock();
        }
    }

    /** Runs {@code body} with interrupts held back (e.g. waiting for JShell to start, which takes the lock itself). */
    <T> T heldBack(Callable<T> body) throws Exception {
        Cell c = current.get();
        if (c != null) {
            c.enterClosed();
        }
        try {
            return body.call();
        } finally {
            if (c != null) {
                c.leaveClosed();
            }
        }
    }

    /** Inside a closed section, runs the user's code open to interrupts, and without JShell's lock. */
    <T> T open(Callable<T> body) throws Exception {
        Cell c = current.get();
        int holds = jshell.getHoldCount();
        for (int i = 0; i < holds; i++) {
            jshell.unlock();
        }
        int saved = c == null ? 0 : c.enterOpen();
        try {
            return body.call();
        } finally {
            if (c != null) {
                c.leaveOpen(saved);
            }
            for (int i = 0; i < holds; i++) {
                jshell.lock();
            }
        }
    }
}
