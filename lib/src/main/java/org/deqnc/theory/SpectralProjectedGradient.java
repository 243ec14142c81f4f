package org.deqnc.theory;

import java.util.Arrays;

import org.deqnc.engine.ComputationInterruptedException;

/**
 * Spectral projected gradient (SPG2 of Birgin, Martinez and Raydan, 2000) over a list of matrix blocks: non-monotone
 * Armijo line search along the projected direction, Barzilai-Borwein steps, exact projection supplied by the
 * objective. Non-convex objectives reach a stationary point; the projected-gradient norm
 * {@code ||P(x - grad) - x||} is the stationarity measure (zero exactly at a first-order stationary point).
 */
final class SpectralProjectedGradient {

    private static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;
    private static final double STEP_MIN = 1e-10;
    private static final double STEP_MAX = 1e10;

    /** A smooth objective over blocks of matrices and the exact Euclidean projection onto its feasible set. */
    interface Objective {
        /** Value at x; the gradient is written block by block into {@code gradient}. */
        double evaluate(double[][][] x, double[][][] gradient);

        double[][][] project(double[][][] x);
    }

    record Run(double[][][] point, double loss, double stationarity, int iterations) {
    }

    private SpectralProjectedGradient() {
    }

    /** Runs from the projection of {@code start} until the stationarity falls below tolerance or the cap. */
    static Run minimise(Objective objective, double[][][] start, double tolerance, int maxIterations) {
        double[][][] x = objective.project(start);
        double[][][] g = zerosLike(x);
        double f = objective.evaluate(x, g);
        double[] recent = new double[MEMORY];
        Arrays.fill(recent, f);
        double step = 1 / Math.max(maxAbs(difference(objective.project(move(x, -1, g)), x)), STEP_MIN);
        step = Math.min(STEP_MAX, Math.max(STEP_MIN, step));
        int iteration = 0;
        double stationarity = stationarity(objective, x, g);
        while (iteration < maxIterations && stationarity > tolerance) {
            ComputationInterruptedException.check("projected-gradient solver: iteration " + iteration);
            iteration++;
            double[][][] direction = difference(objective.project(move(x, -step, g)), x);
            double slope = inner(g, direction);
            double reference = Arrays.stream(recent).max().orElse(f);
            double alpha = 1;
            double[][][] trial = move(x, alpha, direction);
            double[][][] trialGradient = zerosLike(x);
            double trialLoss = objective.evaluate(trial, trialGradient);
            while (!(trialLoss <= reference + ARMIJO * alpha * slope) && alpha > 1e-12) {
                // Safeguarded quadratic interpolation of the step along the projected direction.
                double quadratic = -0.5 * alpha * alpha * slope / (trialLoss - f - alpha * slope);
                alpha = quadratic >= 0.1 * alpha && quadratic <= 0.9 * alpha ? quadratic : alpha / 2;
                trial = move(x, alpha, direction);
                trialLoss = objective.evaluate(trial, trialGradient);
            }
            if (!(trialLoss <= reference + ARMIJO * alpha * slope)) {
                break; // no acceptable step left: stationary to machine precision
            }
            double[][][] s = difference(trial, x);
            double[][][] y = difference(trialGradient, g);
            double sy = inner(s, y);
            step = sy > 0 ? Math.min(STEP_MAX, Math.max(STEP_MIN, inner(s, s) / sy)) : STEP_MAX;
            x = trial;
            g = trialGradient;
            f = trialLoss;
            recent[iteration % MEMORY] = f;
            stationarity = stationarity(objective, x, g);
        }
        return new Run(x, f, stationarity, iteration);
    }

    /** {@code ||P(x - g) - x||}. */
    static double stationarity(Objective objective, double[][][] x, double[][][] g) {
        double[][][] d = difference(objective.project(move(x, -1, g)), x);
        return Math.sqrt(inner(d, d));
    }

    static double inner(double[][][] a, double[][][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Dense.inner(a[i], b[i]);
        }
        return s;
    }

    static double[][][] move(double[][][] x, double alpha, double[][][] d) {
        double[][][] y = new double[x.length][][];
        for (int i = 0; i < x.length; i++) {
            y[i] = Dense.axpy(x[i], alpha, d[i]);
        }
        return y;
    }

    static double[][][] difference(double[][][] a, double[][][] b) {
        double[][][] y = new double[a.length][][];
        for (int i = 0; i < a.length; i++) {
            y[i] = Dense.axpy(a[i], -1, b[i]);
        }
        return y;
    }

    static double[][][] zerosLike(double[][][] x) {
        double[][][] z = new double[x.length][][];
        for (int i = 0; i < x.length; i++) {
            z[i] = Dense.zeros(x[i].length, x[i][0].length);
        }
        return z;
    }

    private static double maxAbs(double[][][] a) {
        double m = 0;
        for (double[][] block : a) {
            for (double[] row : block) {
                for (double v : row) {
                    m = Math.max(m, Math.abs(v));
                }
            }
        }
        return m;
    }
}
