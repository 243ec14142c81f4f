package org.deqnc.kernel;

import java.util.concurrent.Callable;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each cell on one worker thread so that an interrupt request (which arrives on the control
 * channel while the shell thread waits) can interrupt the user's code. Interrupts are cooperative in
 * Java: solver and training loops check the flag. Code that ignores it is abandoned after a grace
 * period and the next cell gets a fresh worker, so the kernel stays responsive.
 */
final class CellWorker {

    private static final long ABANDON_AFTER_MS = 2000;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** Every worker thread started, until it has ended (see {@link #liveThreads}). */
    private static final Set<Thread> THREADS = ConcurrentHashMap.newKeySet();

    private final InterruptGate gate = new InterruptGate();
    private volatile ExecutorService executor = newExecutor();
    private volatile Thread workerThread;
    private volatile Future<?> running;
    private volatile boolean busy;

    private ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "deq-cell-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            THREADS.add(t);
            return t;
        });
    }

    /** Runs the task on the worker; a task started from the worker itself (a magic evaluating Java) runs inline. */
    <T> T run(Callable<T> task) throws Exception {
        if (Thread.currentThread() == workerThread) {
            return task.call();
        }
        Future<T> future = executor.submit(() -> {
            workerThread = Thread.currentThread();
            busy = true;
            gate.start();
            try {
                return task.call();
            } finally {
                gate.end();
                busy = false;
            }
        });
        running = future;
        try {
            return future.get();
        } catch (CancellationException e) {
            awaitIdleOrAbandon();
            throw CellError.interrupted();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw new IllegalStateException(cause);
        } finally {
            running = null;
        }
    }

    /** The cell is reported as interrupted at once; its thread gets the interrupt where it can take it (see {@link InterruptGate}). */
    void interrupt() {
        Future<?> f = running;
        if (f != null) {
            gate.request();
            f.cancel(false);
        }
    }

    InterruptGate gate() {
        return gate;
    }

    private void awaitIdleOrAbandon() {
        long grace = TimeUnit.MILLISECONDS.toNanos(ABANDON_AFTER_MS);
        long deadline = System.nanoTime() + grace;
        while (busy && System.nanoTime() < deadline) {
            if (gate.runningCellClosed()) {
                // Inside JShell (starting, compiling) the cell takes its interrupt as soon as its code runs:
                // wait for that rather than leave a compile running beside the next cell's; the grace
                // period counts from when its code runs.
                deadline = System.nanoTime() + grace;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (busy) {
            // The code ignored the interrupt: leave that daemon thread behind and start a fresh worker.
            ExecutorService old = executor;
            executor = newExecutor();
            workerThread = null;
            old.shutdown();
        }
    }

    /**
     * Cell worker threads still alive, the one running the current cell included: 1 while a cell runs
     * and nothing is left over; more means an interrupted cell ignored the interrupt and was abandoned
     * while still computing.
     */
    static int liveThreads() {
        THREADS.removeIf(t -> !t.isAlive());
        return THREADS.size();
    }

    void shutdown() {
        executor.shutdownNow();
    }
}
