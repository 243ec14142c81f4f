package org.deqnc.nc;

/**
 * Which global mean μ_G the centred class means M̃ = [μ_k − μ_G] are taken about. The anchors disagree
 * silently: Papyan et al. use the unweighted mean of class means, Zhu et al. ({@code tding1}) the
 * sample-weighted mean. On balanced data they coincide; under imbalance NC1, NC2 and NC3 all change.
 */
public enum GlobalMean implements NcChoice {
    /** μ_G = (1/K) Σ_k μ_k: every class counts once (Papyan, Han &amp; Donoho 2020). */
    CLASS_MEAN("class_balanced"),
    /** μ_G = (1/N) Σ_i h_i = Σ_k (n_k/N) μ_k: every sample counts once (Zhu et al. 2021). */
    SAMPLE("sample_weighted");

    private final String columnSuffix;

    GlobalMean(String columnSuffix) {
        this.columnSuffix = columnSuffix;
    }

    /**
     * What a table column computed under this convention ends with, e.g. {@code means_norm_ratio_sample_weighted}:
     * the convention in words, since the enum names read as "the class mean" and "a sample".
     */
    public String columnSuffix() {
        return columnSuffix;
    }
}
