package org.deqnc.nc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.deqnc.engine.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both streaming accumulators reproduce the in-memory report, for both global-mean conventions. */
class StreamingTest {

    private static final int K = 5;
    private static final int D = 8;
    private static int[] y;
    private static double[][] h;
    private static double[][] w;
    private static double[] b;
    private static int[] predictions;
    private static List<int[]> batches;

    @BeforeAll
    static void data() {
        y = SyntheticData.labels(new int[] {120, 60, 30, 15, 9}, 11);
        double[][] centres = SyntheticData.gaussian(K, D, 3.0, 12);
        for (double[] c : centres) {
            c[0] += 50; // a large common offset: a one-pass update that cancelled catastrophically would show it
        }
        h = SyntheticData.clouds(centres, y, 1.0, 13);
        w = SyntheticData.gaussian(K, D, 1.0, 14);
        b = SyntheticData.gaussian(1, K, 1.0, 15)[0];
        predictions = Predictions.linear(Features.of(h), w, b);
        batches = new ArrayList<>();
        Random rnd = new Random(16);
        for (int start = 0; start < y.length; ) {
            int end = Math.min(y.length, start + 1 + rnd.nextInt(64));
            batches.add(new int[] {start, end});
            start = end;
        }
    }

    @ParameterizedTest
    @EnumSource(GlobalMean.class)
    void twoPassAndOnePassEqualInMemory(GlobalMean g) {
        NcConventions c = NcConventions.defaults().with(g);
        ClassSplit split = ClassSplit.firstMajority(2);
        NcReport memory = NcMetrics.of(Features.of(h), y, K).classifier(w, b).predictions(predictions)
                .split(split).conventions(c).withinScatter(WithinScatter.FULL).report();
        NcReport projected = NcMetrics.of(Features.of(h), y, K).classifier(w, b).predictions(predictions)
                .split(split).conventions(c).report();
        assertFalse(projected.statistics().hasWithinClassCovariance());

        NcStatistics twoPass;
        ClassifierDecisions twoPassDecisions;
        try (TwoPassAccumulator acc = new TwoPassAccumulator(K, D, WithinScatter.FULL)) {
            batches.forEach(r -> acc.addFirstPass(rows(r), slice(y, r)));
            ClassMeans means = acc.endFirstPass();
            try (DecisionAccumulator dec = new DecisionAccumulator(means, w, b)) {
                batches.forEach(r -> {
                    acc.addSecondPass(rows(r), slice(y, r));
                    dec.add(rows(r), slice(y, r), slice(predictions, r));
                });
                twoPass = acc.finish();
                twoPassDecisions = dec.finish();
            }
        }
        NcStatistics onePass;
        try (OnePassAccumulator acc = new OnePassAccumulator(K, D)) {
            batches.forEach(r -> acc.add(rows(r), slice(y, r)));
            onePass = acc.finish();
        }
        ClassifierDecisions onePassDecisions;
        try (DecisionAccumulator dec = new DecisionAccumulator(onePass.classMeans(), w, b)) {
            batches.forEach(r -> dec.add(rows(r), slice(y, r), slice(predictions, r)));
            onePassDecisions = dec.finish();
        }
        assertEquals("two-pass streaming", twoPass.source());
        assertTrue(onePass.source().startsWith("one-pass"), onePass.source());
        for (NcReport streamed : List.of(projected,
                NcMetrics.of(twoPass).classifier(w, b).decisions(twoPassDecisions).split(split).conventions(c).report(),
                NcMetrics.of(onePass).classifier(w, b).decisions(onePassDecisions).split(split).conventions(c).report())) {
            assertEquals(memory.entries().size(), streamed.entries().size());
            for (NcReport.Entry e : memory.entries()) {
                double v = streamed.value(e.metric());
                assertEquals(e.value(), v, 1e-10 * Math.max(1, Math.abs(e.value())),
                        e.metric() + " from " + streamed.statistics().source());
            }
            if (streamed != projected) {
                assertArrayEquals(Dense.flatten(memory.statistics().withinClassCovariance()),
                        Dense.flatten(streamed.statistics().withinClassCovariance()), 1e-10);
            }
            assertArrayEquals(memory.statistics().classVariances(), streamed.statistics().classVariances(), 1e-10);
        }
        // Sanity: this data is not collapsed, so the comparison above compared non-trivial numbers.
        assertTrue(memory.nc1() > 0.01 && memory.nc4() > 0, memory.toString());
    }

    @Test
    void ndArrayAndFloat32InputsMatchJavaArrays() {
        NcReport fromArrays = NcMetrics.of(Features.of(h), y, K).classifier(w, b).report();
        double[] flat = Dense.flatten(h);
        NcReport fromFlat = NcMetrics.of(Features.of(flat, h.length, D), y, K).classifier(w, b).report();
        try (NDManager m = Engines.newManager()) {
            NDArray x = m.create(flat, new ai.djl.ndarray.types.Shape(h.length, D));
            NDArray x32 = x.toType(DataType.FLOAT32, true);
            int before = m.getManagedArrays().size();
            NcReport fromNd = NcMetrics.of(Features.of(x), y, K).classifier(w, b).report();
            NcReport fromNd32 = NcMetrics.of(Features.of(x32), y, K).classifier(w, b).report();
            assertEquals(before, m.getManagedArrays().size(), "no array may be left in the caller's manager");
            for (NcReport.Entry e : fromArrays.entries()) {
                assertEquals(e.value(), fromFlat.value(e.metric()), 0.0, e.metric() + " flat");
                assertEquals(e.value(), fromNd.value(e.metric()), 0.0, e.metric() + " NDArray");
                // float32 storage rounds features by ~1e-7 relative (offset 50): values agree to ~1e-5.
                assertEquals(e.value(), fromNd32.value(e.metric()), 1e-4 * Math.max(1, Math.abs(e.value())),
                        e.metric() + " float32");
            }
        }
    }

    @Test
    void batchesLargerThanOneChunkAreSplitCorrectly() {
        int n = 2 * Features.CHUNK_ROWS + 123;
        int[] labels = SyntheticData.labels(new int[] {n / 2, n / 3, n - n / 2 - n / 3}, 21);
        double[][] big = SyntheticData.clouds(SyntheticData.gaussian(3, 4, 2.0, 22), labels, 1.0, 23);
        NcStatistics whole = NcStatistics.of(Features.of(big), labels, 3, WithinScatter.FULL);
        NcStatistics streamed;
        try (OnePassAccumulator acc = new OnePassAccumulator(3, 4)) {
            for (int from = 0; from < n; from += 700) {
                int to = Math.min(n, from + 700);
                acc.add(Features.of(Arrays.copyOfRange(big, from, to)), Arrays.copyOfRange(labels, from, to));
            }
            streamed = acc.finish();
        }
        assertArrayEquals(Dense.flatten(whole.withinClassCovariance()),
                Dense.flatten(streamed.withinClassCovariance()), 1e-10);
        assertArrayEquals(Dense.flatten(whole.classMeans().means()),
                Dense.flatten(streamed.classMeans().means()), 1e-10);
        big[n - 2][3] = Double.NaN; // in the third chunk: the message must give the row in the whole batch
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NcStatistics.of(Features.of(big), labels, 3));
        assertEquals("features: non-finite value NaN at row " + (n - 2) + ", column 3; NC metrics need finite features",
                e.getMessage());
    }

    @Test
    void callerManagerStaysCleanOverManyBatches() {
        try (NDManager m = Engines.newManager();
             TwoPassAccumulator two = new TwoPassAccumulator(K, D);
             OnePassAccumulator one = new OnePassAccumulator(K, D);
             DecisionAccumulator dec = new DecisionAccumulator(
                     NcStatistics.of(Features.of(h), y, K).classMeans(), w, b)) {
            NDArray x = m.create(Dense.flatten(h), new ai.djl.ndarray.types.Shape(h.length, D));
            int before = m.getManagedArrays().size();
            two.addFirstPass(Features.of(x), y);
            one.add(Features.of(x), y);
            dec.add(Features.of(x), y, predictions); // one and dec allocate their block buffer here, once
            int ownTwo = ownArrays(two);
            int ownOne = ownArrays(one);
            int ownDec = ownArrays(dec);
            for (int i = 0; i < 200; i++) {
                two.addFirstPass(Features.of(x), y);
                one.add(Features.of(x), y);
                dec.add(Features.of(x), y, predictions);
            }
            assertEquals(before, m.getManagedArrays().size());
            assertEquals(ownTwo, ownArrays(two), "two-pass accumulator arrays");
            assertEquals(ownOne, ownArrays(one), "one-pass accumulator arrays");
            assertEquals(ownDec, ownArrays(dec), "decision accumulator arrays");
        }
    }

    /** Arrays held by an accumulator's private manager (package access keeps test hooks out of the API). */
    private static int ownArrays(BatchAccumulator accumulator) {
        return accumulator.manager.getManagedArrays().size();
    }

    private static Features rows(int[] range) {
        return Features.of(Arrays.copyOfRange(h, range[0], range[1]));
    }

    private static int[] slice(int[] a, int[] range) {
        return Arrays.copyOfRange(a, range[0], range[1]);
    }
}
