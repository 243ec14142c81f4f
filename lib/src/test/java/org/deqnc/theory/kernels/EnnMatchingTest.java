package org.deqnc.theory.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnnMatchingTest {

    @Test
    void hTanhMatchesTheTanhDeq() {
        DeqKernelTheory deq = DeqKernelTheory.solve(KernelActivation.tanh(), 0.2, 1.0);
        EnnMatching.Matched m = EnnMatching.hTanh(deq);
        assertTrue(m.residualNorm() < 1e-10, "residual " + m.residualNorm());
        // the network's scalars recomputed from the returned parameters hit the target
        double[] got = ExplicitKernelTheory.of(java.util.List.of(KernelActivation.hTanh(m.parameters()[0], m.parameters()[1])),
                1.0).ck().scalars();
        double[] want = deq.ckPhiPart().scalars();
        for (int i = 0; i < 4; i++) {
            assertEquals(want[i], got[i], 1e-10, "scalar " + i);
        }
    }

    @Test
    void twoLayerLReluMatchesTheReluDeq() {
        for (double tau0 : new double[]{0.8, 1.0, 1.1}) {
            DeqKernelTheory deq = DeqKernelTheory.solve(KernelActivation.relu(), 0.2, tau0);
            EnnMatching.Matched m = EnnMatching.lRelu(deq);
            assertTrue(m.residualNorm() < 1e-10, "tau0 " + tau0 + ": residual " + m.residualNorm());
            assertTrue(deq.ckPhiPart().mean() > 0, "a ReLU-DEQ has a low-rank part to match");
        }
    }

    @Test
    void hTanhCannotMatchAReluDeq() {
        DeqKernelTheory deq = DeqKernelTheory.solve(KernelActivation.relu(), 0.2, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnnMatching.hTanh(deq));
        assertTrue(e.getMessage().startsWith("deq:"), e.getMessage());
    }
}
