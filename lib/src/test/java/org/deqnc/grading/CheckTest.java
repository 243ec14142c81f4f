package org.deqnc.grading;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CheckTest {

    private static String failure(Runnable check) {
        return assertThrows(AssertionError.class, check::run).getMessage();
    }

    @Test
    void closePassesWithinToleranceAndNamesExpectedAndGotOtherwise() {
        assertDoesNotThrow(() -> Check.close(1.0000004, 1.0, 1e-6, "x"));
        assertDoesNotThrow(() -> Check.close(0.25, 0.25, 0, "exact"));
        assertEquals("nc1: expected 0.0 ± 1.0E-9, got 0.25 (off by 0.25)", failure(() -> Check.close(0.25, 0.0, 1e-9, "nc1")));
    }

    @Test
    void nanNeverPassesAndInfinityOnlyAgainstItself() {
        assertEquals("r: expected 1.0 ± 0.5, got NaN", failure(() -> Check.close(Double.NaN, 1.0, 0.5, "r")));
        assertEquals("r: expected NaN ± 0.5, got NaN", failure(() -> Check.close(Double.NaN, Double.NaN, 0.5, "r")));
        assertEquals("r: expected 1.0 ± 0.5, got Infinity", failure(() -> Check.close(Double.POSITIVE_INFINITY, 1.0, 0.5, "r")));
        assertDoesNotThrow(() -> Check.close(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, "r"));
    }

    @Test
    void arraysNameTheFirstDifferingIndexAndTheCount() {
        assertDoesNotThrow(() -> Check.close(new double[] {1, 2}, new double[] {1, 2.0001}, 1e-3, "z"));
        assertEquals("z[1]: expected 2.0 ± 0.001, got 3.0 (first of 2 differing elements of 3)",
                failure(() -> Check.close(new double[] {1, 3, 4}, new double[] {1, 2, 3}, 1e-3, "z")));
        assertEquals("z: expected an array of length 2, got length 3", failure(() -> Check.close(new double[3], new double[2], 1, "z")));
        assertEquals("z: expected an array of length 2, got null", failure(() -> Check.close(null, new double[2], 1, "z")));
    }

    @Test
    void equalComparesNumbersObjectsAndArrayContents() {
        assertDoesNotThrow(() -> Check.equal(3, 3L, "n"));
        assertEquals("iterations: expected 12, got 13", failure(() -> Check.equal(13, 12, "iterations")));
        assertDoesNotThrow(() -> Check.equal(new int[] {1, 2}, new int[] {1, 2}, "labels"));
        assertEquals("labels: expected [1, 2], got [2, 1]", failure(() -> Check.equal(new int[] {2, 1}, new int[] {1, 2}, "labels")));
        assertEquals("name: expected \"anderson\", got null", failure(() -> Check.equal(null, "anderson", "name")));
    }

    @Test
    void isTrueStatesTheProperty() {
        assertDoesNotThrow(() -> Check.isTrue(true, "p"));
        assertEquals("Anderson beats Picard: expected true, got false", failure(() -> Check.isTrue(false, "Anderson beats Picard")));
    }

    @Test
    void aBadToleranceIsAnArgumentErrorNotAFailedCheck() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Check.close(1, 1, -1, "x"));
        assertEquals("tol: must be a finite number >= 0, got -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Check.close(1, 1, Double.NaN, "x"));
    }
}
