package org.deqnc.theory;

import org.deqnc.engine.ComputationInterruptedException;

/**
 * Accelerated projected gradient (FISTA with gradient-based adaptive restart, O'Donoghue and Candes 2015) for
 * the convex program {@code min L(Z) s.t. ||Z||_* <= radius}, L the weighted cross-entropy on a K x K logit
 * matrix. Steps start at the exact inverse Lipschitz constant {@code 2 / max_k c_k}, grow while a sufficient-decrease
 * test accepts them and never fall below it; each projection is an SVD.
 *
 * <p>Convergence is certified by the Frank-Wolfe duality gap
 * {@code gap(Z) = <G, Z> + radius * sigma_max(G)} (G the gradient at the feasible Z), which by convexity bounds
 * {@code L(Z) - L*} from above. Iteration stops when the gap drops below {@code relativeGap * L(Z)}.
 */
final class NuclearBallProgram {

    /** How often (in iterations) the gap, which costs an extra gradient and SVD, is evaluated. */
    private static final int GAP_EVERY = 10;
    /** Per-iteration trial growth of the step, and its cap as a multiple of the safe step 1/L. */
    private static final double STEP_GROWTH = 1.25;
    private static final double MAX_STEP_FACTOR = 1e4;

    record Result(double[][] logits, double loss, double gap, int iterations) {
    }

    private NuclearBallProgram() {
    }

    static Result minimise(double[] weights, double radius, double[][] start, double relativeGap, int maxIterations) {
        double maxWeight = 0;
        for (double c : weights) {
            maxWeight = Math.max(maxWeight, c);
        }
        // 1/L with the global Lipschitz constant L = max_k c_k / 2: always accepted by the line search below.
        double safeStep = 2.0 / maxWeight;
        double step = safeStep;
        int k = weights.length;
        double[][] gradient = new double[k][k];
        double[][] x = Dense.projectNuclearBall(start, radius);
        double[][] y = x;
        double t = 1;
        double loss = Double.NaN;
        double gap = Double.POSITIVE_INFINITY;
        int iteration = 0;
        while (iteration < maxIterations) {
            ComputationInterruptedException.check("nuclear-ball program: iteration " + iteration);
            iteration++;
            double lossAtY = WeightedCrossEntropy.evaluate(y, weights, gradient);
            double previousStep = step;
            // Near the optimum the softmax saturates and the local curvature is far below L: try a longer step
            // first and backtrack on the sufficient-decrease test (Scheinberg, Goldfarb and Bai 2014).
            step = Math.min(step * STEP_GROWTH, MAX_STEP_FACTOR * safeStep);
            double[][] next;
            while (true) {
                next = Dense.projectNuclearBall(Dense.axpy(y, -step, gradient), radius);
                double[][] move = Dense.axpy(next, -1, y);
                double model = lossAtY + Dense.inner(gradient, move) + Dense.inner(move, move) / (2 * step);
                if (step <= safeStep || WeightedCrossEntropy.evaluate(next, weights, null) <= model) {
                    break;
                }
                step = Math.max(step / 2, safeStep);
            }
            double[][] move = Dense.axpy(next, -1, x);
            if (Dense.inner(Dense.axpy(y, -1, next), move) > 0) {
                // Momentum points uphill: restart the acceleration (O'Donoghue and Candes).
                t = 1;
                y = next;
            } else {
                double tNext = (1 + Math.sqrt(1 + 4 * (previousStep / step) * t * t)) / 2;
                y = Dense.axpy(next, (t - 1) / tNext, move);
                t = tNext;
            }
            x = next;
            if (iteration % GAP_EVERY == 0 || iteration == maxIterations) {
                loss = WeightedCrossEntropy.evaluate(x, weights, gradient);
                gap = frankWolfeGap(x, gradient, radius);
                if (gap <= relativeGap * loss) {
                    break;
                }
            }
        }
        return new Result(x, loss, gap, iteration);
    }

    /** max over the ball of {@code <G, Z - S>}: the linear minimiser is rank one along G's top singular pair. */
    static double frankWolfeGap(double[][] logits, double[][] gradient, double radius) {
        return Dense.inner(gradient, logits) + radius * Dense.spectralNorm(gradient);
    }
}
