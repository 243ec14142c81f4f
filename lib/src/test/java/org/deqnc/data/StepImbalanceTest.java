package org.deqnc.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StepImbalanceTest {

    /** K classes of {@code perClass} samples each, labels interleaved (i mod K); sample i has the value i. */
    static LabeledData interleaved(int numClasses, int perClass) {
        int n = numClasses * perClass;
        float[] x = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i % numClasses;
        }
        List<String> names = IntStream.range(0, numClasses).mapToObj(k -> "c" + k).toList();
        return new LabeledData(x, new int[] {1}, y, names, "interleaved");
    }

    // Expected counts by hand: n_B = floor(n_A / R); first K_A classes n_A, the rest n_B.
    @ParameterizedTest(name = "K_A={0} R={1}")
    @CsvSource({
            "3, 10,    '600,600,600,60,60,60,60,60,60,60'",          // Fang's CIFAR grid point, 6000 // 10 scaled by 1/10
            "5, 50,    '600,600,600,600,600,12,12,12,12,12'",        // 600 // 50 = 12
            "7, 100,   '600,600,600,600,600,600,600,6,6,6'",         // 600 // 100 = 6
            "1, 1,     '600,600,600,600,600,600,600,600,600,600'",   // R = 1: balanced
            "9, 7,     '600,600,600,600,600,600,600,600,600,85'",    // 600 / 7 = 85.71
            "4, 31.6227766, '600,600,600,600,18,18,18,18,18,18'",    // log grid 10^1.5: 600 / 31.62 = 18.97
            "2, 600,   '600,600,1,1,1,1,1,1,1,1'"                    // n_B = 1, the smallest allowed
    })
    void keepsExactlyNaForMajorityAndFloorNaOverRForMinority(int kA, double r, String expected) {
        LabeledData data = interleaved(10, 700);
        int[] want = Arrays.stream(expected.split(",")).mapToInt(Integer::parseInt).toArray();
        StepImbalance imbalance = StepImbalance.of(kA, r);
        assertArrayEquals(want, imbalance.counts(10, 600));
        LabeledData kept = imbalance.apply(data, 600, 666L);
        assertArrayEquals(want, kept.classCounts());
        assertEquals(Arrays.stream(want).sum(), kept.size());
    }

    @Test
    void integralRUsesExactIntegerDivision() {
        // 6000 // 3 = 2000 exactly, 5000 // 7 = 714, 4999 // 1 = 4999
        assertEquals(2000, StepImbalance.of(1, 3).minorityCount(6000));
        assertEquals(714, StepImbalance.of(1, 7).minorityCount(5000));
        assertEquals(4999, StepImbalance.of(1, 1).minorityCount(4999));
        assertEquals(500, StepImbalance.of(1, 10.0).minorityCount(5000));
        // 5000 / 9.99 = 500.5 -> 500; 5000 / 10.01 = 499.5 -> 499
        assertEquals(500, StepImbalance.of(1, 9.99).minorityCount(5000));
        assertEquals(499, StepImbalance.of(1, 10.01).minorityCount(5000));
    }

    @Test
    void keptSamplesAreTheFirstMetInTheSeededShuffleAndOriginalOrderIsKept() {
        LabeledData data = interleaved(4, 50);
        int[] counts = {50, 5, 5, 5};
        LabeledData kept = StepImbalance.of(1, 10).apply(data, 50, 42L);
        // independent reconstruction: walk the permutation and take the first counts[k] of every class
        int[] remaining = counts.clone();
        List<Integer> expected = new ArrayList<>();
        for (int i : SeededShuffle.permutation(data.size(), 42L)) {
            if (remaining[i % 4]-- > 0) {
                expected.add(i);
            }
        }
        float[] expectedValues = new float[expected.size()];
        int j = 0;
        for (int i : expected.stream().sorted().toList()) {
            expectedValues[j++] = i;
        }
        float[] values = new float[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            values[i] = kept.sample(i)[0];
        }
        assertArrayEquals(expectedValues, values);
    }

    @Test
    void sameSeedSameSelectionOtherSeedOtherSelection() {
        LabeledData data = interleaved(10, 100);
        StepImbalance imbalance = StepImbalance.of(3, 10);
        LabeledData a = imbalance.apply(data, 100, 1L);
        LabeledData b = imbalance.apply(data, 100, 1L);
        LabeledData c = imbalance.apply(data, 100, 2L);
        assertArrayEquals(valuesOf(a), valuesOf(b));
        assertFalse(Arrays.equals(valuesOf(a), valuesOf(c)));
    }

    private static float[] valuesOf(LabeledData d) {
        float[] v = new float[d.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = d.sample(i)[0];
        }
        return v;
    }

    @Test
    void permutationIsAPermutationAndDependsOnTheSeed() {
        int[] p = SeededShuffle.permutation(1000, 5L);
        Set<Integer> seen = new HashSet<>();
        for (int i : p) {
            seen.add(i);
        }
        assertEquals(1000, seen.size());
        assertArrayEquals(p, SeededShuffle.permutation(1000, 5L));
        assertFalse(Arrays.equals(p, SeededShuffle.permutation(1000, 6L)));
        assertNotEquals(SeededShuffle.streamSeed(1, 0), SeededShuffle.streamSeed(1, 1));
    }

    @Test
    void invalidArgumentsGiveOneLineErrors() {
        LabeledData data = interleaved(10, 100);
        assertError("K_A: must be >= 1, got 0", () -> StepImbalance.of(0, 10));
        assertError("K_A: must satisfy 1 <= K_A < K = 10, got 10", () -> StepImbalance.of(10, 10).apply(data, 100, 0));
        assertError("R: must be a finite number >= 1, got 0.5", () -> StepImbalance.of(3, 0.5));
        assertError("R: must be a finite number >= 1, got NaN", () -> StepImbalance.of(3, Double.NaN));
        assertError("R: must be a finite number >= 1, got Infinity", () -> StepImbalance.of(3, Double.POSITIVE_INFINITY));
        assertError("R: n_B = floor(n_A / R) = floor(100 / 101.0) = 0, need n_B >= 1, i.e. R <= n_A = 100",
                () -> StepImbalance.of(3, 101).apply(data, 100, 0));
        assertError("n_A: must be <= 100 (the smallest class of the data), got 101", () -> StepImbalance.of(3, 10).apply(data, 101, 0));
        assertError("n_A: must be >= 1, got 0", () -> StepImbalance.of(3, 10).minorityCount(0));
    }

    static void assertError(String message, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void classGroupsAndCountTableFollowKa() {
        LabeledData kept = StepImbalance.of(3, 10).apply(interleaved(10, 100), 100, 0L);
        var table = kept.classCountTable(3);
        assertEquals(10, table.rowCount());
        assertEquals(List.of("label", "class", "count", "group"), table.columnNames());
        assertEquals("c2", table.stringColumn("class").get(2));
        assertEquals(100, table.intColumn("count").get(2));
        assertEquals("majority", table.stringColumn("group").get(2));
        assertEquals(10, table.intColumn("count").get(3));
        assertEquals("minority", table.stringColumn("group").get(3));
        assertEquals(ClassGroup.MINORITY, StepImbalance.of(3, 10).group(9));
        assertError("kA: must satisfy 0 <= K_A <= K = 10, got 11", () -> kept.classCountTable(11));
    }

    @Test
    void nASmallestClassKeepsTheSmallestClassCount() {
        // classes of 9, 6 and 12 samples: n_A defaults to 6, so n_B = 6 // 2 = 3
        int[] y = new int[27];
        int[] perClass = {9, 6, 12};
        for (int i = 0, k = 0; k < 3; k++) {
            for (int j = 0; j < perClass[k]; j++) {
                y[i++] = k;
            }
        }
        LabeledData data = new LabeledData(new float[27], new int[] {1}, y, List.of("a", "b", "c"), "uneven");
        assertEquals(6, StepImbalance.majorityCount(data, StepImbalance.SMALLEST_CLASS));
        assertEquals(4, StepImbalance.majorityCount(data, 4));
        assertArrayEquals(new int[] {6, 3, 3}, StepImbalance.of(1, 2).apply(data, StepImbalance.SMALLEST_CLASS, 0).classCounts());
    }
}
