package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;

/**
 * The bookkeeping every solver shares: residual traces, per-sample lowest residual and iterate,
 * interrupt checks, divergence detection and the stopping rule. Solvers call {@link #record} once per
 * iteration with the iterate and its residuals.
 */
final class Tracker {

    private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);

    private final String solver;
    private final SolverOptions options;
    private final NDManager work;
    private final long startNanos = System.nanoTime();
    private final List<double[]> absTrace = new ArrayList<>();
    private final List<double[]> relTrace = new ArrayList<>();
    private final double[] lowestAbs;
    private final double[] lowestRel;
    private final double[] lowestStop;
    private final int[] nstep;
    private final List<String> warnings = new ArrayList<>();
    /** Arrays the solver no longer needs or the tracker made itself: closed once neither best nor last. */
    private final Set<NDArray> disposable = Collections.newSetFromMap(new IdentityHashMap<>());
    private NDArray best;
    private NDArray last;
    private int fEvals;
    private boolean converged;
    private double firstMaxAbs = Double.NaN;

    Tracker(String solver, SolverOptions options, int batch, NDManager work) {
        this.solver = solver;
        this.options = options;
        this.work = work;
        lowestAbs = filled(batch);
        lowestRel = filled(batch);
        lowestStop = filled(batch);
        nstep = new int[batch];
    }

    void countEvals(int n) {
        fEvals += n;
    }

    /** True once converged or max_iter iterations are recorded. */
    boolean done() {
        return converged || absTrace.size() >= options.maxIter();
    }

    int iterations() {
        return absTrace.size();
    }

    /**
     * Records iterate {@code x} (flat, batch first) with its residuals. {@code x} is kept by reference
     * (as the best or last iterate) and attached to the solve's manager, so the solver must not modify
     * it, and hands it back with {@link #release} once it no longer needs it.
     *
     * @return true when the stopping rule is met
     */
    boolean record(NDArray x, Residuals r) {
        boolean[] improved = record(r);
        keep(x, improved);
        return converged;
    }

    /**
     * As {@link #record(NDArray, Residuals)}, for a solver that keeps its iterates itself: returns for every
     * sample whether this iterate is its lowest-residual one so far (the solver keeps those rows as the best),
     * and the solver hands the result over with {@link #keepResult} at the end.
     */
    boolean[] record(Residuals r) {
        absTrace.add(r.abs);
        relTrace.add(r.rel);
        int k = absTrace.size();
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new SolverInterruptedException(String.format(Locale.ROOT, "%s: interrupted after %d iterations "
                    + "(max_iter=%d)", solver, k, options.maxIter()), stats());
        }
        int nonFinite = 0;
        double maxAbs = 0;
        for (double a : r.abs) {
            if (!Double.isFinite(a)) {
                nonFinite++;
            } else {
                maxAbs = Math.max(maxAbs, a);
            }
        }
        if (nonFinite > 0) {
            throw new SolverDivergedException(String.format(Locale.ROOT, "%s: diverged at iteration %d: residual is "
                    + "NaN or Inf for %d of %d samples", solver, k, nonFinite, r.abs.length), stats());
        }
        if (k == 1) {
            firstMaxAbs = maxAbs;
        } else if (firstMaxAbs > 0 && maxAbs > options.blowupFactor() * firstMaxAbs) {
            throw new SolverDivergedException(String.format(Locale.ROOT, "%s: diverged at iteration %d: abs residual "
                    + "%.3e > %s x the initial %.3e", solver, k, maxAbs, plain(options.blowupFactor()), firstMaxAbs),
                    stats());
        }
        boolean[] improved = lower(r, k);
        double[] stop = r.of(options.stopMode());
        converged = Arrays.stream(stop).max().orElse(0) < options.tol();
        if (!converged && k >= options.maxIter() && options.requireConverged()) {
            throw new SolverDivergedException(String.format(Locale.ROOT, "%s: no convergence in %d iterations: "
                    + "lowest %s residual %.3e > tol %.3e", solver, k, mode(), max(lowestStop), options.tol()),
                    stats());
        }
        return improved;
    }

    /** The result of a solver that keeps its iterates itself (see {@link #record(Residuals)}): best and last. */
    void keepResult(NDArray z) {
        z.attach(work);
        best = z;
        last = z;
    }

    /** The solver is done with iterate {@code x}: close it now, or once it is neither best nor last. */
    void release(NDArray x) {
        if (x == best || x == last) {
            disposable.add(x);
        } else {
            x.close();
        }
    }

    /** The per-sample lowest-residual iterate, or the last one when the options ask for it. */
    NDArray result() {
        return options.returnFinal() ? last : best;
    }

    SolverStats stats() {
        long nanos = System.nanoTime() - startNanos;
        return new SolverStats(List.of(solver), List.of(), warnings, options.stopMode(), options.tol(),
                absTrace.toArray(new double[0][]), relTrace.toArray(new double[0][]), lowestAbs, lowestRel, nstep,
                fEvals, nanos, converged, Double.NaN);
    }

    /** Final stats; warns (log and stats) when the worst lowest rel residual is above 0.05. */
    SolverStats finish() {
        double worstRel = max(lowestRel);
        if (worstRel > SolverOptions.WARN_REL_RESIDUAL) {
            String w = String.format(Locale.ROOT, "%s: lowest rel residual %.3e > %s after %d iterations; the fixed "
                    + "point is unreliable (raise max_iter, try another solver, or regularise f)", solver, worstRel,
                    plain(SolverOptions.WARN_REL_RESIDUAL), absTrace.size());
            warnings.add(w);
            LOG.warn(w);
        }
        return stats();
    }

    /** Updates the per-sample lowest residuals with iterate k's; true for the samples where it is lower. */
    private boolean[] lower(Residuals r, int k) {
        double[] stop = r.of(options.stopMode());
        boolean[] improved = new boolean[stop.length];
        for (int i = 0; i < stop.length; i++) {
            if (stop[i] < lowestStop[i]) {
                improved[i] = true;
                lowestStop[i] = stop[i];
                lowestAbs[i] = r.abs[i];
                lowestRel[i] = r.rel[i];
                nstep[i] = k;
            }
        }
        return improved;
    }

    /** Keeps x as the last iterate and, per sample where {@code improved}, as the best. */
    private void keep(NDArray x, boolean[] improved) {
        int b = improved.length;
        int nImproved = 0;
        for (boolean i : improved) {
            nImproved += i ? 1 : 0;
        }
        NDArray oldLast = last;
        NDArray oldBest = best;
        x.attach(work);
        last = x;
        if (nImproved == b) {
            best = x;
        } else if (nImproved > 0) {
            try (NDArray mask = work.create(improved, new Shape(b, 1)); NDArray full = mask.broadcast(x.getShape())) {
                best = NDArrays.where(full, x, oldBest);
                best.attach(work);
                disposable.add(best);
            }
        }
        for (NDArray old : new NDArray[] {oldLast, oldBest}) {
            if (old != null && old != last && old != best && disposable.remove(old)) {
                old.close();
            }
        }
    }

    private String mode() {
        return options.stopMode().name().toLowerCase(Locale.ROOT);
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.POSITIVE_INFINITY);
        return a;
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
