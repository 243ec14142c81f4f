package org.deqnc.nc;

/**
 * Whether Tr(Σ_W Σ_B⁺) is divided by K. Papyan et al.'s paper and Zhu et al.'s code divide; a widely
 * copied course version of Papyan's script ({@code Sw_invSb}) does not. Applies to the PINV and SVD
 * variants only; the quotient and CDNV have their own fixed normalisation.
 */
public enum TraceScaling implements NcChoice {
    /** Tr(Σ_W Σ_B⁺) / K. */
    DIVIDE_BY_K,
    /** Tr(Σ_W Σ_B⁺). */
    NONE
}
