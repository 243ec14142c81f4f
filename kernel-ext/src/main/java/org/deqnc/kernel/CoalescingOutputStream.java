package org.deqnc.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Collects what a cell prints and forwards it at most every {@link #PERIOD_MS} ms and at the end
 * of the cell. jjava-jupyter sends every write as its own IOPub message, so one {@code printf}
 * became a dozen stream outputs in the saved notebook; batching keeps output whole while a running
 * cell still streams (a line appears within {@value #PERIOD_MS} ms).
 */
final class CoalescingOutputStream extends OutputStream {

    static final long PERIOD_MS = 50;
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deq-output-flush");
        t.setDaemon(true);
        return t;
    });

    private final PrintStream target;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final ScheduledFuture<?> tick;

    CoalescingOutputStream(PrintStream target) {
        this.target = target;
        this.tick = TICKER.scheduleAtFixedRate(this::flush, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
    }

    /** Forwards what has been collected; the explicit {@code System.out.flush()} of user code lands here too. */
    @Override
    public synchronized void flush() {
        if (buffer.size() > 0) {
            target.write(buffer.toByteArray(), 0, buffer.size());
            target.flush();
            buffer.reset();
        }
    }

    /** Forwards the rest and stops the periodic flush. */
    @Override
    public void close() {
        tick.cancel(false);
        flush();
    }
}
