package org.deqnc.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.deqnc.train.AtomicFiles;
import org.deqnc.train.ExperimentRunner;

/**
 * Runs a {@link Grid}: writes the grid file into the sweep directory, runs every cell that has not completed on
 * the grid's backend (worker processes on this machine by default, {@code workers} at a time), reports progress,
 * and returns the {@link SweepResult}, also written as {@code results.csv} and {@code summary.csv}.
 *
 * <pre>{@code
 * SweepResult r = Sweep.run(Grid.parse(body), p -> System.out.println(p));
 * Table perEpoch = r.table();                       // cell, model, K_A, R, seed, epoch, train_loss, ...
 * Table final = r.overSeeds("test_acc", "nc1");      // model, K_A, R, n, test_acc_mean, test_acc_std, ...
 * }</pre>
 *
 * <p>Resumable by construction: each cell lives in {@code cells/<id>} (the id hashes its configuration), a
 * completed cell is skipped, and an interrupted or killed one resumes from its last checkpoint, so running the
 * grid again after any stop gives the table an uninterrupted sweep gives, byte for byte. A cell that fails (an
 * invalid configuration, a diverged run, a killed worker) is reported with its one-line reason and the others go
 * on. An interrupt of the calling thread stops every worker and throws {@link SweepInterruptedException}.
 */
public final class Sweep {

    /** Subdirectory of the sweep directory holding one directory per cell. */
    public static final String CELLS_DIR = "cells";
    private static final Duration POLL = Duration.ofMillis(250);

    /** What to do with cells that earlier runs left in the sweep directory. */
    public enum Mode {
        /** Keep completed cells, resume interrupted ones from their checkpoints, retry failed ones (the default). */
        RESUME,
        /** Delete this grid's cell directories first and run every cell from scratch. */
        FRESH
    }

    private Sweep() {
    }

    /**
     * The command line: {@code java -cp <classpath> org.deqnc.sweep.Sweep <grid-file> [fresh]} runs the grid in
     * that file (its sweep directory is the one the file declares) with a progress line per change, and exits
     * with 0 when every cell completed, 1 otherwise.
     */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("fresh"))) {
            System.err.println("usage: java -cp <classpath> " + Sweep.class.getName() + " <grid-file> [fresh]");
            System.exit(2);
        }
        Grid grid;
        try {
            grid = Grid.read(Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            System.err.println(Grid.firstLine(e));
            System.exit(2);
            return;
        }
        String[] last = {""};
        SweepResult r = run(grid, args.length == 2 ? Mode.FRESH : Mode.RESUME, new SweepListener() {
            @Override
            public void onProgress(SweepProgress p) {
                String line = p.toString();
                if (!line.equals(last[0])) {
                    System.out.println(line);
                    last[0] = line;
                }
            }

            @Override
            public void onCellEnded(CellOutcome o) {
                System.out.println(o);
            }
        });
        System.out.println(r);
        System.exit(r.allCompleted() ? 0 : 1);
    }

    /** {@link #run(Grid, Mode, SweepListener)} resuming, without progress reports. */
    public static SweepResult run(Grid grid) {
        return run(grid, Mode.RESUME, SweepListener.NONE);
    }

    /** {@link #run(Grid, Mode, SweepListener)} resuming. */
    public static SweepResult run(Grid grid, SweepListener listener) {
        return run(grid, Mode.RESUME, listener);
    }

    /** Runs every cell of {@code grid} that has not completed and returns the result of all its cells. */
    public static SweepResult run(Grid grid, Mode mode, SweepListener listener) {
        Path dir = grid.directory();
        List<Cell> cells = grid.cells();
        Path gridFile = writeGrid(grid, dir);
        if (mode == Mode.FRESH) {
            cells.stream().filter(Cell::valid).forEach(c -> deleteRecursively(c.directory(dir)));
        }
        List<Cell> todo = new ArrayList<>();
        Set<String> ids = new HashSet<>(); // cells with equal configurations share one directory: run it once
        for (Cell c : cells) {
            CellOutcome o = CellOutcome.read(c, dir);
            if (c.valid() && !o.completed() && ids.add(c.id())) {
                CellStatus.clear(c.directory(dir)); // a failed cell is retried
                todo.add(c);
            }
        }
        Monitor monitor = new Monitor(cells, todo, dir, listener);
        if (!todo.isEmpty()) {
            SweepBackend.Execution execution = SweepBackend.of(grid.backend()).start(gridFile, todo, grid.workers());
            try {
                while (!execution.await(POLL)) {
                    monitor.report(execution.running());
                }
            } catch (InterruptedException e) {
                execution.cancel();
                SweepResult partial = SweepResult.read(grid, dir);
                throw new SweepInterruptedException("sweep " + grid.name() + " interrupted: " + partial.completedCount()
                        + " of " + cells.size() + " cells completed, the others keep their last checkpoints in " + dir
                        + "; run it again to continue", dir);
            }
            recordLost(execution.lost(), todo, dir);
        }
        monitor.report(Set.of());
        SweepResult result = SweepResult.read(grid, dir);
        result.write();
        return result;
    }

    /** Gives cells that ended without recording an outcome (a killed worker) a failed status naming the cause. */
    private static void recordLost(Map<Integer, String> lost, List<Cell> todo, Path dir) {
        for (Cell c : todo) {
            Path cellDir = c.directory(dir);
            if (CellStatus.read(cellDir) == null) {
                String why = lost.getOrDefault(c.index(), "worker ended");
                CellStatus.ofFailure(why + " before the cell ended (" + ExperimentRunner.metrics(cellDir).size()
                        + " epochs checkpointed; see " + cellDir.resolve(LocalBackend.LOG_FILE)
                        + "); run the sweep again to resume it").write(cellDir);
            }
        }
    }

    private static Path writeGrid(Grid grid, Path dir) {
        try {
            Files.createDirectories(dir.resolve(CELLS_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create the sweep directory: " + e.getMessage(), e);
        }
        Path file = dir.resolve(Grid.FILE);
        AtomicFiles.writeString(file, grid.format());
        return file;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot delete: " + e.getMessage(), e);
        }
    }

    /** Turns the cells' files into {@link SweepProgress} reports and cell-ended events. */
    private static final class Monitor {
        private final List<Cell> cells;
        private final List<Cell> todo;
        private final Path dir;
        private final SweepListener listener;
        private final long start = System.nanoTime();
        private final Set<Integer> ended = new HashSet<>();

        Monitor(List<Cell> cells, List<Cell> todo, Path dir, SweepListener listener) {
            this.cells = cells;
            this.todo = todo;
            this.dir = dir;
            this.listener = listener;
        }

        void report(Set<Integer> running) {
            int completed = 0;
            int failed = 0;
            for (Cell c : cells) {
                CellOutcome o = CellOutcome.read(c, dir);
                if (o.status() == CellOutcome.Status.PENDING) {
                    continue;
                }
                if (o.completed()) {
                    completed++;
                } else {
                    failed++;
                }
                if (ended.add(c.index()) && todo.contains(c)) {
                    listener.onCellEnded(o);
                }
            }
            long done = 0;
            long total = 0;
            for (Cell c : todo) {
                total += c.experiment().epochs();
                done += ExperimentRunner.metrics(c.directory(dir)).size();
            }
            listener.onProgress(new SweepProgress(cells.size(), completed, failed, running.size(), done, total,
                    Duration.ofNanos(System.nanoTime() - start)));
        }
    }
}
