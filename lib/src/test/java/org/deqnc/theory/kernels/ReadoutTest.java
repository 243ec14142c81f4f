package org.deqnc.theory.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadoutTest {

    /** One feature f = 0, 1, 2, 3 with labels 0, 0, 1, 1. */
    private static final float[] LINE = {0, 1, 2, 3};
    private static final int[] LINE_LABELS = {0, 0, 1, 1};

    @Test
    void ridgeMatchesTheHandWorkedSolution() {
        // mean f = 1.5; Fc^T Fc / n = 1.25; Fc^T Yc / n = (-0.5, 0.5); lambda = 0.25:
        // w = (-0.5, 0.5)/1.5 = (-1/3, 1/3); b = mean(Y) - 1.5 w = (1, 0)
        Readout.Linear r = Readout.ridge(LINE, LINE_LABELS, 2, 0.25);
        assertEquals(-1.0 / 3, r.weights()[0][0], 1e-9);
        assertEquals(1.0 / 3, r.weights()[0][1], 1e-9);
        assertArrayEquals(new double[]{1, 0}, r.bias(), 1e-9);
        assertArrayEquals(new int[]{0, 0, 1, 1}, r.predict(LINE, 4));
        assertEquals(1.0, r.accuracy(LINE, LINE_LABELS));
    }

    @Test
    void ridgeSolutionZeroesTheObjectiveGradient() {
        // objective (1/n) sum ||y_i - W^T f_i - b||^2 + lambda ||W||^2: its gradient, in plain double loops, is 0
        int n = 40, m = 5, k = 3;
        Random rnd = new Random(3);
        float[] f = new float[n * m];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            for (int j = 0; j < m; j++) {
                f[i * m + j] = (float) (rnd.nextGaussian() + (j == y[i] ? 1 : 0));
            }
        }
        double lambda = 0.1;
        Readout.Linear r = Readout.ridge(f, y, k, lambda);
        double[][] gradW = new double[m][k];
        double[] gradB = new double[k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double residual = (y[i] == c ? 1 : 0) - r.bias()[c];
                for (int j = 0; j < m; j++) {
                    residual -= f[i * m + j] * r.weights()[j][c];
                }
                gradB[c] += -2 * residual / n;
                for (int j = 0; j < m; j++) {
                    gradW[j][c] += -2 * residual * f[i * m + j] / n;
                }
            }
        }
        for (int c = 0; c < k; c++) {
            assertEquals(0, gradB[c], 1e-9);
            for (int j = 0; j < m; j++) {
                assertEquals(0, gradW[j][c] + 2 * lambda * r.weights()[j][c], 1e-9);
            }
        }
    }

    @Test
    void twoFullBatchSgdStepsMatchTheHandWorkedOnes() {
        // step 1 from zero: p = 1/2, g = p - y; W_1 = -F^T g_1 / 4 = 0.5, b = 0.
        // step 2: p_1 = sigmoid(f) (the two scores differ by f), g_1 = (0.5, 0.7310586, -0.1192029, -0.0474259),
        // W_1 = 0.5 - F^T g_1 / 4 = 0.4124062, b_1 = -sum g_1 / 4 = -0.2661074; class 0 is the negative.
        Readout.Linear r = Readout.softmaxSgd(LINE, LINE_LABELS, 2, new Readout.Sgd(2, 1.0, 4, 9));
        assertEquals(0.4124062, r.weights()[0][1], 1e-6);
        assertEquals(-0.4124062, r.weights()[0][0], 1e-6);
        assertEquals(-0.2661074, r.bias()[1], 1e-6);
        assertEquals(0.2661074, r.bias()[0], 1e-6);
    }

    @Test
    void sgdIsDeterministicGivenTheSeedAndTheSeedMatters() {
        int n = 16;
        float[] f = new float[n * 2];
        int[] y = new int[n];
        Random rnd = new Random(1);
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            f[2 * i] = (float) rnd.nextGaussian() + y[i];
            f[2 * i + 1] = (float) rnd.nextGaussian();
        }
        Readout.Linear a = Readout.softmaxSgd(f, y, 2, new Readout.Sgd(5, 0.5, 3, 4));
        Readout.Linear b = Readout.softmaxSgd(f, y, 2, new Readout.Sgd(5, 0.5, 3, 4));
        Readout.Linear c = Readout.softmaxSgd(f, y, 2, new Readout.Sgd(5, 0.5, 3, 5));
        for (int j = 0; j < 2; j++) {
            assertArrayEquals(a.weights()[j], b.weights()[j], 0);
        }
        assertArrayEquals(a.bias(), b.bias(), 0);
        assertFalse(a.weights()[0][1] == c.weights()[0][1], "another seed visits the samples in another order");
    }

    @Test
    void separableDataAreLearned() {
        Readout.Linear r = Readout.softmaxSgd(LINE, LINE_LABELS, 2, new Readout.Sgd(200, 1.0, 2, 1));
        assertEquals(1.0, r.accuracy(LINE, LINE_LABELS));
    }

    @Test
    void badArgumentsGiveOneLineErrors() {
        assertMessage("labels: each must be in 0..1, got 2", () -> Readout.ridge(LINE, new int[]{0, 1, 2, 0}, 2, 1));
        assertMessage("lambda: the ridge penalty must be > 0, got 0.0", () -> Readout.ridge(LINE, LINE_LABELS, 2, 0));
        assertMessage("features: need n x m values for the 3 labels, got 4", () -> Readout.ridge(LINE, new int[]{0, 1, 0}, 2, 1));
        assertMessage("batchSize: 5 is more than the 4 samples", () -> Readout.softmaxSgd(LINE, LINE_LABELS, 2,
                new Readout.Sgd(1, 1, 5, 0)));
        assertMessage("epochs, learningRate, batchSize: need >= 1, > 0, >= 1, got 0, 1.0, 1", () -> new Readout.Sgd(0, 1, 1, 0));
    }

    private static void assertMessage(String start, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
