package org.deqnc.theory;

/**
 * Accelerated projected gradient (FISTA with gradient-based adaptive restart, O'Donoghue and Candes 2015) for
 * the convex program {@code min L(Z) s.t. ||Z||_* <= radius}, L the weighted cross-entropy on a K x K logit
 * matrix. The step is the exact inverse Lipschitz constant {@code 2 / max_k c_k}; each projection is an SVD.
 *
 * <p>Convergence is certified by the Frank-Wolfe duality gap
 * {@code gap(Z) = <G, Z> + radius * sigma_max(G)} (G the gradient at the feasible Z), which by convexity bounds
 * {@code L(Z) - L*} from above. Iteration stops when the gap drops below {@code relativeGap * L(Z)}.
 */
final class NuclearBallProgram {

    /** How often (in iterations) the gap, which costs an extra gradient and SVD, is evaluated. */
    private static final int GAP_EVERY = 10;

    record Result(double[][] logits, double loss, double gap, int iterations) {
    }

    private NuclearBallProgram() {
    }

    static Result minimise(double[] weights, double radius, double[][] start, double relativeGap, int maxIterations) {
        double maxWeight = 0;
        for (double c : weights) {
            maxWeight = Math.max(maxWeight, c);
        }
        double step = 2.0 / maxWeight;
        int k = weights.length;
        double[][] gradient = new double[k][k];
        double[][] x = Dense.projectNuclearBall(start, radius);
        double[][] y = x;
        double t = 1;
        double loss = Double.NaN;
        double gap = Double.POSITIVE_INFINITY;
        int iteration = 0;
        while (iteration < maxIterations) {
            iteration++;
            WeightedCrossEntropy.evaluate(y, weights, gradient);
            double[][] next = Dense.projectNuclearBall(Dense.axpy(y, -step, gradient), radius);
            double[][] move = Dense.axpy(next, -1, x);
            if (Dense.inner(Dense.axpy(y, -1, next), move) > 0) {
                // Momentum points uphill: restart the acceleration (keeps FISTA monotone in practice).
                t = 1;
                y = next;
            } else {
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
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
