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
import java.util.function.Function;
import java.util.stream.Stream;

import org.deqnc.provenance.Origin;
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

    /** The listener of a {@link #run(Grid)} given none ({@link #setDefaultListener}). */
    private static volatile Function<Grid, SweepListener> defaultListener = g -> SweepListener.NONE;

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
     * The command line: {@code java -cp <classpath> org.deqnc.sweep.Sweep <grid-file> [resume|fresh|submit|status]}.
     * {@code resume} (the default) and {@code fresh} run the grid in that file (its sweep directory is the one the
     * file declares) on its backend with a progress line per change, write the tables and exit with 0 when every
     * cell completed, 1 otherwise. {@code submit} hands the cells that are neither completed nor queued to the
     * grid's scheduler ({@code backend = slurm}) and returns at once; {@code status} prints the pending, running,
     * done and failed counts (failed cells with their log's last lines) and collects the completed cells into
     * the tables, exiting with 0 once every cell completed.
     */
    public static void main(String[] args) {
        List<String> modes = List.of("resume", "fresh", "submit", "status");
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !modes.contains(args[1]))) {
            System.err.println("usage: java -cp <classpath> " + Sweep.class.getName() + " <grid-file> ["
                    + String.join("|", modes) + "]");
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
        String mode = args.length == 2 ? args[1] : "resume";
        try {
            if (mode.equals("submit") || mode.equals("status")) {
                SweepStatus s = mode.equals("submit") ? submit(grid, Mode.RESUME) : status(grid);
                System.out.println(s);
                collect(grid);
                System.exit(mode.equals("submit") || s.done() == s.total() ? 0 : 1);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(Grid.firstLine(e));
            System.exit(2);
        }
        String[] last = {""};
        SweepResult r = runOrExit(grid, mode.equals("fresh") ? Mode.FRESH : Mode.RESUME, new SweepListener() {
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

    /** {@link #run}, or exit 2 with its one-line reason when it refuses (cells still queued on the scheduler). */
    private static SweepResult runOrExit(Grid grid, Mode mode, SweepListener listener) {
        try {
            return run(grid, mode, listener);
        } catch (IllegalStateException e) {
            System.err.println(Grid.firstLine(e));
            System.exit(2);
            return null;
        }
    }

    /**
     * Submits the cells of {@code grid} that are neither completed nor already queued to its scheduler and
     * returns at once with the sweep's status (for {@code backend = slurm}: one array job; interrupted cells
     * resume from their checkpoints). Follow it with {@link #status} and {@link #collect}.
     */
    public static SweepStatus submit(Grid grid, Mode mode) {
        if (!grid.backend().equals(SlurmBackend.NAME)) {
            throw new IllegalArgumentException("submit: needs backend = " + SlurmBackend.NAME + " (the " + grid.backend()
                    + " backend runs its cells only while the sweep runs: use run), got backend = " + grid.backend());
        }
        Path dir = grid.directory();
        Path gridFile = writeGrid(grid, dir);
        Map<Integer, String> queued = SlurmBackend.queue(dir.toAbsolutePath());
        if (mode == Mode.FRESH && !queued.isEmpty()) {
            throw new IllegalStateException("submit: " + queued.size() + " cells of sweep " + grid.name()
                    + " are still queued or running; scancel its jobs (" + dir.resolve(SlurmBackend.DIR)
                    .resolve(SlurmBackend.JOBS_FILE) + ") before a fresh submission");
        }
        List<Cell> todo = todo(grid, mode).stream().filter(c -> !queued.containsKey(c.index())).toList();
        if (!todo.isEmpty()) {
            SweepBackend.of(grid.backend()).start(gridFile, todo, grid.workers());
        }
        return status(grid);
    }

    /**
     * The completed cells of {@code grid} as they stand in its sweep directory, collected into the tables (also
     * written as {@code results.csv} and {@code summary.csv}), whichever backend ran them and while others run.
     */
    public static SweepResult collect(Grid grid) {
        noteSeeds(grid.cells());
        SweepResult r = SweepResult.read(grid);
        if (Files.isDirectory(grid.directory())) { // nothing has run yet otherwise: no tables to write
            r.write();
        }
        return r;
    }

    // The cells may run in worker processes: the seeds go into this process's provenance record here.
    private static void noteSeeds(List<Cell> cells) {
        cells.stream().filter(c -> c.experiment() != null).forEach(c -> Origin.noteSeed(c.experiment().seed()));
    }

    /** Where the cells of {@code grid} stand now: its scheduler's queue and the cells' own files. */
    public static SweepStatus status(Grid grid) {
        return SweepStatus.of(grid);
    }

    /**
     * {@link #run(Grid, Mode, SweepListener)} resuming, reporting to the {@link #setDefaultListener default
     * listener}: in the notebook kernel the same progress bar as {@code %%sweep}, elsewhere none.
     */
    public static SweepResult run(Grid grid) {
        return run(grid, Mode.RESUME);
    }

    /** {@link #run(Grid, Mode, SweepListener)} reporting to the {@link #setDefaultListener default listener}. */
    public static SweepResult run(Grid grid, Mode mode) {
        return run(grid, mode, defaultListener.apply(grid));
    }

    /**
     * Makes {@code factory} give the listener of each {@link #run(Grid)} called without one; the notebook kernel
     * installs its progress bar here at start-up, so a notebook's {@code Sweep.run(grid)} shows progress as
     * {@code %%sweep} does. {@code null} restores the default, no reports.
     */
    public static void setDefaultListener(Function<Grid, SweepListener> factory) {
        defaultListener = factory == null ? g -> SweepListener.NONE : factory;
    }

    /** {@link #run(Grid, Mode, SweepListener)} resuming. */
    public static SweepResult run(Grid grid, SweepListener listener) {
        return run(grid, Mode.RESUME, listener);
    }

    /** Runs every cell of {@code grid} that has not completed and returns the result of all its cells. */
    public static SweepResult run(Grid grid, Mode mode, SweepListener listener) {
        Path dir = grid.directory();
        List<Cell> cells = grid.cells();
        noteSeeds(cells);
        Path gridFile = writeGrid(grid, dir);
        Map<Integer, String> queued = SlurmBackend.queue(dir);
        if (!queued.isEmpty()) { // two runs of one cell would write the same directory
            throw new IllegalStateException("sweep " + grid.name() + ": " + queued.size() + " cells are still queued or"
                    + " running on slurm (jobs in " + dir.resolve(SlurmBackend.DIR).resolve(SlurmBackend.JOBS_FILE)
                    + "); follow them with status, or scancel them before running the grid again");
        }
        List<Cell> todo = todo(grid, mode);
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
        listener.onFinished();
        SweepResult result = SweepResult.read(grid, dir);
        result.write();
        return result;
    }

    /**
     * The valid cells not completed yet, each once (cells with equal configurations share one directory); with
     * {@link Mode#FRESH} every cell directory is deleted first, otherwise failed cells lose their status (retried).
     */
    private static List<Cell> todo(Grid grid, Mode mode) {
        Path dir = grid.directory();
        if (mode == Mode.FRESH) {
            grid.cells().stream().filter(Cell::valid).forEach(c -> deleteRecursively(c.directory(dir)));
        }
        List<Cell> todo = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Cell c : grid.cells()) {
            CellOutcome o = CellOutcome.read(c, dir);
            if (c.valid() && !o.completed() && ids.add(c.id())) {
                CellStatus.clear(c.directory(dir)); // a failed cell is retried
                todo.add(c);
            }
        }
        return todo;
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
