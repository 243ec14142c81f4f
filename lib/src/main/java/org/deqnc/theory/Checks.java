package org.deqnc.theory;

/** One-line argument checks shared by the theory builders; each message names the argument and the accepted values. */
final class Checks {

    private Checks() {
    }

    static double requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": must be a finite number > 0, got " + value);
        }
        return value;
    }

    static int requireAtLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + ": must be >= " + minimum + ", got " + value);
        }
        return value;
    }
}
