package org.deqnc.data;

/**
 * Fang et al.'s split of the classes under step imbalance: labels {@code 0..K_A-1} are the majority,
 * the rest the minority. Used for class-count tables and for majority/minority accuracies.
 */
public enum ClassGroup {
    MAJORITY("majority"),
    MINORITY("minority");

    private final String label;

    ClassGroup(String label) {
        this.label = label;
    }

    /** The group of class {@code classIndex} when the first {@code kA} classes are the majority. */
    public static ClassGroup of(int classIndex, int kA) {
        if (classIndex < 0) {
            throw new IllegalArgumentException("classIndex: must be >= 0, got " + classIndex);
        }
        return classIndex < kA ? MAJORITY : MINORITY;
    }

    /** Lower-case name used in tables and CSV files. */
    public String label() {
        return label;
    }
}
