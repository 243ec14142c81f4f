package org.deqnc.solver;

/**
 * Which residual the stopping rule and the "lowest" bookkeeping use, per sample: {@code ABS} is
 * ‖f(z) − z‖₂, {@code REL} is ‖f(z) − z‖₂ / (‖f(z)‖₂ + 1e-9) (TorchDEQ's convention).
 */
public enum StopMode {
    ABS,
    REL
}
