package org.deqnc.train;

/** The feature layer between encoder and classifier. */
public enum ModelKind {
    /** {@code depth} untied cells of the DEQ cell type applied in turn from z = 0 (plain autograd). */
    EXPLICIT,
    /** One equilibrium layer z* = f(z*, x) (see {@link org.deqnc.deq.DeqBlock}). */
    DEQ
}
