package org.deqnc.nc;

import java.util.Objects;

/**
 * Every choice on which published neural-collapse code disagrees, made explicit and recorded in each
 * {@link NcReport}. Build with {@link #builder()} or start from a preset ({@link #defaults()},
 * {@link #papyan()}, {@link #zhu()}) and change single fields with the {@code with…} methods.
 *
 * @param globalMean             the μ_G that class means are centred about
 * @param nc1                    the NC1 variant the report headlines (all are computed)
 * @param nc1Scaling             whether Tr(Σ_W Σ_B⁺) is divided by K
 * @param pinvRelativeTolerance  eigenvalues of Σ_B at or below this fraction of the largest are treated as
 *                               zero by the PINV variant (this is what keeps NC1 from going negative)
 * @param nc2                    the NC2 measure the report headlines
 * @param nc3                    the NC3 measure the report headlines
 * @param dispersion             the standard deviation used for coefficients of variation and cosine spreads
 */
public record NcConventions(GlobalMean globalMean, Nc1Variant nc1, TraceScaling nc1Scaling,
                            double pinvRelativeTolerance, Nc2Variant nc2, Nc3Variant nc3, Dispersion dispersion) {

    /** Default relative eigenvalue tolerance of the PINV variant. */
    public static final double DEFAULT_PINV_TOLERANCE = 1e-10;

    /** Validates every field. */
    public NcConventions {
        Objects.requireNonNull(globalMean, "globalMean");
        Objects.requireNonNull(nc1, "nc1");
        Objects.requireNonNull(nc1Scaling, "nc1Scaling");
        Objects.requireNonNull(nc2, "nc2");
        Objects.requireNonNull(nc3, "nc3");
        Objects.requireNonNull(dispersion, "dispersion");
        if (!(pinvRelativeTolerance >= 0 && pinvRelativeTolerance < 1)) {
            throw new IllegalArgumentException(
                    "pinvRelativeTolerance: must satisfy 0 <= tol < 1, got " + pinvRelativeTolerance);
        }
    }

    /** Class-mean μ_G, PINV NC1 divided by K, ETF distance of the means, unsquared duality, unbiased std. */
    public static NcConventions defaults() {
        return new NcConventions(GlobalMean.CLASS_MEAN, Nc1Variant.PINV, TraceScaling.DIVIDE_BY_K,
                DEFAULT_PINV_TOLERANCE, Nc2Variant.ETF_MEANS, Nc3Variant.DUALITY, Dispersion.UNBIASED);
    }

    /** Papyan, Han &amp; Donoho 2020: class-mean μ_G, top-(K−1) SVD NC1 / K, equiangularity, squared duality. */
    public static NcConventions papyan() {
        return new NcConventions(GlobalMean.CLASS_MEAN, Nc1Variant.SVD, TraceScaling.DIVIDE_BY_K,
                DEFAULT_PINV_TOLERANCE, Nc2Variant.EQUIANGULAR_MEANS, Nc3Variant.DUALITY_SQUARED, Dispersion.UNBIASED);
    }

    /** Zhu et al. 2021 ({@code tding1/Neural-Collapse}): sample μ_G, pinv NC1 / K, ETF of W, W–M̃ structure. */
    public static NcConventions zhu() {
        return new NcConventions(GlobalMean.SAMPLE, Nc1Variant.PINV, TraceScaling.DIVIDE_BY_K,
                DEFAULT_PINV_TOLERANCE, Nc2Variant.ETF_CLASSIFIER, Nc3Variant.STRUCTURE, Dispersion.UNBIASED);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder starting from these conventions. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy with another global-mean convention. */
    public NcConventions withGlobalMean(GlobalMean g) {
        return toBuilder().globalMean(g).build();
    }

    /** One line, e.g. {@code globalMean=CLASS_MEAN nc1=PINV/K tol=1e-10 nc2=ETF_MEANS nc3=DUALITY std=UNBIASED}. */
    public String describe() {
        return "globalMean=" + globalMean + " nc1=" + nc1 + (nc1Scaling == TraceScaling.DIVIDE_BY_K ? "/K" : "")
                + " tol=" + pinvRelativeTolerance + " nc2=" + nc2 + " nc3=" + nc3 + " std=" + dispersion;
    }

    /** Fluent builder; {@link #build()} validates. */
    public static final class Builder {
        private GlobalMean globalMean;
        private Nc1Variant nc1;
        private TraceScaling nc1Scaling;
        private double pinvRelativeTolerance;
        private Nc2Variant nc2;
        private Nc3Variant nc3;
        private Dispersion dispersion;

        private Builder(NcConventions from) {
            globalMean = from.globalMean;
            nc1 = from.nc1;
            nc1Scaling = from.nc1Scaling;
            pinvRelativeTolerance = from.pinvRelativeTolerance;
            nc2 = from.nc2;
            nc3 = from.nc3;
            dispersion = from.dispersion;
        }

        public Builder globalMean(GlobalMean v) {
            globalMean = v;
            return this;
        }

        public Builder nc1(Nc1Variant v) {
            nc1 = v;
            return this;
        }

        public Builder nc1Scaling(TraceScaling v) {
            nc1Scaling = v;
            return this;
        }

        public Builder pinvRelativeTolerance(double v) {
            pinvRelativeTolerance = v;
            return this;
        }

        public Builder nc2(Nc2Variant v) {
            nc2 = v;
            return this;
        }

        public Builder nc3(Nc3Variant v) {
            nc3 = v;
            return this;
        }

        public Builder dispersion(Dispersion v) {
            dispersion = v;
            return this;
        }

        public NcConventions build() {
            return new NcConventions(globalMean, nc1, nc1Scaling, pinvRelativeTolerance, nc2, nc3, dispersion);
        }
    }
}
