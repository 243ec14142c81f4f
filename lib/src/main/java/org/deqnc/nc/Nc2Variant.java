package org.deqnc.nc;

/** Which simplex-ETF measure a report headlines as NC2. All of them are always computed. */
public enum Nc2Variant implements NcChoice {
    /** ‖G/‖G‖_F − (I − 11ᵀ/K)/√(K−1)‖_F with G = M̃M̃ᵀ: distance of the centred means to a simplex ETF. */
    ETF_MEANS(NcMetric.NC2_ETF_MEANS),
    /** The same distance for G = WWᵀ (Zhu et al.'s NC2, classifier only). */
    ETF_CLASSIFIER(NcMetric.NC2_ETF_CLASSIFIER),
    /** Mean over class pairs of |cos(μ̃_i, μ̃_j) + 1/(K−1)| (Papyan et al.'s equiangularity). */
    EQUIANGULAR_MEANS(NcMetric.NC2_EQUIANGULAR_MEANS),
    /** Coefficient of variation of ‖μ̃_k‖ (Papyan et al.'s equinorm). */
    EQUINORM_MEANS(NcMetric.NC2_EQUINORM_MEANS);

    private final NcMetric metric;

    Nc2Variant(NcMetric metric) {
        this.metric = metric;
    }

    /** The report entry this variant selects. */
    public NcMetric metric() {
        return metric;
    }
}
