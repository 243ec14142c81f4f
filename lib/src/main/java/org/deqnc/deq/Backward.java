package org.deqnc.deq;

/**
 * How a {@link DeqBlock} produces gradients.
 *
 * <ul>
 *   <li>{@code IMPLICIT}: exact implicit differentiation; the adjoint fixed point u = uJ + ∂L/∂z* is
 *       solved with its own solver and tolerance, then u is pushed through one application of f.
 *       Needs a {@link DeqGradientCollector} (or a {@link DeqTrainer}).</li>
 *   <li>{@code PHANTOM}: back-propagate through k damped steps h ← (1 − τ) h + τ f(h) from z*
 *       (Geng et al. 2021).</li>
 *   <li>{@code JFB}: Jacobian-free backprop, one step of f from z* (phantom with k = 1, τ = 1).</li>
 * </ul>
 */
public enum Backward {
    IMPLICIT,
    PHANTOM,
    JFB
}
