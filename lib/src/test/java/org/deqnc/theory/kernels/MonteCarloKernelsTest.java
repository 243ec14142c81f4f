package org.deqnc.theory.kernels;

import org.deqnc.data.GaussianMixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonteCarloKernelsTest {

    private static final double SIGMA_A2 = 0.2;

    /** The acceptance point: p = 400 (n = 320), m = 1000, 20 draws; the error also falls from 5 draws. */
    @Test
    void ckMatchesItsEquivalentAtP400() {
        KernelInputs inputs = KernelInputs.of(GaussianMixture.lingTwoClass(400).sample(320, 1), KernelInputs.Tau0.EMPIRICAL);
        for (String name : List.of("relu", "tanh")) {
            DeqKernelTheory theory = DeqKernelTheory.solve(KernelActivation.named(name), SIGMA_A2, inputs.tau0());
            KernelEstimate e = MonteCarloKernels.deq(inputs, CenteredActivation.at(theory.activation(), theory.tau()),
                    SIGMA_A2, 1000, 20, 7, 5);
            double[][] equivalent = theory.ckPhiPart().matrix(inputs);
            double error = Spectrum.relativeError(e.ck(), equivalent);
            double early = Spectrum.relativeError(e.snapshots().get(0).ck(), equivalent);
            System.out.printf("%s: relative CK error %.4f after 20 draws, %.4f after 5; %.1f iterations per draw%n",
                    name, error, early, e.meanIterations());
            assertTrue(error < 0.15, name + ": relative CK error " + error);
            assertTrue(error < early, name + ": error did not fall with draws: " + early + " -> " + error);
        }
    }

    @Test
    void sameSeedSameKernelAndExplicitNetworkSharesTheDeqWeights() {
        KernelInputs inputs = KernelInputs.of(GaussianMixture.lingTwoClass(20).sample(12, 3), KernelInputs.Tau0.EMPIRICAL);
        CenteredActivation phi = CenteredActivation.at(KernelActivation.relu(), 1.0);
        KernelEstimate a = MonteCarloKernels.deq(inputs, phi, SIGMA_A2, 30, 3, 11);
        KernelEstimate b = MonteCarloKernels.deq(inputs, phi, SIGMA_A2, 30, 3, 11);
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(a.ck()[i], b.ck()[i]);
            assertArrayEquals(a.ntk()[i], b.ntk()[i]);
        }
        KernelEstimate other = MonteCarloKernels.deq(inputs, phi, SIGMA_A2, 30, 3, 12);
        assertTrue(Math.abs(other.ck()[0][1] - a.ck()[0][1]) > 1e-9);
    }

    @Test
    void oneLayerExplicitKernelIsTheRandomFeatureGram() {
        // one tanh layer, one draw, m = 1: CK_ij = tanh(w.x_i) tanh(w.x_j), w the draw's B seed's single row
        KernelInputs inputs = KernelInputs.of(GaussianMixture.lingTwoClass(10).sample(4, 5), KernelInputs.Tau0.EMPIRICAL);
        KernelEstimate e = MonteCarloKernels.explicit(inputs, List.of(new CenteredActivation(KernelActivation.tanh(), 0)),
                1, 1, 2);
        java.util.SplittableRandom seeds = new java.util.SplittableRandom(2);
        seeds.nextLong();
        long seedB = seeds.nextLong();
        try (ai.djl.ndarray.NDManager m = org.deqnc.engine.Engines.newManager()) {
            float[] w = org.deqnc.deq.SeededNormal.gaussian(m, new ai.djl.ndarray.types.Shape(1, 10),
                    ai.djl.ndarray.types.DataType.FLOAT32, 1, seedB).toFloatArray();
            double[] f = new double[4];
            for (int i = 0; i < 4; i++) {
                double s = 0;
                for (int k = 0; k < 10; k++) {
                    s += (double) w[k] * (float) inputs.x()[i][k];
                }
                f[i] = Math.tanh(s);
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(f[i] * f[j], e.ck()[i][j], 1e-5);
                }
            }
        }
    }

    @Test
    void divergenceInterruptAndBadArgumentsAreReported() {
        KernelInputs inputs = KernelInputs.of(GaussianMixture.lingTwoClass(20).sample(12, 3), KernelInputs.Tau0.EMPIRICAL);
        // 4x-steep leaky activation at sigma_a^2 = 0.9: ||sigma_a A/sqrt(m)|| * 4 is about 7.6, no contraction
        CenteredActivation steep = new CenteredActivation(KernelActivation.lRelu(4, 4), 0);
        IllegalStateException diverged = assertThrows(IllegalStateException.class,
                () -> MonteCarloKernels.deq(inputs, steep, 0.9, 50, 1, 1));
        assertTrue(diverged.getMessage().startsWith("DEQ fixed point"), diverged.getMessage());
        Thread.currentThread().interrupt();
        CenteredActivation relu = CenteredActivation.at(KernelActivation.relu(), 1.0);
        assertThrows(CancellationException.class, () -> MonteCarloKernels.deq(inputs, relu, SIGMA_A2, 30, 2, 1));
        assertTrue(Thread.interrupted(), "the interrupt flag stays set for the caller");
        assertThrows(IllegalArgumentException.class, () -> MonteCarloKernels.deq(inputs, relu, SIGMA_A2, 30, 2, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> MonteCarloKernels.deq(inputs, relu, SIGMA_A2, 0, 2, 1));
    }
}
