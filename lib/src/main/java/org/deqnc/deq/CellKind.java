package org.deqnc.deq;

/** The built-in cells: {@link LinearCell}, {@link MlpCell}, {@link ConvCell}. */
public enum CellKind {
    LINEAR,
    MLP,
    CONV
}
