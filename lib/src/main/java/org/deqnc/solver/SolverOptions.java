package org.deqnc.solver;

import java.util.Locale;

/**
 * Options shared by all solvers (tolerance, iteration cap, stop mode) and the knobs of the built-in
 * ones (Anderson m, β, λ; Picard τ; Broyden line search). Immutable; build with {@link #builder()}.
 * Defaults follow TorchDEQ where it has one, except the relative stop mode and tol 1e-4.
 */
public final class SolverOptions {

    /** Above this final relative residual a solve is flagged as untrustworthy (rule of thumb of locuslab/deq#20). */
    public static final double WARN_REL_RESIDUAL = 0.05;

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

    private SolverOptions(Builder b) {
        tol = b.tol;
        maxIter = b.maxIter;
        stopMode = b.stopMode;
        returnFinal = b.returnFinal;
        m = b.m;
        beta = b.beta;
        lam = b.lam;
        tau = b.tau;
        lineSearch = b.lineSearch;
        blowupFactor = b.blowupFactor;
        requireConverged = b.requireConverged;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: tol 1e-4, max_iter 30, rel, m 5, β 1, λ 1e-4, τ 1, line search on, blow-up 1000. */
    public static SolverOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.tol = tol;
        b.maxIter = maxIter;
        b.stopMode = stopMode;
        b.returnFinal = returnFinal;
        b.m = m;
        b.beta = beta;
        b.lam = lam;
        b.tau = tau;
        b.lineSearch = lineSearch;
        b.blowupFactor = blowupFactor;
        b.requireConverged = requireConverged;
        return b;
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

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "tol=%s max_iter=%d stop_mode=%s return_final=%b m=%d beta=%s lam=%s tau=%s line_search=%b "
                        + "blowup=%s require_converged=%b",
                tol, maxIter, stopMode.name().toLowerCase(Locale.ROOT), returnFinal, m, beta, lam, tau, lineSearch,
                blowupFactor, requireConverged);
    }

    /** Fluent builder; each setter validates its argument with a one-line message. */
    public static final class Builder {
        private double tol = 1e-4;
        private int maxIter = 30;
        private StopMode stopMode = StopMode.REL;
        private boolean returnFinal;
        private int m = 5;
        private double beta = 1.0;
        private double lam = 1e-4;
        private double tau = 1.0;
        private boolean lineSearch = true;
        private double blowupFactor = 1e3;
        private boolean requireConverged;

        private Builder() {
        }

        public Builder tol(double v) {
            require(v > 0 && Double.isFinite(v), "tol: must be a finite number > 0, got " + v);
            tol = v;
            return this;
        }

        public Builder maxIter(int v) {
            require(v >= 1, "max_iter: must be >= 1, got " + v);
            maxIter = v;
            return this;
        }

        public Builder stopMode(StopMode v) {
            stopMode = java.util.Objects.requireNonNull(v, "stop_mode");
            return this;
        }

        public Builder returnFinal(boolean v) {
            returnFinal = v;
            return this;
        }

        public Builder m(int v) {
            require(v >= 1 && v <= 64, "m: must be an integer in [1, 64], got " + v);
            m = v;
            return this;
        }

        public Builder beta(double v) {
            require(v > 0 && v <= 1, "beta: must be in (0, 1], got " + v);
            beta = v;
            return this;
        }

        public Builder lam(double v) {
            require(v >= 0 && Double.isFinite(v), "lam: must be a finite number >= 0, got " + v);
            lam = v;
            return this;
        }

        public Builder tau(double v) {
            require(v > 0 && v <= 1, "tau: must be in (0, 1], got " + v);
            tau = v;
            return this;
        }

        public Builder lineSearch(boolean v) {
            lineSearch = v;
            return this;
        }

        public Builder blowupFactor(double v) {
            require(v > 1, "blowup_factor: must be > 1, got " + v);
            blowupFactor = v;
            return this;
        }

        public Builder requireConverged(boolean v) {
            requireConverged = v;
            return this;
        }

        public SolverOptions build() {
            return new SolverOptions(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
