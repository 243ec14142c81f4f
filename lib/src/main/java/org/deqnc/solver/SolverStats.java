package org.deqnc.solver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What one solve did, per sample and for the batch: residual traces, the lowest residuals and when
 * they were reached, work done (f evaluations, wall time), which solver(s) ran and why any fallback
 * happened, and warnings. Immutable; the trace arrays are copies.
 *
 * <p>Conventions (TorchDEQ's): abs residual ‖f(z) − z‖₂ and rel residual ‖f(z) − z‖₂ / (‖f(z)‖₂ +
 * 1e-9), per sample; "batch max" is the worst sample; {@code nstep[i]} is the 1-based iteration at
 * which sample i reached its lowest residual (of the stop mode).
 */
public final class SolverStats {

    private final List<String> solvers;
    private final List<String> fallbacks;
    private final List<String> warnings;
    private final StopMode stopMode;
    private final double tol;
    private final double[][] absTrace;
    private final double[][] relTrace;
    private final double[] lowestAbs;
    private final double[] lowestRel;
    private final int[] nstep;
    private final int fEvals;
    private final long wallNanos;
    private final boolean converged;
    private final double spectralRadius;

    SolverStats(List<String> solvers, List<String> fallbacks, List<String> warnings, StopMode stopMode, double tol,
            double[][] absTrace, double[][] relTrace, double[] lowestAbs, double[] lowestRel, int[] nstep, int fEvals,
            long wallNanos, boolean converged, double spectralRadius) {
        this.solvers = List.copyOf(solvers);
        this.fallbacks = List.copyOf(fallbacks);
        this.warnings = List.copyOf(warnings);
        this.stopMode = stopMode;
        this.tol = tol;
        this.absTrace = deepCopy(absTrace);
        this.relTrace = deepCopy(relTrace);
        this.lowestAbs = lowestAbs.clone();
        this.lowestRel = lowestRel.clone();
        this.nstep = nstep.clone();
        this.fEvals = fEvals;
        this.wallNanos = wallNanos;
        this.converged = converged;
        this.spectralRadius = spectralRadius;
    }

    /** Solvers that ran, in order; more than one when a fallback chain was used. */
    public List<String> solvers() {
        return solvers;
    }

    /** The solver whose result (or failure) this is: the last in {@link #solvers()}. */
    public String solver() {
        return solvers.get(solvers.size() - 1);
    }

    /** One line per fallback: why the previous solver failed and which one took over. */
    public List<String> fallbacks() {
        return fallbacks;
    }

    /** Warnings, e.g. a final relative residual above {@link SolverOptions#WARN_REL_RESIDUAL}. */
    public List<String> warnings() {
        return warnings;
    }

    public StopMode stopMode() {
        return stopMode;
    }

    public double tol() {
        return tol;
    }

    /** Number of residual evaluations (iterations) of the last solver. */
    public int iterations() {
        return absTrace.length;
    }

    public int batchSize() {
        return lowestAbs.length;
    }

    /** abs residual per iteration and sample: {@code [iteration][sample]}. */
    public double[][] absTrace() {
        return deepCopy(absTrace);
    }

    /** rel residual per iteration and sample: {@code [iteration][sample]}. */
    public double[][] relTrace() {
        return deepCopy(relTrace);
    }

    /** Worst-sample abs residual per iteration. */
    public double[] batchMaxAbsTrace() {
        return Arrays.stream(absTrace).mapToDouble(SolverStats::max).toArray();
    }

    /** Worst-sample rel residual per iteration. */
    public double[] batchMaxRelTrace() {
        return Arrays.stream(relTrace).mapToDouble(SolverStats::max).toArray();
    }

    public double[] lowestAbs() {
        return lowestAbs.clone();
    }

    public double[] lowestRel() {
        return lowestRel.clone();
    }

    /** Worst sample's lowest abs residual: what the returned (lowest) iterate achieves. */
    public double maxLowestAbs() {
        return max(lowestAbs);
    }

    /** Worst sample's lowest rel residual. */
    public double maxLowestRel() {
        return max(lowestRel);
    }

    /** 1-based iteration at which each sample reached its lowest residual. */
    public int[] nstep() {
        return nstep.clone();
    }

    /** Evaluations of f over all solvers that ran (line-search trials included). */
    public int fEvals() {
        return fEvals;
    }

    /** Wall time over all solvers that ran. */
    public double wallMillis() {
        return wallNanos / 1e6;
    }

    /** Whether the batch-max residual went below tol. */
    public boolean converged() {
        return converged;
    }

    /** Power-method spectral radius of the Jacobian at the fixed point, when it was requested. */
    public OptionalDouble spectralRadius() {
        return Double.isNaN(spectralRadius) ? OptionalDouble.empty() : OptionalDouble.of(spectralRadius);
    }

    /** A copy with the spectral radius set. */
    public SolverStats withSpectralRadius(double rho) {
        return new SolverStats(solvers, fallbacks, warnings, stopMode, tol, absTrace, relTrace, lowestAbs, lowestRel,
                nstep, fEvals, wallNanos, converged, rho);
    }

    /** A copy that records earlier failed attempts: their solvers, fallback reasons, f-evals and time. */
    SolverStats afterFallbacks(List<String> earlierSolvers, List<String> reasons, int earlierEvals, long earlierNanos) {
        List<String> all = new ArrayList<>(earlierSolvers);
        all.addAll(solvers);
        List<String> why = new ArrayList<>(reasons);
        why.addAll(fallbacks);
        return new SolverStats(all, why, warnings, stopMode, tol, absTrace, relTrace, lowestAbs, lowestRel, nstep,
                fEvals + earlierEvals, wallNanos + earlierNanos, converged, spectralRadius);
    }

    long wallNanos() {
        return wallNanos;
    }

    /** One line, e.g. "anderson: converged in 12 iterations (13 f-evals, 3.2 ms); lowest rel 8.1e-05, abs 2.3e-03". */
    @Override
    public String toString() {
        String sr = spectralRadius().isPresent() ? String.format(Locale.ROOT, ", spectral radius %.3f",
                spectralRadius) : "";
        return String.format(Locale.ROOT, "%s: %s in %d iterations (%d f-evals, %.1f ms); lowest rel %.1e, abs %.1e%s",
                String.join(" -> ", solvers), converged ? "converged" : "not converged", iterations(), fEvals,
                wallMillis(), maxLowestRel(), maxLowestAbs(), sr);
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Double.isNaN(x) ? x : Math.max(m, x);
            if (Double.isNaN(m)) {
                return m;
            }
        }
        return m;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
