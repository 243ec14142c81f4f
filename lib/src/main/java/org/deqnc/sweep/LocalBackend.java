package org.deqnc.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Runs cells as worker JVMs on this machine ({@link RunCell#command}), at most {@code workers} at once, each
 * with its share of the cores as libtorch threads. A worker's output goes to {@code log.txt} in its cell
 * directory; its standard input is a pipe this process holds, so workers end when this JVM ends, however it
 * ends. A shutdown hook stops them on an orderly exit too.
 */
final class LocalBackend implements SweepBackend {

    static final String NAME = "local";
    /** Worker output, appended across runs, in the cell directory. */
    static final String LOG_FILE = "log.txt";
    private static final long STOP_GRACE_MS = 5_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Execution start(Path gridFile, List<Cell> cells, int workers) {
        return new LocalExecution(gridFile.toAbsolutePath(), cells, Math.max(1, workers));
    }

    private static final class LocalExecution implements Execution {
        private final Path gridFile;
        private final Deque<Cell> queue;
        private final int workers;
        private final int threadsPerWorker;
        // read by the shutdown hook while the sweep's thread waits: concurrent, no lock held while waiting
        private final Map<Integer, Process> running = new ConcurrentHashMap<>();
        private final Map<Integer, String> lost = new ConcurrentHashMap<>();
        private volatile boolean stopped;
        private final Thread shutdownHook = new Thread(this::stopAll, "deq-sweep-stop-workers");

        LocalExecution(Path gridFile, List<Cell> cells, int workers) {
            this.gridFile = gridFile;
            this.queue = new ArrayDeque<>(cells);
            this.workers = Math.min(workers, Math.max(1, cells.size()));
            this.threadsPerWorker = Math.max(1, Runtime.getRuntime().availableProcessors() / this.workers);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            fill();
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                reap();
                fill();
                if (running.isEmpty()) {
                    removeHook();
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // wake when any worker ends, at the latest after the timeout; 50 ms bounds the wait per check
                Process first = running.values().stream().findFirst().orElse(null);
                if (first != null) {
                    first.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 50), TimeUnit.MILLISECONDS);
                }
            }
        }

        @Override
        public Set<Integer> running() {
            return new TreeSet<>(running.keySet());
        }

        @Override
        public Map<Integer, String> lost() {
            return new TreeMap<>(lost);
        }

        @Override
        public void cancel() {
            stopAll();
            removeHook();
        }

        private void stopAll() {
            List<Process> stopping;
            synchronized (this) { // no launch between the flag and the snapshot
                stopped = true;
                stopping = List.copyOf(running.values());
            }
            stopping.forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            });
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MS);
            for (Process p : stopping) {
                try {
                    if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        p.destroyForcibly().waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            running.clear();
        }

        private void removeHook() {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run: nothing to remove
            }
        }

        private void reap() {
            running.entrySet().removeIf(e -> {
                Process p = e.getValue();
                if (p.isAlive()) {
                    return false;
                }
                int code = p.exitValue();
                if (code != 0) {
                    lost.put(e.getKey(), "worker exited with code " + code
                            + (code > 128 ? " (killed by signal " + (code - 128) + ")" : ""));
                }
                return true;
            });
        }

        private synchronized void fill() {
            while (!stopped && running.size() < workers && !queue.isEmpty()) {
                Cell cell = queue.poll();
                running.put(cell.index(), launch(cell));
            }
        }

        private Process launch(Cell cell) {
            Path dir = cell.directory(gridFile.getParent());
            try {
                Files.createDirectories(dir);
                ProcessBuilder pb = new ProcessBuilder(RunCell.command(gridFile, cell.index(), true,
                        RunCell.shortRun(cell.experiment())))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG_FILE).toFile()));
                pb.environment().putAll(RunCell.environment(threadsPerWorker));
                return pb.start(); // stdin stays a pipe held by this JVM: its end stops the worker
            } catch (IOException e) {
                throw new UncheckedIOException(cell.label() + ": cannot start a worker: " + e.getMessage(), e);
            }
        }
    }
}
