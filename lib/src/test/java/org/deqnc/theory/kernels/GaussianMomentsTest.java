package org.deqnc.theory.kernels;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianMomentsTest {

    private static void assertMomentsEqual(GaussianMoments want, GaussianMoments got, double tolerance, String what) {
        assertEquals(want.mean(), got.mean(), tolerance, what + " mean");
        assertEquals(want.variance(), got.variance(), tolerance, what + " variance");
        assertEquals(want.d1(), got.d1(), tolerance, what + " d1");
        assertEquals(want.d2(), got.d2(), tolerance, what + " d2");
        assertEquals(want.d4(), got.d4(), tolerance, what + " d4");
        assertEquals(want.derivativeSquare(), got.derivativeSquare(), tolerance, what + " E phi'^2");
    }

    @Test
    void closedFormsEqualQuadratureTo1e8() {
        List<KernelActivation> closed = List.of(KernelActivation.relu(), KernelActivation.leakyRelu(0.01),
                KernelActivation.lRelu(1.3, -0.4), KernelActivation.hTanh(0.8, 0.6), KernelActivation.hTanh(2.0, 3.5));
        for (KernelActivation f : closed) {
            for (double tau : new double[]{0.3, 1.0, 1.7}) {
                GaussianMoments exact = f.closedForm(tau).orElseThrow();
                assertMomentsEqual(exact, GaussianMoments.quadrature(f, tau, 64), 1e-8, f.name() + " at tau " + tau);
            }
        }
    }

    @Test
    void reluClosedFormIsTheNotesFormula() {
        // Derived by hand: d1 = 1/2, d2 = 1/(sqrt(2 pi) tau), d4 = 1 - 1/pi, v = tau^2 (pi - 1)/(2 pi)
        GaussianMoments m = KernelActivation.relu().closedForm(1.5).orElseThrow();
        assertEquals(0.5, m.d1(), 1e-15);
        assertEquals(1 / (Math.sqrt(2 * Math.PI) * 1.5), m.d2(), 1e-15);
        assertEquals(1 - 1 / Math.PI, m.d4(), 1e-15);
        assertEquals(2.25 * (Math.PI - 1) / (2 * Math.PI), m.variance(), 1e-15);
        assertEquals(1.5 / Math.sqrt(2 * Math.PI), m.mean(), 1e-15);
    }

    @Test
    void hermiteAgreesWithSplitLegendreOnSmoothActivations() {
        // two independent rules: Gauss-Hermite on R, Gauss-Legendre on [-14, 0] and [0, 14]
        for (KernelActivation f : List.of(KernelActivation.tanh(), KernelActivation.swish())) {
            GaussianMoments hermite = GaussianMoments.quadrature(f, 1.1, 400);
            GaussianMoments legendre = GaussianMoments.quadrature(new SplitAtZero(f), 1.1, 120);
            assertMomentsEqual(hermite, legendre, 1e-12, f.name());
        }
    }

    @Test
    void quadratureOfTanhSwishEluConvergesInTheAlphas() {
        for (String name : List.of("tanh", "swish", "elu")) {
            KernelActivation f = KernelActivation.named(name);
            DeqKernelTheory coarse = DeqKernelTheory.solve(f, 0.2, 1.0, GaussianMoments.DEFAULT_NODES);
            DeqKernelTheory fine = DeqKernelTheory.solve(f, 0.2, 1.0, 2 * GaussianMoments.DEFAULT_NODES);
            double[] a = {coarse.tau(), coarse.alpha1(), coarse.alpha2(), coarse.alpha3(), coarse.alpha4()};
            double[] b = {fine.tau(), fine.alpha1(), fine.alpha2(), fine.alpha3(), fine.alpha4()};
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) < 1e-10, name + " scalar " + i + ": " + a[i] + " vs " + b[i]);
            }
        }
    }

    @Test
    void steinFormOfD1MatchesTheDerivative() {
        // d1 is computed as E[xi phi]/tau; E phi' by the same rule must agree (Stein's lemma)
        for (String name : KernelActivation.NAMES) {
            KernelActivation f = KernelActivation.named(name);
            GaussianMoments m = GaussianMoments.quadrature(f, 0.9, 160);
            GaussianMoments derivative = GaussianMoments.quadrature(new Derivative(f), 0.9, 160);
            assertEquals(m.d1(), derivative.mean(), 1e-10, name);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelActivation.named("rellu"));
        assertTrue(e.getMessage().contains("activation") && e.getMessage().contains("relu"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaussianMoments.of(KernelActivation.relu(), 0));
        assertThrows(IllegalArgumentException.class, () -> KernelActivation.hTanh(1, -1));
    }

    /** f with an artificial split point at 0 (forces the Legendre rule on a smooth function). */
    private record SplitAtZero(KernelActivation f) implements KernelActivation {
        public String name() { return f.name(); }
        public double value(double x) { return f.value(x); }
        public double derivative(double x) { return f.derivative(x); }
        public ai.djl.ndarray.NDArray value(ai.djl.ndarray.NDArray x) { return f.value(x); }
        public ai.djl.ndarray.NDArray derivative(ai.djl.ndarray.NDArray x) { return f.derivative(x); }
        public double[] kinks() { return new double[]{0}; }
    }

    /** f' as an activation, with f's kinks, so that its Gaussian mean is E f'. */
    private record Derivative(KernelActivation f) implements KernelActivation {
        public String name() { return f.name() + "'"; }
        public double value(double x) { return f.derivative(x); }
        public double derivative(double x) { return 0; }   // not read: only the mean is
        public ai.djl.ndarray.NDArray value(ai.djl.ndarray.NDArray x) { return f.derivative(x); }
        public ai.djl.ndarray.NDArray derivative(ai.djl.ndarray.NDArray x) { throw new UnsupportedOperationException("only the Gaussian mean of f' is computed here"); }
        public double[] kinks() { return f.kinks(); }
    }
}
