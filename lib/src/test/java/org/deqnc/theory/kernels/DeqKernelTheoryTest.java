package org.deqnc.theory.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeqKernelTheoryTest {

    @Test
    void reluScalarsByHand() {
        double sa = 0.2, sb = 0.8, tau0 = 1.2;
        DeqKernelTheory t = DeqKernelTheory.solve(KernelActivation.relu(), sa, tau0);
        // tau^2 = sigma_b^2 tau0^2 / (1 - sigma_a^2 (pi - 1)/(2 pi)); d1 = 1/2; d4 = 1 - 1/pi
        double tau2 = sb * tau0 * tau0 / (1 - sa * (Math.PI - 1) / (2 * Math.PI));
        assertEquals(tau2, t.tau() * t.tau(), 1e-13);
        double alpha1 = sb / (1 - sa / 4);
        double alpha4 = sb / (1 - sa * (1 - 1 / Math.PI) / 2);
        double d2sq = 1 / (2 * Math.PI * tau2);
        assertEquals(alpha1, t.alpha1(), 1e-14);
        assertEquals(alpha4, t.alpha4(), 1e-14);
        assertEquals(sa / 4 * d2sq * alpha4 * alpha4 / (1 - sa / 4), t.alpha2(), 1e-14);
        assertEquals(sa / 2 * d2sq * alpha1 * alpha1 / (1 - sa / 4), t.alpha3(), 1e-14);
        EquivalentKernel phi = t.ckPhiPart();
        assertEquals((alpha1 - sb) / sa, phi.linear(), 1e-13);
        assertEquals((tau2 - tau0 * tau0 * alpha1) / sa, phi.diagonal(), 1e-12);
    }

    @Test
    void tanhHasNoLowRankPart() {
        DeqKernelTheory t = DeqKernelTheory.solve(KernelActivation.tanh(), 0.2, 1.0);
        assertEquals(0, t.alpha2(), 1e-20);
        assertEquals(0, t.alpha3(), 1e-20);
        assertEquals(0, t.ntk().mean(), 1e-20);
        // tau solves its own equation
        assertEquals(t.tau() * t.tau(), 0.2 * t.moments().variance() + 0.8, 1e-14);
    }

    @Test
    void ntkScalarsFollowTheFengKolterForm() {
        DeqKernelTheory t = DeqKernelTheory.solve(KernelActivation.relu(), 0.2, 1.0);
        EquivalentKernel ntk = t.ntk();
        // relu: delta0 = 0.2/4, E phi'^2 = 1/2
        double beta1 = t.ckPhiPart().linear() / (1 - 0.05);
        assertEquals(beta1, ntk.linear(), 1e-14);
        double kappa2 = t.moments().variance() / (1 - 0.2 * 0.5);
        assertEquals(kappa2 - beta1, ntk.diagonal(), 1e-14);
    }

    @Test
    void badVariancesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DeqKernelTheory.solve(KernelActivation.relu(), 1.0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> DeqKernelTheory.solve(KernelActivation.relu(), 0.2, -1));
        // a = 3, b = 1 at sigma_a^2 = 0.9: sigma_a^2 v(tau)/tau^2 = 0.9 * 4.36 > 1, tau runs away
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeqKernelTheory.solve(KernelActivation.lRelu(3, 1), 0.9, 1.0));
        assertTrue(e.getMessage().startsWith("sigma_a^2"), e.getMessage());
    }
}
