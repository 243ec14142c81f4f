package org.deqnc.sweep;

import java.time.Duration;

/**
 * Where a sweep stands, passed to a {@link SweepListener} a few times per second.
 *
 * @param cells       cells in the grid
 * @param completed   cells completed (earlier runs included)
 * @param failed      cells failed (invalid configuration or an error while running)
 * @param running     cells running now
 * @param epochsDone  epochs done by the cells this run started (checkpointed epochs included)
 * @param epochsTotal epochs those cells train in all
 * @param elapsed     time since the sweep started
 */
public record SweepProgress(int cells, int completed, int failed, int running, long epochsDone, long epochsTotal,
        Duration elapsed) {

    /** Cells that have ended: completed or failed. */
    public int ended() {
        return completed + failed;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d/%d cells ended (%d failed), %d running, epochs %d/%d",
                ended(), cells, failed, running, epochsDone, epochsTotal);
    }
}
