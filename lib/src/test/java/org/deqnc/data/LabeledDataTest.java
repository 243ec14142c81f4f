package org.deqnc.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import org.deqnc.engine.Engines;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.deqnc.data.StepImbalanceTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabeledDataTest {

    private static final List<String> TWO = List.of("a", "b");

    /** n samples of shape [2, 1, 2]; sample i is (i, i, 10 + i, 10 + i), label i mod 2. */
    private static LabeledData twoChannel(int n) {
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[4 * i] = i;
            x[4 * i + 1] = i;
            x[4 * i + 2] = 10 + i;
            x[4 * i + 3] = 10 + i;
            y[i] = i % 2;
        }
        return new LabeledData(x, new int[] {2, 1, 2}, y, TWO, "test");
    }

    @Test
    void constructorRejectsBadInputWithOneLineMessages() {
        assertError("features: expected 2 samples x 3 values = 6, got 5",
                () -> new LabeledData(new float[5], new int[] {3}, new int[2], TWO, "t"));
        assertError("labels: label of sample 1 must be in 0..1, got 2",
                () -> new LabeledData(new float[2], new int[] {1}, new int[] {0, 2}, TWO, "t"));
        assertError("features: non-finite value NaN in sample 1",
                () -> new LabeledData(new float[] {0, 0, Float.NaN, 0}, new int[] {2}, new int[2], TWO, "t"));
        assertError("features: non-finite value Infinity in sample 0",
                () -> new LabeledData(new float[] {Float.POSITIVE_INFINITY}, new int[] {1}, new int[1], TWO, "t"));
        assertError("sampleShape: every dimension must be >= 1, got [0]",
                () -> new LabeledData(new float[0], new int[] {0}, new int[1], TWO, "t"));
        assertError("classNames: need at least 2 classes, got 1",
                () -> new LabeledData(new float[1], new int[] {1}, new int[1], List.of("only"), "t"));
    }

    @Test
    void subsetsKeepOrderAndBalancedSubsetHasEqualCounts() {
        LabeledData d = twoChannel(10);
        LabeledData s = d.subset(new int[] {7, 2, 7});
        assertArrayEquals(new int[] {1, 0, 1}, s.labels());
        assertArrayEquals(new float[] {2, 2, 12, 12}, s.sample(1));
        assertArrayEquals(new int[] {3, 3}, d.balancedSubset(3, 9L).classCounts());
        assertError("indices: index 10 out of range 0..9", () -> d.subset(new int[] {10}));
        assertError("counts: class 1 (b) has 5 samples, cannot keep 6", () -> d.perClassSubset(new int[] {1, 6}, 0));
        assertError("counts: need one count per class (2), got 3", () -> d.perClassSubset(new int[] {1, 1, 1}, 0));
    }

    @Test
    void normalizationFitsPerChannelMeanAndPopulationStd() {
        LabeledData d = twoChannel(4);
        Normalization n = Normalization.fit(d);
        // channel 0 holds 0,0,1,1,2,2,3,3: mean 1.5, variance (2.25+0.25+0.25+2.25)/4 = 1.25
        // channel 1 is channel 0 shifted by 10: same std
        assertArrayEquals(new double[] {1.5, 11.5}, n.mean(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(1.25), Math.sqrt(1.25)}, n.std(), 1e-12);
        LabeledData z = d.normalized(n);
        float third = (float) (1.5 / Math.sqrt(1.25));
        assertArrayEquals(new float[] {third, third, third, third}, z.sample(3), 1e-6f);
        Normalization refit = Normalization.fit(z);
        assertArrayEquals(new double[] {0, 0}, refit.mean(), 1e-6);
        assertArrayEquals(new double[] {1, 1}, refit.std(), 1e-6);
    }

    @Test
    void givenNormalizationIsValidated() {
        assertError("std: channel 1 must be finite and > 0, got 0.0", () -> Normalization.of(new double[] {0, 0}, new double[] {1, 0}));
        assertError("mean: channel 0 must be finite, got NaN", () -> Normalization.of(new double[] {Double.NaN}, new double[] {1}));
        assertError("mean/std: need the same number (>= 1) of channels, got 2 and 1", () -> Normalization.of(new double[2], new double[] {1}));
        assertError("data: has 2 channel(s) (sample shape [2, 1, 2]), normalisation has 3",
                () -> twoChannel(2).normalized(Normalization.cifar10Fang()));
        assertError("data: channel 0 is constant (std = 0), cannot standardise",
                () -> Normalization.fit(new LabeledData(new float[3], new int[] {1}, new int[3], TWO, "t")));
    }

    @Test
    void ndListHasBatchShapeFloatFeaturesAndIntLabelsUsableByDjlLoss() {
        LabeledData d = twoChannel(6);
        try (NDManager m = Engines.newManager()) {
            NDList xy = d.toNDList(m);
            assertEquals(new Shape(6, 2, 1, 2), xy.get(0).getShape());
            assertEquals(DataType.FLOAT32, xy.get(0).getDataType());
            assertEquals(DataType.INT32, xy.get(1).getDataType());
            assertArrayEquals(d.labels(), xy.get(1).toIntArray());
            // logits favouring the true class by 10: cross-entropy ~ log(1 + e^-10) per sample
            NDArray onehot = xy.get(1).oneHot(2).toType(DataType.FLOAT32, false).mul(10);
            double loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(xy.get(1)), new NDList(onehot)).getFloat();
            assertEquals(Math.log1p(Math.exp(-10)), loss, 1e-6);
        }
    }

    @Test
    void batchIteratorVisitsEverySampleOnceInSeededOrderWithoutLeaking() {
        LabeledData d = twoChannel(10);
        try (NDManager m = Engines.newManager()) {
            int before = m.getManagedArrays().size();
            List<Float> firstEpoch = new ArrayList<>();
            for (int epoch = 0; epoch < 50; epoch++) {
                List<Float> seen = new ArrayList<>();
                List<Long> sizes = new ArrayList<>();
                try (BatchIterator it = d.batches(m, 4, true, SeededShuffle.streamSeed(3L, epoch % 2))) {
                    assertEquals(3, it.numBatches());
                    while (it.hasNext()) {
                        NDList xy = it.next();
                        NDArray x = xy.get(0);
                        x.mul(2).add(1);   // temporaries attach to the batch's manager and go with it
                        assertTrue(m.getManagedArrays().size() > before, "the count must see the batch's arrays");
                        sizes.add(x.getShape().get(0));
                        for (float v : x.reshape(-1, 4).get(":, 0").toFloatArray()) {
                            seen.add(v);
                        }
                        int[] labels = xy.get(1).toIntArray();
                        float[] firsts = x.reshape(-1, 4).get(":, 0").toFloatArray();
                        for (int j = 0; j < labels.length; j++) {
                            assertEquals((int) firsts[j] % 2, labels[j]);   // label travels with its sample
                        }
                    }
                }
                assertEquals(List.of(4L, 4L, 2L), sizes);
                assertEquals(10, new HashSet<>(seen).size());
                if (epoch == 0) {
                    firstEpoch = seen;
                } else if (epoch == 2) {
                    assertEquals(firstEpoch, seen);   // same seed, same order
                } else if (epoch == 1) {
                    assertNotEquals(firstEpoch, seen);
                }
                assertEquals(before, m.getManagedArrays().size(), "arrays left after epoch " + epoch);
            }
        }
    }

    @Test
    void everyBatchHoldsExactlyThePermutedSamplesAndTheirLabels() {
        int n = 37;
        float[] x = new float[n * 6];
        int[] y = new int[n];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
        }
        LabeledData d = new LabeledData(x, new int[] {3, 2}, y, TWO, "test");
        int[] order = SeededShuffle.permutation(n, 9L);
        try (NDManager m = Engines.newManager(); BatchIterator it = d.batches(m, 8, true, 9L)) {
            for (int first = 0; first < n; first += 8) {
                int size = Math.min(8, n - first);
                NDList xy = it.next();
                assertEquals(new Shape(size, 3, 2), xy.get(0).getShape());
                assertEquals(DataType.FLOAT32, xy.get(0).getDataType());
                assertEquals(DataType.INT32, xy.get(1).getDataType());
                float[] expected = new float[size * 6];
                int[] labels = new int[size];
                for (int j = 0; j < size; j++) {
                    System.arraycopy(d.sample(order[first + j]), 0, expected, j * 6, 6);
                    labels[j] = y[order[first + j]];
                }
                assertArrayEquals(expected, xy.get(0).toFloatArray(), "batch at " + first);
                assertArrayEquals(labels, xy.get(1).toIntArray(), "labels at " + first);
            }
            assertTrue(!it.hasNext());
        }
    }

    @Test
    void unshuffledBatchesFollowTheDataOrderAndExhaustionIsAnError() {
        LabeledData d = twoChannel(5);
        try (NDManager m = Engines.newManager(); BatchIterator it = d.batches(m, 5, false, 0L)) {
            assertArrayEquals(new float[] {0, 1, 2, 3, 4}, it.next().get(0).reshape(-1, 4).get(":, 0").toFloatArray());
            assertThrows(java.util.NoSuchElementException.class, it::next);
        }
        assertError("batchSize: must be >= 1, got 0", () -> d.batches(null, 0, false, 0L));
    }

    @Test
    void arrayDatasetIsSeededPerEpochAndCoversAllSamples() throws Exception {
        LabeledData d = twoChannel(12);
        try (NDManager m = Engines.newManager()) {
            List<List<Float>> runA = epochs(d.toArrayDataset(m, 5, true, 11L), m, 2);
            List<List<Float>> runB = epochs(d.toArrayDataset(m, 5, true, 11L), m, 2);
            assertEquals(runA, runB);
            assertNotEquals(runA.get(0), runA.get(1));
            for (List<Float> epoch : runA) {
                assertEquals(12, new HashSet<>(epoch).size());
            }
            List<List<Float>> ordered = epochs(d.toArrayDataset(m, 5, false, 0L), m, 1);
            assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f), ordered.get(0));
        }
    }

    private static List<List<Float>> epochs(ArrayDataset ds, NDManager m, int count) throws Exception {
        List<List<Float>> out = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            List<Float> order = new ArrayList<>();
            for (Batch b : ds.getData(m)) {
                try (b) {
                    for (float v : b.getData().head().reshape(-1, 4).get(":, 0").toFloatArray()) {
                        order.add(v);
                    }
                }
            }
            out.add(order);
        }
        return out;
    }

    @Test
    void gaussianMixtureSampleBecomesVectorData() {
        GaussianMixtureSample s = GaussianMixture.lingTwoClass(20).sample(16, 1L);
        LabeledData d = s.toLabeledData();
        assertArrayEquals(new int[] {20}, d.sampleShape());
        assertArrayEquals(new int[] {8, 8}, d.classCounts());
        assertEquals((float) s.x()[3][5], d.sample(3)[5], 0f);
        Set<String> names = new HashSet<>(d.classNames());
        assertTrue(names.contains("class 1"));
    }
}
