package org.deqnc.nc;

/**
 * How much of the within-class scatter S = Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ the statistics keep. Not a
 * convention: every metric has the same value either way, because Σ_W enters NC1 only through
 * M̃Σ_W M̃ᵀ (the pseudo-inverse of Σ_B = M̃ᵀM̃/K lives in the row space of M̃) and through Tr Σ_W.
 */
public enum WithinScatter {
    /**
     * Only the K×K projection M̃_c S M̃_cᵀ on the class-mean-centred means and the per-class traces: about
     * 2·N·d·K flops instead of N·d², so NC1 costs no more than NC4. The default.
     */
    PROJECTED,
    /** Also the full d×d S, for {@link NcStatistics#withinClassCovariance()}; N·d² flops, as published NC code does. */
    FULL
}
