package org.deqnc.theory;

import java.util.function.DoubleUnaryOperator;

/**
 * Fang et al.'s minority-collapse threshold R*: the smallest imbalance ratio at which all minority classifiers are
 * equal ({@link PeeledGeometry#minoritySpread()} = 0, read as "below {@code tolerance}", since solvers stop at a
 * finite accuracy). Found by bisection on log R between a ratio where the classifiers still differ and one where
 * they coincide; the result is that bracket, so a reader sees how tightly R* is located.
 *
 * <pre>{@code
 * LayerPeeledSolver s = LayerPeeledSolver.builder().build();
 * CollapseThreshold.Bracket b = CollapseThreshold.bisect(
 *         r -> s.solve(problem.toBuilder().ratio(r).build()).geometry().minoritySpread(), 1, 1e4, 1e-4, 20);
 * }</pre>
 */
public final class CollapseThreshold {

    /**
     * R* lies in {@code (below, above]}: the classifiers differ at {@code below} (spread {@code spreadBelow}) and
     * coincide at {@code above}. {@code above} is NaN when they still differ at the top of the range; {@code below}
     * is NaN when they already coincide at its bottom.
     */
    public record Bracket(double below, double above, double spreadBelow, double spreadAbove, int solves) {

        /** Geometric midpoint of the bracket (NaN when open). */
        public double estimate() {
            return Math.sqrt(below * above);
        }

        /** {@code above / below}: the bracket's relative width. */
        public double ratioWidth() {
            return above / below;
        }
    }

    private CollapseThreshold() {
    }

    /**
     * Bisection of {@code spreadAtRatio} (minority spread as a function of R, assumed to reach 0 from some R on)
     * over {@code [low, high]} in log R for {@code iterations} halvings.
     */
    public static Bracket bisect(DoubleUnaryOperator spreadAtRatio, double low, double high, double tolerance,
                                 int iterations) {
        if (!(low >= 1 && high > low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("range: must satisfy 1 <= low < high < infinity, got [" + low + ", "
                    + high + "]");
        }
        Checks.requirePositive("tolerance", tolerance);
        Checks.requireAtLeast("iterations", iterations, 1);
        double spreadLow = spreadAtRatio.applyAsDouble(low);
        if (spreadLow <= tolerance) {
            return new Bracket(Double.NaN, low, Double.NaN, spreadLow, 1);
        }
        double spreadHigh = spreadAtRatio.applyAsDouble(high);
        if (spreadHigh > tolerance) {
            return new Bracket(high, Double.NaN, spreadHigh, Double.NaN, 2);
        }
        int solves = 2;
        for (int i = 0; i < iterations; i++) {
            double mid = Math.sqrt(low * high);
            double spread = spreadAtRatio.applyAsDouble(mid);
            solves++;
            if (spread > tolerance) {
                low = mid;
                spreadLow = spread;
            } else {
                high = mid;
                spreadHigh = spread;
            }
        }
        return new Bracket(low, high, spreadLow, spreadHigh, solves);
    }
}
