package org.deqnc.solver;

import java.util.Map;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigKey.Range;
import org.deqnc.config.ConfigSchema;
import org.deqnc.config.ConfigView;

/**
 * Options shared by all solvers (tolerance, iteration cap, stop mode) and the knobs of the built-in
 * ones (Anderson m, β, λ; Picard τ; Broyden line search). Immutable; build with {@link #builder()}, parse
 * {@code key=value} text, or pick the keys out of a configuration that embeds them ({@link #from(Config)}).
 * Defaults follow TorchDEQ where it has one, except the relative stop mode and tol 1e-4.
 *
 * <p>The keys below are the one declaration of each solver option: {@code DeqConfig} embeds them (its
 * {@code b_} keys rename the stop rule for the adjoint solve) and {@code %solve} accepts them all.
 */
public final class SolverOptions extends ConfigView<SolverOptions> {

    /** Above this final relative residual a solve is flagged as untrustworthy (rule of thumb of locuslab/deq#20). */
    public static final double WARN_REL_RESIDUAL = 0.05;

    public static final ConfigKey<Double> TOL = ConfigKey.ofDouble("tol", 1e-4, Range.positive(),
            "stop tolerance on the batch-max residual");
    public static final ConfigKey<Integer> MAX_ITER = ConfigKey.ofInt("max_iter", 30, 1, 100_000,
            "iteration cap (residual evaluations)");
    public static final ConfigKey<StopMode> STOP_MODE = ConfigKey.ofEnum("stop_mode", StopMode.REL, StopMode.class,
            "residual: abs ||f(z)-z|| or rel ||f(z)-z|| / ||f(z)||");
    public static final ConfigKey<Boolean> RETURN_FINAL = ConfigKey.ofBoolean("return_final", false,
            "return the last iterate instead of the lowest-residual one");
    public static final ConfigKey<Integer> M = ConfigKey.ofInt("m", 5, 1, 64, "Anderson history window");
    public static final ConfigKey<Double> BETA = ConfigKey.ofDouble("beta", 1.0, Range.openClosed(0, 1),
            "Anderson mixing (1 = undamped)");
    public static final ConfigKey<Double> LAM = ConfigKey.ofDouble("lam", 1e-4, Range.atLeast(0),
            "Anderson Tikhonov term, relative to mean diag(G G^T)");
    public static final ConfigKey<Double> TAU = ConfigKey.ofDouble("tau", 1.0, Range.openClosed(0, 1),
            "Picard damping: z <- (1 - tau) z + tau f(z)");
    public static final ConfigKey<Boolean> LINE_SEARCH = ConfigKey.ofBoolean("line_search", true,
            "Broyden: backtrack when a full step raises the residual");
    public static final ConfigKey<Double> BLOWUP_FACTOR = ConfigKey.ofDouble("blowup_factor", 1e3,
            new Range(1, false, Double.POSITIVE_INFINITY, false),
            "diverged when the batch-max abs residual exceeds this factor times the first one");
    public static final ConfigKey<Boolean> REQUIRE_CONVERGED = ConfigKey.ofBoolean("require_converged", false,
            "treat reaching max_iter without tol as a failure (exception or fallback), not a warning");

    /** Every key above, in this order. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder("solver")
            .add(TOL).add(MAX_ITER).add(STOP_MODE).add(RETURN_FINAL).add(M).add(BETA).add(LAM).add(TAU)
            .add(LINE_SEARCH).add(BLOWUP_FACTOR).add(REQUIRE_CONVERGED).build();

    // read once: solvers consult them every iteration
    private final double tol;
    private final int maxIter;
    private final StopMode stopMode;
    private final boolean returnFinal;
    private final int m;
    private final double beta;
    private final double lam;
    private final double tau;
    private final boolean lineSearch;
    private final double blowupFactor;
    private final boolean requireConverged;

    private SolverOptions(Config config) {
        super(config);
        tol = get(TOL);
        maxIter = get(MAX_ITER);
        stopMode = get(STOP_MODE);
        returnFinal = get(RETURN_FINAL);
        m = get(M);
        beta = get(BETA);
        lam = get(LAM);
        tau = get(TAU);
        lineSearch = get(LINE_SEARCH);
        blowupFactor = get(BLOWUP_FACTOR);
        requireConverged = get(REQUIRE_CONVERGED);
    }

    @Override
    protected SolverOptions wrap(Config config) {
        return new SolverOptions(config);
    }

    public static Builder builder() {
        return new Builder(null);
    }

    /** The defaults: tol 1e-4, max_iter 30, rel, m 5, β 1, λ 1e-4, τ 1, line search on, blow-up 1000. */
    public static SolverOptions defaults() {
        return new SolverOptions(SCHEMA.defaults());
    }

    /** Parses {@code key=value} tokens (or a multi-line body) of the keys above. */
    public static SolverOptions parse(String text) {
        return new SolverOptions(SCHEMA.parseText(text));
    }

    public static SolverOptions of(Map<String, ?> values) {
        return new SolverOptions(SCHEMA.parse(values));
    }

    /** The solver options set in {@code config}, a configuration that embeds some of the keys above by name. */
    public static SolverOptions from(Config config) {
        return new SolverOptions(SCHEMA.select(config));
    }

    /** A builder starting from this configuration's explicitly set keys. */
    public Builder toBuilder() {
        return new Builder(asConfig());
    }

    /** Stop when the batch-max residual (of {@link #stopMode()}) is below this. */
    public double tol() {
        return tol;
    }

    /** Most residual evaluations (iterations) before giving up. */
    public int maxIter() {
        return maxIter;
    }

    public StopMode stopMode() {
        return stopMode;
    }

    /** Return the last iterate instead of the per-sample lowest-residual one. */
    public boolean returnFinal() {
        return returnFinal;
    }

    /** Anderson history window. */
    public int m() {
        return m;
    }

    /** Anderson mixing β: 1 mixes the f-values only (type II), smaller values damp. */
    public double beta() {
        return beta;
    }

    /** Anderson Tikhonov λ, relative to the mean diagonal of GGᵀ per sample (an absolute λ stalls near convergence). */
    public double lam() {
        return lam;
    }

    /** Picard damping: z ← (1 − τ) z + τ f(z). */
    public double tau() {
        return tau;
    }

    /** Broyden backtracking line search when a full step raises the residual. */
    public boolean lineSearch() {
        return lineSearch;
    }

    /** Residual blow-up: diverged when the batch-max abs residual exceeds this factor times the first one. */
    public double blowupFactor() {
        return blowupFactor;
    }

    /** Treat "max_iter reached without tol" as a failure (exception or fallback) instead of a warning. */
    public boolean requireConverged() {
        return requireConverged;
    }

    /** Fluent builder; each setter checks its value at once with a one-line message. */
    public static final class Builder extends ConfigView.Builder<SolverOptions, Builder> {
        private Builder(Config start) {
            super(SCHEMA, SolverOptions::new, start);
        }

        public Builder tol(double v) {
            return set(TOL, v);
        }

        public Builder maxIter(int v) {
            return set(MAX_ITER, v);
        }

        public Builder stopMode(StopMode v) {
            return set(STOP_MODE, v);
        }

        public Builder returnFinal(boolean v) {
            return set(RETURN_FINAL, v);
        }

        public Builder m(int v) {
            return set(M, v);
        }

        public Builder beta(double v) {
            return set(BETA, v);
        }

        public Builder lam(double v) {
            return set(LAM, v);
        }

        public Builder tau(double v) {
            return set(TAU, v);
        }

        public Builder lineSearch(boolean v) {
            return set(LINE_SEARCH, v);
        }

        public Builder blowupFactor(double v) {
            return set(BLOWUP_FACTOR, v);
        }

        public Builder requireConverged(boolean v) {
            return set(REQUIRE_CONVERGED, v);
        }
    }
}
