package org.deqnc.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deqnc.train.ExperimentRunner;

/**
 * Where a sweep's cells stand now, from the cells' own files and, for cells submitted to Slurm, the scheduler's
 * queue ({@code squeue}): {@code running} and {@code pending} are cells the scheduler holds (or that were never
 * started), {@code done} the completed ones, {@code failed} those that recorded a failure, are invalid, or left
 * the queue without an outcome (a killed or timed-out task: submitting again resumes it from its checkpoint).
 *
 * @param grid     the sweep's grid
 * @param pending  cells waiting (queued, or not started)
 * @param running  cells the scheduler runs now
 * @param done     completed cells
 * @param failures the failed cells, each with its reason and the last lines of its log
 */
public record SweepStatus(Grid grid, int pending, int running, int done, List<Failure> failures) {

    /** Lines of a failed cell's log that {@link #failures} carries. */
    public static final int LOG_LINES = 10;

    /** A failed cell, why, and the end of its {@code log.txt} (empty when it has none). */
    public record Failure(Cell cell, String reason, List<String> lastLogLines) {
    }

    public SweepStatus {
        failures = List.copyOf(failures);
    }

    /** The status of {@code grid}'s cells in its sweep directory. */
    public static SweepStatus of(Grid grid) {
        Path dir = grid.directory();
        Map<Integer, String> queued = SlurmBackend.queue(dir);
        java.util.Set<Integer> submitted = new java.util.HashSet<>();
        SlurmBackend.jobs(dir).values().forEach(submitted::addAll);
        int pending = 0;
        int running = 0;
        int done = 0;
        List<Failure> failures = new ArrayList<>();
        for (Cell c : grid.cells()) {
            CellOutcome o = CellOutcome.read(c, dir);
            String state = queued.get(c.index());
            if (o.completed()) {
                done++;
            } else if (o.status() == CellOutcome.Status.FAILED && state == null) {
                failures.add(new Failure(c, o.error(), o.directory() == null ? List.of() : lastLines(o.directory())));
            } else if (state != null) {
                if (state.equals("RUNNING") || state.equals("COMPLETING")) {
                    running++;
                } else {
                    pending++;
                }
            } else if (submitted.contains(c.index())) {
                failures.add(new Failure(c, "its slurm task ended before the cell did (" + ExperimentRunner.metrics(
                        o.directory()).size() + " epochs checkpointed); submit the sweep again to resume it",
                        lastLines(o.directory())));
            } else {
                pending++;
            }
        }
        return new SweepStatus(grid, pending, running, done, failures);
    }

    public int failed() {
        return failures.size();
    }

    public int total() {
        return pending + running + done + failed();
    }

    private static List<String> lastLines(Path cellDirectory) {
        Path log = cellDirectory.resolve(LocalBackend.LOG_FILE);
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return List.copyOf(lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(log + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** {@code sweep NAME: 6 cells: 1 pending, 2 running, 3 done, 0 failed}, then each failure and its log's end. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("sweep " + grid.name() + ": " + total() + " cells: " + pending + " pending, "
                + running + " running, " + done + " done, " + failed() + " failed");
        for (Failure f : failures) {
            b.append('\n').append(f.cell().label()).append(": failed (").append(f.reason()).append(')');
            f.lastLogLines().forEach(l -> b.append("\n    | ").append(l));
        }
        return b.toString();
    }
}
