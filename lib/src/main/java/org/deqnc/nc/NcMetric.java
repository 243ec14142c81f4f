package org.deqnc.nc;

/**
 * Every value an {@link NcReport} can hold. Notation: K classes, μ_k class means, μ_G the global mean of
 * the chosen {@link GlobalMean} convention, M̃ the K×d matrix of centred means μ_k − μ_G (one per row),
 * W the K×d classifier, Σ_W = (1/N) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ, Σ_B = (1/K) M̃ᵀM̃, and
 * T = (I − 11ᵀ/K)/√(K−1) the unit-norm simplex-ETF Gram target.
 */
public enum NcMetric {
    NC1_PINV("nc1_pinv", "Tr(Σ_W Σ_B⁺), pseudo-inverse of rank ≤ K−1 with a relative eigenvalue tolerance"),
    NC1_SVD("nc1_svd", "Tr(Σ_W Σ_B⁺) from the top K−1 singular triplets of Σ_B, no tolerance"),
    NC1_QUOTIENT("nc1_quotient", "Tr Σ_W / Tr Σ_B"),
    NC1_CDNV("nc1_cdnv", "mean over class pairs of (σ_i² + σ_j²)/(2‖μ_i − μ_j‖²), σ_k² = Tr of class k's covariance"),
    TRACE_SIGMA_W("trace_sigma_w", "Tr Σ_W"),
    TRACE_SIGMA_B("trace_sigma_b", "Tr Σ_B"),
    NC2_EQUINORM_MEANS("nc2_equinorm_means", "std/mean of ‖μ_k − μ_G‖"),
    NC2_EQUINORM_CLASSIFIER("nc2_equinorm_classifier", "std/mean of ‖w_k‖"),
    NC2_EQUIANGULAR_MEANS("nc2_equiangular_means", "mean over pairs i<j of |cos(μ̃_i, μ̃_j) + 1/(K−1)|"),
    NC2_EQUIANGULAR_MEANS_STD("nc2_equiangular_means_std", "std over pairs i<j of |cos(μ̃_i, μ̃_j) + 1/(K−1)|"),
    NC2_EQUIANGULAR_CLASSIFIER("nc2_equiangular_classifier", "mean over pairs i<j of |cos(w_i, w_j) + 1/(K−1)|"),
    NC2_EQUIANGULAR_CLASSIFIER_STD("nc2_equiangular_classifier_std", "std over pairs i<j of |cos(w_i, w_j) + 1/(K−1)|"),
    NC2_ETF_MEANS("nc2_etf_means", "‖G/‖G‖_F − T‖_F with G = M̃M̃ᵀ"),
    NC2_ETF_CLASSIFIER("nc2_etf_classifier", "‖G/‖G‖_F − T‖_F with G = WWᵀ"),
    NC3_DUALITY("nc3_duality", "‖W/‖W‖_F − M̃/‖M̃‖_F‖_F"),
    NC3_DUALITY_SQUARED("nc3_duality_squared", "‖W/‖W‖_F − M̃/‖M̃‖_F‖_F²"),
    NC3_STRUCTURE("nc3_structure", "‖WM̃ᵀ/‖WM̃ᵀ‖_F − T‖_F"),
    NC3_BIAS("nc3_bias", "‖W μ_G + b‖ (bias collapse)"),
    NC3_DUALITY_COS_MEAN("nc3_duality_cos_mean", "mean over k of cos(w_k, μ_k − μ_G)"),
    NC3_DUALITY_COS_VAR("nc3_duality_cos_var", "variance over k of the cosines cos(w_k, μ_k − μ_G) (scale-free uniform duality)"),
    UNC3_DUALITY_DOT_VAR("unc3_duality_dot_var", "variance over k of the dot products w_k·(μ_k − μ_G) (rhubarbwu/neural-collapse's UNC3)"),
    NC4_NCC_DISAGREEMENT("nc4_ncc_disagreement", "fraction of samples where argmin_k ‖h − μ_k‖ differs from the network prediction"),
    NC4_LINEAR_NCC_DISAGREEMENT("nc4_linear_ncc_disagreement", "fraction of samples where argmin_k ‖h − μ_k‖ differs from argmax_k (w_k·h + b_k)"),
    NCC_ACCURACY("ncc_accuracy", "accuracy of the nearest-class-centre rule argmin_k ‖h − μ_k‖"),
    ACCURACY("accuracy", "fraction of samples the network predicts correctly"),
    ACCURACY_MAJORITY("accuracy_majority", "network accuracy pooled over the samples of majority classes"),
    ACCURACY_MINORITY("accuracy_minority", "network accuracy pooled over the samples of minority classes"),
    MINORITY_CLASSIFIER_COS("minority_classifier_cos", "mean over minority pairs i<j of cos(w_i, w_j)"),
    MINORITY_CLASSIFIER_COS_STD("minority_classifier_cos_std", "std over minority pairs i<j of cos(w_i, w_j)"),
    MINORITY_MEANS_COS("minority_means_cos", "mean over minority pairs i<j of cos(μ̃_i, μ̃_j)"),
    MINORITY_MEANS_COS_STD("minority_means_cos_std", "std over minority pairs i<j of cos(μ̃_i, μ̃_j)"),
    MAJORITY_CLASSIFIER_NORM("majority_classifier_norm", "mean ‖w_k‖ over majority classes"),
    MINORITY_CLASSIFIER_NORM("minority_classifier_norm", "mean ‖w_k‖ over minority classes"),
    MINORITY_CLASSIFIER_NORM_COV("minority_classifier_norm_cov", "std/mean of ‖w_k‖ over minority classes"),
    MAJORITY_MEANS_NORM("majority_means_norm", "mean ‖μ_k − μ_G‖ over majority classes"),
    MINORITY_MEANS_NORM("minority_means_norm", "mean ‖μ_k − μ_G‖ over minority classes");

    private final String key;
    private final String description;

    NcMetric(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** Stable snake_case name used in tables and CSV files. */
    public String key() {
        return key;
    }

    /** The formula, in the notation of this enum's documentation. */
    public String description() {
        return description;
    }
}
