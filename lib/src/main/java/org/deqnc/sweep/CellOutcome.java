package org.deqnc.sweep;

import java.nio.file.Path;

/**
 * Where one cell stands, read from its directory.
 *
 * @param cell      the cell
 * @param status    completed, failed, or pending (not run, running, or stopped before it ended)
 * @param error     why it failed (one line), or null
 * @param directory its run directory, or null for an invalid cell
 */
public record CellOutcome(Cell cell, Status status, String error, Path directory) {

    public enum Status {
        COMPLETED, FAILED, PENDING;

        /** Lower case, as in the summary table. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The outcome recorded under {@code sweepDirectory}. */
    static CellOutcome read(Cell cell, Path sweepDirectory) {
        if (!cell.valid()) {
            return new CellOutcome(cell, Status.FAILED, cell.error(), null);
        }
        Path dir = cell.directory(sweepDirectory);
        CellStatus s = CellStatus.read(dir);
        if (s == null) {
            return new CellOutcome(cell, Status.PENDING, null, dir);
        }
        return new CellOutcome(cell, s.completed() ? Status.COMPLETED : Status.FAILED, s.error(), dir);
    }

    public boolean completed() {
        return status == Status.COMPLETED;
    }

    @Override
    public String toString() {
        return cell.label() + ": " + status.text() + (error == null ? "" : " (" + error + ")");
    }
}
