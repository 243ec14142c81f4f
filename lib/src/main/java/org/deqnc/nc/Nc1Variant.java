package org.deqnc.nc;

/** Which within-class variability measure a report headlines as NC1. All four are always computed. */
public enum Nc1Variant implements NcChoice {
    /** Tr(Σ_W Σ_B⁺) with a rank-(K−1) pseudo-inverse that drops eigenvalues below a relative tolerance. */
    PINV(NcMetric.NC1_PINV),
    /** Tr(Σ_W Σ_B⁺) from the top K−1 singular triplets of Σ_B, no tolerance (Han et al., {@code svds}). */
    SVD(NcMetric.NC1_SVD),
    /** Tr Σ_W / Tr Σ_B (Tirer et al.); needs no inverse at all. */
    QUOTIENT(NcMetric.NC1_QUOTIENT),
    /** Class-distance normalised variance, averaged over class pairs (Galanti et al.). */
    CDNV(NcMetric.NC1_CDNV);

    private final NcMetric metric;

    Nc1Variant(NcMetric metric) {
        this.metric = metric;
    }

    /** The report entry this variant selects. */
    public NcMetric metric() {
        return metric;
    }
}
