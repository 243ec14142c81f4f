package org.deqnc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

class TsneTest {

    /** k Gaussian clusters of m points each in d dimensions, centres `spread` apart on the axes, unit noise. */
    private static double[][] clusters(int k, int m, int d, double spread, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[k * m][d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < d; j++) {
                    x[c * m + i][j] = (j == c ? spread : 0) + r.nextGaussian();
                }
            }
        }
        return x;
    }

    @Test
    void perplexityCalibrationHitsItsTarget() {
        double[][] x = clusters(3, 40, 5, 4, 1);
        for (double target : new double[] {5, 15, 30}) {
            Tsne.Result r = Tsne.builder().perplexity(target).iterations(1).build().fit(x);
            for (double reached : r.perplexities()) {
                assertEquals(target, reached, 1e-3 * target, "perplexity " + target);
            }
        }
    }

    @Test
    void calibratedRowHasTheTargetPerplexityComputedByHand() {
        // squared distances 1, 4, 9, 16 from point 0; recompute exp(H) of the returned row independently
        double[] d2 = {0, 1, 4, 9, 16};
        double[] row = Tsne.calibrateRow(d2, 0, 2.5);
        assertEquals(0, row[0]);
        double sum = 0;
        double h = 0;
        for (int j = 1; j < row.length; j++) {
            sum += row[j];
            h -= row[j] * Math.log(row[j]);
        }
        assertEquals(1, sum, 1e-12);
        assertEquals(2.5, Math.exp(h), 1e-4);
        // a Gaussian row: log-ratios are linear in the squared distance
        double beta1 = Math.log(row[1] / row[2]) / 3;
        double beta2 = Math.log(row[2] / row[3]) / 5;
        assertEquals(beta1, beta2, 1e-9);
    }

    @Test
    void klDecreasesDuringTheFit() {
        Tsne.Result r = Tsne.builder().perplexity(10).iterations(500).klEvery(50).seed(3).build()
                .fit(clusters(4, 30, 8, 6, 2));
        double[] kl = r.kl();
        assertEquals(0, r.klIterations()[0]);
        assertEquals(500, r.klIterations()[kl.length - 1]);
        double afterExaggeration = kl[6]; // iteration 300
        assertTrue(r.finalKl() < 0.5 * kl[0], "KL " + kl[0] + " -> " + r.finalKl());
        assertTrue(r.finalKl() <= afterExaggeration, "KL rose after the exaggeration phase");
        for (int i = 7; i < kl.length; i++) { // late phase: plain momentum descent, no increase beyond 1%
            assertTrue(kl[i] <= kl[i - 1] * 1.01, "KL rose at iteration " + r.klIterations()[i]);
        }
    }

    @Test
    void wellSeparatedClustersStaySeparated() {
        int k = 4;
        int m = 30;
        Tsne.Result r = Tsne.builder().perplexity(10).iterations(500).seed(5).build().fit(clusters(k, m, 10, 20, 3));
        double[][] y = r.embedding();
        // every point's 5 nearest embedded neighbours are in its own cluster
        for (int i = 0; i < y.length; i++) {
            double[] d = new double[y.length];
            Integer[] order = new Integer[y.length];
            for (int j = 0; j < y.length; j++) {
                d[j] = j == i ? Double.POSITIVE_INFINITY : Math.hypot(y[i][0] - y[j][0], y[i][1] - y[j][1]);
                order[j] = j;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
            for (int q = 0; q < 5; q++) {
                assertEquals(i / m, order[q] / m, "neighbour " + q + " of point " + i);
            }
        }
        // and the clusters' embedded bounding discs do not overlap
        double[][] c = new double[k][2];
        double[] radius = new double[k];
        for (int i = 0; i < y.length; i++) {
            c[i / m][0] += y[i][0] / m;
            c[i / m][1] += y[i][1] / m;
        }
        for (int i = 0; i < y.length; i++) {
            radius[i / m] = Math.max(radius[i / m], Math.hypot(y[i][0] - c[i / m][0], y[i][1] - c[i / m][1]));
        }
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                assertTrue(Math.hypot(c[a][0] - c[b][0], c[a][1] - c[b][1]) > radius[a] + radius[b],
                        "clusters " + a + " and " + b + " overlap");
            }
        }
    }

    @Test
    void sameSeedSameEmbeddingOtherSeedOther() {
        double[][] x = clusters(3, 20, 4, 5, 4);
        Tsne t = Tsne.builder().perplexity(8).iterations(100).seed(7).build();
        double[][] a = t.fit(x).embedding();
        double[][] b = t.fit(x).embedding();
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0);
        }
        double[][] other = Tsne.builder().perplexity(8).iterations(100).seed(8).build().fit(x).embedding();
        assertTrue(other[0][0] != a[0][0]);
    }

    @Test
    void interruptStopsTheFitAndKeepsTheFlag() {
        double[][] x = clusters(3, 20, 4, 5, 4);
        Thread.currentThread().interrupt();
        try {
            CancellationException e = assertThrows(CancellationException.class,
                    () -> Tsne.builder().perplexity(8).build().fit(x));
            assertTrue(e.getMessage().startsWith("t-SNE: interrupted"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        double[][] x = clusters(2, 5, 3, 5, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tsne.builder().perplexity(30).build().fit(x));
        assertTrue(e.getMessage().startsWith("perplexity:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tsne.builder().perplexity(1));
        assertThrows(IllegalArgumentException.class, () -> Tsne.builder().iterations(0));
        double[][] ragged = {{0, 1}, {1, 2}, {2}, {3, 4}, {5, 6}, {7, 8}, {9, 9}};
        e = assertThrows(IllegalArgumentException.class, () -> Tsne.builder().perplexity(2).build().fit(ragged));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
        double[][] nan = {{0, 1}, {1, Double.NaN}, {2, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 9}};
        e = assertThrows(IllegalArgumentException.class, () -> Tsne.builder().perplexity(2).build().fit(nan));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
    }
}
