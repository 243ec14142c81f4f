package org.deqnc.nc;

import java.util.List;
import java.util.Objects;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;

/**
 * Every choice on which published neural-collapse code disagrees, made explicit and recorded in each
 * {@link NcReport}. Start from a preset ({@link #defaults()}, {@link #papyan()}, {@link #zhu()}) and change
 * choices with {@link #with(NcChoice...)}, e.g.
 * {@code NcConventions.defaults().with(GlobalMean.SAMPLE, TraceScaling.NONE)}.
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

    /** {@code global_mean}: {@code class} ({@link GlobalMean#CLASS_MEAN}) or {@code sample} ({@link GlobalMean#SAMPLE}). */
    public static final ConfigKey<String> GLOBAL_MEAN = ConfigKey.ofChoice("global_mean", "class",
            () -> List.of("class", "sample"), "mu_G: mean of the class means (Papyan) or of the samples (Zhu)");
    public static final ConfigKey<Nc1Variant> NC1 = ConfigKey.ofEnum("nc1", Nc1Variant.PINV, Nc1Variant.class,
            "the NC1 variant the report headlines (all are computed)");
    public static final ConfigKey<TraceScaling> NC1_SCALING = ConfigKey.ofEnum("nc1_scaling", TraceScaling.DIVIDE_BY_K,
            TraceScaling.class, "whether Tr(Sigma_W Sigma_B^+) is divided by K");
    public static final ConfigKey<Double> PINV_TOL = ConfigKey.ofDouble("pinv_tol", DEFAULT_PINV_TOLERANCE,
            new ConfigKey.Range(0, true, 1, false), "pinv NC1: eigenvalues of Sigma_B at or below this fraction of the largest count as zero");
    public static final ConfigKey<Nc2Variant> NC2 = ConfigKey.ofEnum("nc2", Nc2Variant.ETF_MEANS, Nc2Variant.class,
            "the NC2 measure the report headlines");
    public static final ConfigKey<Nc3Variant> NC3 = ConfigKey.ofEnum("nc3", Nc3Variant.DUALITY, Nc3Variant.class,
            "the NC3 measure the report headlines");
    public static final ConfigKey<Dispersion> DISPERSION = ConfigKey.ofEnum("dispersion", Dispersion.UNBIASED,
            Dispersion.class, "standard deviation of the coefficients of variation and cosine spreads");

    /** Every choice as a {@code key=value} key, defaults those of {@link #defaults()}: what {@code %nc} accepts. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder("nc").add(GLOBAL_MEAN).add(NC1).add(NC1_SCALING)
            .add(PINV_TOL).add(NC2).add(NC3).add(DISPERSION).build();

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

    /** Parses {@code key=value} tokens of {@link #SCHEMA}, e.g. {@code "global_mean=sample nc1=svd"}. */
    public static NcConventions parse(String text) {
        return from(SCHEMA.parseText(text));
    }

    /** The conventions set in {@code config}, a configuration whose schema embeds keys of {@link #SCHEMA}. */
    public static NcConventions from(Config config) {
        Config c = SCHEMA.select(config);
        GlobalMean mean = c.get(GLOBAL_MEAN).equals("sample") ? GlobalMean.SAMPLE : GlobalMean.CLASS_MEAN;
        return new NcConventions(mean, c.get(NC1), c.get(NC1_SCALING), c.get(PINV_TOL), c.get(NC2), c.get(NC3),
                c.get(DISPERSION));
    }

    /**
     * A copy with the given choices replaced, e.g. {@code with(GlobalMean.SAMPLE, Nc1Variant.SVD)}; a later
     * choice of the same kind wins.
     */
    public NcConventions with(NcChoice... choices) {
        GlobalMean g = globalMean;
        Nc1Variant v1 = nc1;
        TraceScaling s = nc1Scaling;
        Nc2Variant v2 = nc2;
        Nc3Variant v3 = nc3;
        Dispersion disp = dispersion;
        for (NcChoice c : choices) {
            if (c instanceof GlobalMean x) {
                g = x;
            } else if (c instanceof Nc1Variant x) {
                v1 = x;
            } else if (c instanceof TraceScaling x) {
                s = x;
            } else if (c instanceof Nc2Variant x) {
                v2 = x;
            } else if (c instanceof Nc3Variant x) {
                v3 = x;
            } else if (c instanceof Dispersion x) {
                disp = x;
            } else {
                throw new IllegalArgumentException("choices: expected GlobalMean, Nc1Variant, TraceScaling, "
                        + "Nc2Variant, Nc3Variant or Dispersion values, got " + c);
            }
        }
        return new NcConventions(g, v1, s, pinvRelativeTolerance, v2, v3, disp);
    }

    /** A copy with another relative eigenvalue tolerance for the PINV variant of NC1. */
    public NcConventions withPinvRelativeTolerance(double tolerance) {
        return new NcConventions(globalMean, nc1, nc1Scaling, tolerance, nc2, nc3, dispersion);
    }

    /** One line, e.g. {@code globalMean=CLASS_MEAN nc1=PINV/K tol=1e-10 nc2=ETF_MEANS nc3=DUALITY std=UNBIASED}. */
    public String describe() {
        return "globalMean=" + globalMean + " nc1=" + nc1 + (nc1Scaling == TraceScaling.DIVIDE_BY_K ? "/K" : "")
                + " tol=" + pinvRelativeTolerance + " nc2=" + nc2 + " nc3=" + nc3 + " std=" + dispersion;
    }
}
