package org.deqnc.nc;

/** Which self-duality measure a report headlines as NC3. All of them are always computed. */
public enum Nc3Variant implements NcChoice {
    /** ‖W/‖W‖_F − M̃/‖M̃‖_F‖_F (M̃ with one centred class mean per row, like W). */
    DUALITY(NcMetric.NC3_DUALITY),
    /** The square of {@link #DUALITY}, as Papyan et al.'s script logs it ({@code W_M_dist}). */
    DUALITY_SQUARED(NcMetric.NC3_DUALITY_SQUARED),
    /** ‖WM̃ᵀ/‖WM̃ᵀ‖_F − (I − 11ᵀ/K)/√(K−1)‖_F (Zhu et al.'s W–H relation). */
    STRUCTURE(NcMetric.NC3_STRUCTURE),
    /**
     * Variance over classes of the cosines cos(w_k, μ_k − μ_G): 0 when every class is equally self-dual. The
     * scale-free form; rhubarbwu's UNC3 is the variance of the dot products, {@link NcMetric#UNC3_DUALITY_DOT_VAR},
     * which every report holds too.
     */
    UNIFORM_DUALITY(NcMetric.NC3_DUALITY_COS_VAR);

    private final NcMetric metric;

    Nc3Variant(NcMetric metric) {
        this.metric = metric;
    }

    /** The report entry this variant selects. */
    public NcMetric metric() {
        return metric;
    }
}
