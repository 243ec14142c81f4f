package org.deqnc.sweep;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a sweep's cells run. A backend only starts and stops cells: each cell is the plain command
 * {@link RunCell#command} (a {@code java} process given the grid file and the cell's index), which writes every
 * result into the cell's own directory, so the {@link Sweep} reads progress and outcomes from those files
 * whatever the backend: {@code local} (worker processes on this machine) or {@code slurm} (one array job).
 */
public interface SweepBackend {

    /** The backend's name in the grid's {@code backend} setting. */
    String name();

    /**
     * Starts the given cells of the grid in {@code gridFile} (whose directory is the sweep's), at most
     * {@code workers} at a time, and returns at once.
     */
    Execution start(Path gridFile, List<Cell> cells, int workers);

    /** The running cells of one {@link #start}. */
    interface Execution {

        /** Waits up to {@code timeout} (starting queued cells as others end); true when every cell has ended. */
        boolean await(Duration timeout) throws InterruptedException;

        /** Indices of the cells running now. */
        Set<Integer> running();

        /**
         * Cells whose execution ended abnormally, each with what the backend knows (e.g. "worker exited with code
         * 137 (killed by signal 9)"); the sweep reports it for those that did not record their own outcome.
         */
        Map<Integer, String> lost();

        /** Stops every running and queued cell and returns once they have stopped. */
        void cancel();
    }

    /** The names {@link #of} accepts. */
    static List<String> names() {
        return List.of(LocalBackend.NAME, SlurmBackend.NAME);
    }

    /** The backend called {@code name}. */
    static SweepBackend of(String name) {
        if (name.equals(LocalBackend.NAME)) {
            return new LocalBackend();
        }
        if (name.equals(SlurmBackend.NAME)) {
            return new SlurmBackend();
        }
        throw new IllegalArgumentException("backend: must be one of " + String.join(", ", names()) + ", got '" + name + "'");
    }
}
