package org.deqnc.sweep;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import org.deqnc.train.Experiment;

/**
 * One cell of a {@link Grid}: its position, the axis values that define it and either its validated experiment
 * or the one-line reason it is invalid.
 *
 * @param index      position in {@link Grid#cells()}, from 0
 * @param axisValues axis key to value, as declared
 * @param experiment the cell's experiment, or null when {@code error} is set
 * @param id         the cell's directory name under {@code cells/} (a hash of its configuration), or null
 * @param error      why the configuration is invalid (one line), or null
 */
public record Cell(int index, Map<String, String> axisValues, Experiment experiment, String id, String error) {

    public Cell {
        axisValues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(axisValues));
    }

    public boolean valid() {
        return experiment != null;
    }

    /** The cell's run directory inside {@code sweepDirectory}. */
    public Path directory(Path sweepDirectory) {
        if (!valid()) {
            throw new IllegalStateException("cell " + index + " is invalid (" + error + ") and has no directory");
        }
        return sweepDirectory.resolve(Sweep.CELLS_DIR).resolve(id);
    }

    /** e.g. {@code cell 3 (model=deq, K_A=5)}. */
    public String label() {
        return "cell " + index + (axisValues.isEmpty() ? "" : axisValues.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", " (", ")")));
    }
}
