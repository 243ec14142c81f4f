package org.deqnc.theory.kernels;

import org.deqnc.data.GaussianMixture;
import org.deqnc.data.LabeledData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureNetworkTest {

    private static final double SIGMA_A2 = 0.2;

    /** The features' Gram F F^T is the one-draw Monte-Carlo CK with the same seed, for all six models. */
    @Test
    void featureGramIsTheOneDrawKernelOfTheSameWeights() {
        KernelInputs inputs = KernelInputs.of(GaussianMixture.lingTwoClass(30).sample(24, 2), KernelInputs.Tau0.EMPIRICAL);
        int n = inputs.size(), m = 40;
        for (FeatureModel model : FeatureModel.values()) {
            FeatureNetwork net = model.network(SIGMA_A2, inputs.tau0());
            float[] f = net.features(inputs.x(), m, 5);
            double[][] ck = net.isDeq() ? MonteCarloKernels.deq(inputs, net.deqActivation(), SIGMA_A2, m, 1, 5).ck()
                    : MonteCarloKernels.explicit(inputs, net.layers(), m, 1, 5).ck();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int k = 0; k < m; k++) {
                        dot += (double) f[i * m + k] * f[j * m + k];
                    }
                    assertEquals(ck[i][j], dot, 1e-4 * Math.max(1, Math.abs(ck[i][j])), model + " at " + i + ", " + j);
                }
            }
        }
    }

    @Test
    void matchedNetworksShareTheirDeqsScalarsAndModelsHaveNames() {
        FeatureNetwork lRelu = FeatureModel.L_RELU_ENN.network(SIGMA_A2, 1.0);
        assertEquals(2, lRelu.layers().size());
        assertEquals(1, FeatureModel.H_TANH_ENN.network(SIGMA_A2, 1.0).layers().size());
        assertTrue(FeatureModel.TANH_DEQ.network(SIGMA_A2, 1.0).isDeq());
        assertEquals(FeatureModel.H_TANH_ENN, FeatureModel.named("h_tanh_enn"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureModel.named("inn"));
        assertEquals("model: unknown 'inn' (accepted: relu_deq, tanh_deq, l_relu_enn, h_tanh_enn, relu_enn, tanh_enn)",
                e.getMessage());
    }

    @Test
    void cacheComputesOnceAndRecomputesWhenTheKeyDiffers(@TempDir Path dir) throws Exception {
        FeatureCache cache = new FeatureCache(dir.resolve("cache"));
        AtomicInteger computed = new AtomicInteger();
        float[] first = cache.get("k1", 2, 3, () -> {
            computed.incrementAndGet();
            return new float[]{1, 2, 3, 4, 5, 6};
        });
        float[] again = cache.get("k1", 2, 3, () -> {
            computed.incrementAndGet();
            return new float[6];
        });
        assertArrayEquals(first, again);
        assertEquals(1, computed.get());
        assertEquals(1, cache.hits());
        assertNotEquals(cache.file("k1"), cache.file("k2"));
        // a truncated file is recomputed, not trusted
        Files.write(cache.file("k1"), new byte[]{0x44, 0x51});
        assertArrayEquals(new float[6], cache.get("k1", 2, 3, () -> new float[6]));
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> cache.get("k3", 2, 2, () -> new float[3]));
        assertEquals("features for 'k3': computed 3 values, expected 2 x 2", wrong.getMessage());
    }

    @Test
    void realImagesAreCentredScaledAndSplitDisjointly() {
        // 3 classes x 4 samples of 2 "pixels": sample i of class c is (c, i)
        float[] x = new float[24];
        int[] y = new int[12];
        for (int i = 0; i < 12; i++) {
            y[i] = i % 3;
            x[2 * i] = y[i];
            x[2 * i + 1] = i;
        }
        LabeledData data = new LabeledData(x, new int[]{2}, y, List.of("a", "b", "c"), "test");
        LabeledData two = RealImages.classes(data, 2, 0);
        assertEquals(8, two.size());
        assertEquals(List.of("c", "a"), two.classNames());
        assertEquals(0, two.label(0) == 1 ? 0 : 1);   // the first sample (class a) becomes label 1
        LabeledData[] parts = RealImages.split(two, 3, 1, 7);
        assertEquals(6, parts[0].size());
        assertEquals(2, parts[1].size());
        for (int i = 0; i < parts[1].size(); i++) {
            float[] t = parts[1].sample(i);
            for (int j = 0; j < parts[0].size(); j++) {
                assertTrue(t[1] != parts[0].sample(j)[1], "test sample " + i + " also in the training part");
            }
        }
        RealImages scaling = RealImages.fit(parts[0]);
        double[][] rows = scaling.apply(parts[0]);
        double[] mean = new double[2];
        double squares = 0;
        for (double[] r : rows) {
            mean[0] += r[0] / rows.length;
            mean[1] += r[1] / rows.length;
            squares += (r[0] * r[0] + r[1] * r[1]) / rows.length;
        }
        assertArrayEquals(new double[]{0, 0}, mean, 1e-12);
        assertEquals(1, squares, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> RealImages.split(two, 4, 1, 7));
        assertThrows(IllegalArgumentException.class, () -> RealImages.classes(data, 1, 1));
    }
}
