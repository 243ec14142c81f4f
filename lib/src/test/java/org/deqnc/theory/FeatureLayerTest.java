package org.deqnc.theory;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureLayerTest {

    @Test
    void rejectsInadmissibleBoundsWithOneLineMessages() {
        assertEquals("gamma: must satisfy 0 <= gamma < 1 (spectral-norm bound of the DEQ weight), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> FeatureLayer.deq(1.0)).getMessage());
        assertEquals("gamma: must satisfy 0 <= gamma < 1 (spectral-norm bound of the DEQ weight), got NaN",
                assertThrows(IllegalArgumentException.class, () -> FeatureLayer.deq(Double.NaN)).getMessage());
        assertEquals("depth: must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> FeatureLayer.explicitProduct(0, 1)).getMessage());
        assertEquals("beta: must be > 0 (+infinity for no spectral bound), got -0.5",
                assertThrows(IllegalArgumentException.class, () -> FeatureLayer.explicitInjected(2, -0.5)).getMessage());
    }

    @Test
    void deqOutputIsTheLimitOfThePicardIteration() {
        // Independent computation of z* = W_D z* + h0 by fixed-point iteration from z = h0.
        Random rng = new Random(4);
        double[][] wd = Dense.projectSpectralBall(Dense.gaussian(6, 6, rng), 0.6);
        double[][] h0 = Dense.gaussian(3, 6, rng);
        double[][] out = FeatureLayer.deq(0.6).forward(h0, new double[][][] {wd});
        for (int k = 0; k < 3; k++) {
            double[] z = h0[k].clone();
            for (int it = 0; it < 200; it++) {
                double[] next = h0[k].clone();
                for (int i = 0; i < 6; i++) {
                    next[i] += Dense.dot(wd[i], z);
                }
                z = next;
            }
            for (int i = 0; i < 6; i++) {
                assertEquals(z[i], out[k][i], 1e-10);
            }
        }
    }

    @Test
    void gainIsAttainedByMaximalWeightsAndNeverExceededByRandomAdmissibleOnes() {
        Random rng = new Random(9);
        // Hand values: 1/(1-0.5) = 2; 1.1^3 = 1.331; 1 + 0.5 + 0.25 + 0.125 = 1.875; none = 1.
        List<FeatureLayer> layers = List.of(FeatureLayer.deq(0.5), FeatureLayer.explicitProduct(3, 1.1),
                FeatureLayer.explicitInjected(3, 0.5), FeatureLayer.none());
        double[] expected = {2, 1.331, 1.875, 1};
        for (int l = 0; l < layers.size(); l++) {
            FeatureLayer layer = layers.get(l);
            assertEquals(expected[l], layer.gain(), 1e-12, layer.toString());
            double[][] h0 = Dense.gaussian(4, 5, rng);
            double[][] out = layer.forward(h0, layer.maximalWeights(5));
            assertEquals(expected[l] * Dense.frobenius(h0), Dense.frobenius(out), 1e-10);
            for (int t = 0; t < 50; t++) {
                double[][][] w = new double[layer.depth()][][];
                for (int i = 0; i < w.length; i++) {
                    w[i] = Dense.projectSpectralBall(Dense.gaussian(5, 5, rng), layer.normBound());
                }
                assertTrue(Dense.frobenius(layer.forward(h0, w)) <= layer.gain() * Dense.frobenius(h0) + 1e-10);
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesForEveryLayer() {
        Random rng = new Random(21);
        for (FeatureLayer layer : List.of(FeatureLayer.deq(0.7), FeatureLayer.explicitProduct(3, 0.9),
                FeatureLayer.explicitInjected(2, 0.8), FeatureLayer.explicitTied(3, 0.8), FeatureLayer.deqRelu(0.7))) {
            double[][] h0 = Dense.gaussian(3, 4, rng);
            double[][][] w = new double[layer.depth()][][];
            for (int i = 0; i < w.length; i++) {
                w[i] = Dense.projectSpectralBall(Dense.gaussian(4, 4, rng), layer.normBound());
            }
            double[][] probe = Dense.gaussian(3, 4, rng);
            // Scalar test function phi = <probe, layer(h0)>, whose output gradient is the probe itself.
            double[][][] weightGradients = new double[w.length][][];
            double[][] inputGradient = layer.backward(h0, w, probe, weightGradients);
            double eps = 1e-6;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    double[][] plus = Dense.copy(h0);
                    double[][] minus = Dense.copy(h0);
                    plus[i][j] += eps;
                    minus[i][j] -= eps;
                    double fd = (Dense.inner(probe, layer.forward(plus, w)) - Dense.inner(probe, layer.forward(minus, w)))
                            / (2 * eps);
                    assertEquals(fd, inputGradient[i][j], 1e-7, layer + " input gradient");
                }
            }
            for (int l = 0; l < w.length; l++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        double[][][] plus = w.clone();
                        double[][][] minus = w.clone();
                        plus[l] = Dense.copy(w[l]);
                        minus[l] = Dense.copy(w[l]);
                        plus[l][i][j] += eps;
                        minus[l][i][j] -= eps;
                        double fd = (Dense.inner(probe, layer.forward(h0, plus))
                                - Dense.inner(probe, layer.forward(h0, minus))) / (2 * eps);
                        assertEquals(fd, weightGradients[l][i][j], 1e-7, layer + " weight gradient " + l);
                    }
                }
            }
        }
    }

    @Test
    void reluDeqOutputIsTheLimitOfThePicardIterationAndTiedLayerIsTheStoppedIteration() {
        Random rng = new Random(8);
        double[][] wd = Dense.projectSpectralBall(Dense.gaussian(6, 6, rng), 0.8);
        double[][] h0 = Dense.gaussian(4, 6, rng);
        double[][] relu = FeatureLayer.deqRelu(0.8).forward(h0, new double[][][] {wd});
        double[][] tied = FeatureLayer.explicitTied(3, 0.8).forward(h0, new double[][][] {wd});
        for (int k = 0; k < 4; k++) {
            double[] z = h0[k].clone();
            double[] y = new double[6];
            for (int it = 0; it < 400; it++) {
                double[] next = new double[6];
                double[] linear = h0[k].clone();
                for (int i = 0; i < 6; i++) {
                    next[i] = Math.max(0, Dense.dot(wd[i], y) + h0[k][i]);
                    linear[i] += Dense.dot(wd[i], z);
                }
                y = next;
                if (it < 3) {
                    z = linear; // three steps of z_l = W z_{l-1} + h0 from z_0 = h0
                }
            }
            for (int i = 0; i < 6; i++) {
                assertEquals(y[i], relu[k][i], 1e-12);
                assertEquals(z[i], tied[k][i], 1e-12);
            }
        }
    }
}
