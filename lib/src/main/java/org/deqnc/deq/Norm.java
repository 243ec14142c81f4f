package org.deqnc.deq;

/**
 * Re-parametrisation of a cell's recurrent weight, recomputed once per forward pass (TorchDEQ's
 * per-step {@code reset_norm}) and reused by every solver iteration.
 *
 * <ul>
 *   <li>{@code NONE}: W as is.</li>
 *   <li>{@code WEIGHT}: W = g ⊙ V / ‖V‖ per output row, g learnable and initialised to ‖V‖ (so the
 *       initial W is unchanged).</li>
 *   <li>{@code SPECTRAL}: W = V / σ̂ with σ̂ = uᵀVv from power iteration; u persists across steps and
 *       advances by {@code sn_iters} iterations in every training forward; ‖W‖₂ ≈ 1.</li>
 * </ul>
 */
public enum Norm {
    NONE,
    WEIGHT,
    SPECTRAL
}
