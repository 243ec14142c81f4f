package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.deqnc.engine.Engines;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolverTest {

    /** The Dottie number, the unique real solution of cos x = x (OEIS A003957). */
    private static final double DOTTIE = 0.739085133215160641655312087673873404;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * A registered solver, or "anderson-device": Anderson with its window on the device even for CPU arrays (the
     * path GPU arrays take; CPU arrays otherwise keep the window on the host, see HostAnderson).
     */
    static Solver solver(String name) {
        return name.equals("anderson-device") ? new AndersonSolver(false) : Solvers.get(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"picard", "anderson", "anderson-device", "broyden"})
    void cosineFixedPointIsTheDottieNumber(String name) {
        NDArray z0 = manager.create(new double[] {0, 1, -1, 2}, new Shape(4, 1));
        SolverResult r = solver(name).solve(NDArray::cos, z0,
                SolverOptions.builder().tol(1e-12).maxIter(200).stopMode(StopMode.ABS).build());
        for (double z : r.z().toDoubleArray()) {
            assertEquals(DOTTIE, z, 1e-11, name);
        }
        assertTrue(r.stats().converged());
        assertEquals(List.of(name.replace("-device", "")), r.stats().solvers());
        assertEquals(r.z().getManager(), manager);
    }

    /** f(z) = A z + c per sample with ‖A‖₂ = 0.9; the answer (I − A)⁻¹ c comes from Hipparchus' LU. */
    @ParameterizedTest
    @ValueSource(strings = {"picard", "anderson", "anderson-device", "broyden"})
    void linearSystemMatchesDirectSolve(String name) {
        int d = 5;
        int b = 3;
        Random rnd = new Random(7);
        RealMatrix a = scaledToSpectralNorm(randomMatrix(rnd, d, d), 0.9);
        double[][] c = new double[b][d];
        for (double[] row : c) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        NDArray at = manager.create(a.transpose().getData());
        NDArray cn = manager.create(c);
        UnaryOperator<NDArray> f = z -> z.matMul(at).addi(cn);
        SolverResult r = solver(name).solve(f, manager.zeros(new Shape(b, d), cn.getDataType()),
                SolverOptions.builder().tol(1e-12).maxIter(400).stopMode(StopMode.ABS).build());
        LUDecomposition lu = new LUDecomposition(MatrixUtils.createRealIdentityMatrix(d).subtract(a));
        double[] got = r.z().toDoubleArray();
        for (int s = 0; s < b; s++) {
            double[] want = lu.getSolver().solve(new ArrayRealVector(c[s])).toArray();
            for (int j = 0; j < d; j++) {
                assertEquals(want[j], got[s * d + j], 1e-10, name + " sample " + s);
            }
        }
    }

    /**
     * tanh(W z + u) with ‖W‖₂ = 3 is not a contraction: plain iteration does not settle, while the
     * quasi-Newton solvers do (the situation of djl-notes §2.5).
     */
    @Test
    void andersonAndBroydenConvergeOnExpansiveTanhWherePicardDoesNot() {
        int d = 6;
        int b = 4;
        Random rnd = new Random(3);
        RealMatrix w = scaledToSpectralNorm(randomMatrix(rnd, d, d), 3.0);
        NDArray wt = manager.create(w.transpose().getData());
        NDArray inj = manager.create(randomMatrix(rnd, b, d).getData());
        UnaryOperator<NDArray> f = z -> z.matMul(wt).addi(inj).tanh();
        SolverOptions opt = SolverOptions.builder().tol(1e-10).maxIter(200).build();
        NDArray z0 = manager.zeros(new Shape(b, d), inj.getDataType());

        SolverStats picard = Solvers.get("picard").solve(f, z0, opt).stats();
        assertFalse(picard.converged(), picard.toString());
        assertTrue(picard.maxLowestRel() > 1e-3, picard.toString());
        for (String name : List.of("anderson", "anderson-device", "broyden")) {
            SolverResult r = solver(name).solve(f, z0, opt);
            assertTrue(r.stats().converged(), r.stats().toString());
            assertTrue(r.stats().iterations() < 100, r.stats().toString());
            // independent check of the answer: ‖f(z) − z‖ recomputed here
            try (NDArray res = f.apply(r.z()).sub(r.z())) {
                assertTrue(res.abs().max().getDouble() < 1e-9, name);
            }
        }
    }

    @Test
    void returnsLowestResidualIterateUnlessFinalIsRequested() {
        // f(z) = -z + 2 oscillates 0, 2, 0, 2 ... for Picard: every iterate has the same residual 2,
        // so the lowest is the first one (z = 0) while the final is the last iterate.
        NDArray z0 = manager.create(new double[] {0}, new Shape(1, 1));
        UnaryOperator<NDArray> f = z -> z.neg().addi(2);
        SolverOptions opt = SolverOptions.builder().maxIter(5).stopMode(StopMode.ABS).build();
        assertEquals(0.0, Solvers.get("picard").solve(f, z0, opt).z().getDouble(0, 0));
        // iterates: 0, 2, 0, 2, 0 -> the fifth (last) is 0 again; with 4 iterations the last is 2
        SolverOptions four = opt.toBuilder().maxIter(4).returnFinal(true).build();
        assertEquals(2.0, Solvers.get("picard").solve(f, z0, four).z().getDouble(0, 0));
    }

    /**
     * The host and device windows are one method: on the expansive tanh map of the test above, stopped after 8
     * iterations with residuals still falling unevenly, both return the same per-sample best iterate (and the same
     * last one when asked), residual traces and lowest steps, for β = 1 and β = 0.5, in float64 and float32.
     */
    @ParameterizedTest
    @ValueSource(strings = {"float64", "float32"})
    void hostAndDeviceAndersonAgree(String type) {
        DataType dt = DataType.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        double tol = dt == DataType.FLOAT64 ? 1e-9 : 2e-4;
        int d = 6;
        int b = 5;
        Random rnd = new Random(3);
        RealMatrix w = scaledToSpectralNorm(randomMatrix(rnd, d, d), 3.0);
        NDArray wt = manager.create(w.transpose().getData()).toType(dt, false);
        NDArray inj = manager.create(randomMatrix(rnd, b, d).getData()).toType(dt, false);
        UnaryOperator<NDArray> f = z -> z.matMul(wt).addi(inj).tanh();
        NDArray z0 = manager.zeros(new Shape(b, d), dt);
        for (double beta : new double[] {1.0, 0.5}) {
            for (boolean last : new boolean[] {false, true}) {
                SolverOptions opt = SolverOptions.builder().tol(1e-30).maxIter(8).beta(beta).returnFinal(last).build();
                SolverResult host = Solvers.get("anderson").solve(f, z0, opt);
                SolverResult device = solver("anderson-device").solve(f, z0, opt);
                String what = type + " beta " + beta + (last ? " last" : " best");
                assertEquals(dt, host.z().getDataType(), what);
                assertArrayEquals(device.z().toType(DataType.FLOAT64, false).toDoubleArray(),
                        host.z().toType(DataType.FLOAT64, false).toDoubleArray(), tol, what);
                for (int k = 0; k < 8; k++) {
                    assertArrayEquals(device.stats().absTrace()[k], host.stats().absTrace()[k], tol, what + " k " + k);
                }
                assertArrayEquals(device.stats().nstep(), host.stats().nstep(), what);
                assertEquals(8, host.stats().fEvals(), what);
            }
        }
    }

    /**
     * A map that offers its affine tail (an {@link AffineTailMap}) gets the same solve, bit for bit, as the same
     * map evaluated whole by libtorch: the tail done in Java on the way back is libtorch's multiply and add.
     * Scales and shifts that float32 cannot hold exactly check the rounding of the constants too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"float64", "float32"})
    void andersonAppliesAnAffineTailAsLibtorchDoes(String type) {
        DataType dt = DataType.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        int d = 37;
        int b = 6;
        Random rnd = new Random(8);
        NDArray wt = manager.create(scaledToSpectralNorm(randomMatrix(rnd, d, d), 3.0).transpose().getData())
                .toType(dt, false);
        NDArray inj = manager.create(randomMatrix(rnd, b, d).getData()).toType(dt, false);
        NDArray z0 = manager.zeros(new Shape(b, d), dt);
        for (double[] tail : new double[][] {{2, -1}, {0.3, 0.1}}) {
            UnaryOperator<NDArray> head = z -> ai.djl.nn.Activation.sigmoid(z.matMul(wt).addi(inj));
            NDArray scale = manager.create(tail[0]);
            NDArray shift = manager.create(tail[1]);
            UnaryOperator<NDArray> whole = z -> head.apply(z).muli(scale).addi(shift);
            AtomicInteger headCalls = new AtomicInteger();
            AffineTailMap split = countingTail(head, tail[0], tail[1], whole, headCalls);
            for (double beta : new double[] {1.0, 0.5}) {
                for (boolean last : new boolean[] {false, true}) {
                    SolverOptions opt = SolverOptions.builder().tol(1e-30).maxIter(9).beta(beta).returnFinal(last).build();
                    String what = type + " tail " + tail[0] + ", " + tail[1] + " beta " + beta + (last ? " last" : "");
                    headCalls.set(0);
                    SolverResult viaTail = Solvers.get("anderson").solve(split, z0, opt);
                    assertEquals(9, headCalls.get(), what);
                    SolverResult viaLibtorch = Solvers.get("anderson").solve(whole, z0, opt);
                    assertArrayEquals(viaLibtorch.z().toType(DataType.FLOAT64, false).toDoubleArray(),
                            viaTail.z().toType(DataType.FLOAT64, false).toDoubleArray(), 0, what);
                    for (int k = 0; k < 9; k++) {
                        assertArrayEquals(viaLibtorch.stats().absTrace()[k], viaTail.stats().absTrace()[k], 0, what);
                        assertArrayEquals(viaLibtorch.stats().relTrace()[k], viaTail.stats().relTrace()[k], 0, what);
                    }
                }
            }
        }
    }

    /**
     * CPU states of up to {@link HostAnderson#HOST_UP_TO} elements keep Anderson's window on the host, larger ones
     * go through libtorch's ops: seen from an affine tail, whose head only the host path calls, and from the larger
     * solve, which is the libtorch path's to the bit. States beyond {@link HostAnderson#LIBTORCH_UP_TO} come back to
     * the host (checked on the rule alone: such a solve needs gigabytes).
     */
    @Test
    void largeCpuStatesUseLibtorchsOps() {
        for (long elements : new long[] {HostAnderson.HOST_UP_TO, HostAnderson.HOST_UP_TO + 1}) {
            Shape shape = new Shape(1, elements);
            NDArray inj = manager.randomNormal(0, 1, shape, DataType.FLOAT32);
            NDArray half = manager.create(0.5f);
            UnaryOperator<NDArray> head = z -> ai.djl.nn.Activation.sigmoid(z.mul(half).addi(inj));
            UnaryOperator<NDArray> whole = z -> head.apply(z).muli(manager.create(2f)).subi(manager.create(1f));
            AtomicInteger headCalls = new AtomicInteger();
            AffineTailMap split = countingTail(head, 2, -1, whole, headCalls);
            NDArray z0 = manager.zeros(shape, DataType.FLOAT32);
            SolverOptions opt = SolverOptions.builder().tol(1e-30).maxIter(6).build();
            SolverResult r = Solvers.get("anderson").solve(split, z0, opt);
            boolean onHost = elements <= HostAnderson.HOST_UP_TO;
            assertEquals(onHost ? 6 : 0, headCalls.get(), elements + " elements");
            if (!onHost) {
                SolverResult libtorch = solver("anderson-device").solve(whole, z0, opt);
                assertArrayEquals(libtorch.z().toFloatArray(), r.z().toFloatArray(), 0f);
            }
        }
        for (long elements : new long[] {HostAnderson.LIBTORCH_UP_TO, HostAnderson.LIBTORCH_UP_TO + 1}) {
            try (NDManager m = manager.newSubManager()) {
                NDArray state = m.zeros(new Shape(4, elements / 4 + elements % 4), DataType.FLOAT32);
                assertEquals(state.getShape().size() > HostAnderson.LIBTORCH_UP_TO, HostAnderson.applies(state),
                        state.getShape().toString());
            }
        }
    }

    /** {@code whole} offering its split head · scale + shift, counting the head's calls in {@code calls}. */
    private static AffineTailMap countingTail(UnaryOperator<NDArray> head, double scale, double shift,
            UnaryOperator<NDArray> whole, AtomicInteger calls) {
        return new AffineTailMap() {
            @Override
            public Split split() {
                return new Split(z -> {
                    calls.incrementAndGet();
                    return head.apply(z);
                }, scale, shift);
            }

            @Override
            public NDArray apply(NDArray z) {
                return whole.apply(z);
            }
        };
    }

    @Test
    void andersonOnTheHostReportsNonFiniteResidualsAndInterrupts() {
        NDArray z0 = manager.create(new float[] {1, 1, 1, 1}, new Shape(2, 2));
        SolverDivergedException e = assertThrows(SolverDivergedException.class,
                () -> Solvers.get("anderson").solve(z -> z.sub(2).sqrt(), z0, SolverOptions.defaults()));
        assertEquals("anderson: diverged at iteration 1: residual is NaN or Inf for 2 of 2 samples", e.getMessage());
        int before = manager.getManagedArrays().size();
        SolverDivergedException blowUp = assertThrows(SolverDivergedException.class,
                () -> Solvers.get("anderson").solve(z -> z.mul(2).addi(1), z0, SolverOptions.builder().m(1)
                        .maxIter(100).build()));
        assertTrue(blowUp.getMessage().startsWith("anderson: diverged at iteration 11: abs residual"),
                blowUp.getMessage());
        assertEquals(before, manager.getManagedArrays().size(), "a failed solve leaves no arrays behind");
    }

    @Test
    void statsTracePerSampleResiduals() {
        // f(z) = z / 2: Picard from z0 halves z, residual |f(z) - z| = |z| / 2 -> 0.5 * z0 * 2^-k
        NDArray z0 = manager.create(new double[] {1, 4}, new Shape(2, 1));
        SolverStats s = Solvers.get("picard").solve(z -> z.div(2), z0,
                SolverOptions.builder().maxIter(3).tol(1e-30).stopMode(StopMode.ABS).build()).stats();
        assertEquals(3, s.iterations());
        assertArrayEquals(new double[] {0.5, 2}, s.absTrace()[0], 1e-15);
        assertArrayEquals(new double[] {0.125, 0.5}, s.absTrace()[2], 1e-15);
        assertArrayEquals(new double[] {2, 1, 0.5}, s.batchMaxAbsTrace(), 1e-15);
        assertArrayEquals(new int[] {3, 3}, s.nstep());
        // rel residual = |z/2| / (|z/2| + 1e-9) ~ 1 for this map
        assertEquals(1.0, s.relTrace()[1][0], 1e-8);
        assertEquals(3, s.fEvals());
        assertFalse(s.converged());
        assertEquals(1, s.warnings().size());
        assertTrue(s.warnings().get(0).startsWith("picard: lowest rel residual 1.000e+00 > 0.05 after 3 iterations"),
                s.warnings().get(0));
    }

    @Test
    void interruptStopsWithinOneIterationAndKeepsTheFlag() {
        AtomicInteger calls = new AtomicInteger();
        UnaryOperator<NDArray> f = z -> {
            if (calls.incrementAndGet() == 3) {
                Thread.currentThread().interrupt();
            }
            return z.cos();
        };
        NDArray z0 = manager.zeros(new Shape(2, 3), DataType.FLOAT64);
        SolverInterruptedException e = assertThrows(SolverInterruptedException.class,
                () -> Solvers.get("anderson").solve(f, z0, SolverOptions.builder().tol(1e-14).maxIter(50).build()));
        assertEquals("anderson: interrupted after 3 iterations (max_iter=50)", e.getMessage());
        assertEquals(3, calls.get());
        assertEquals(3, e.stats().iterations());
        assertTrue(Thread.interrupted()); // flag was restored (and is cleared here)
    }

    @Test
    void nonFiniteResidualIsDivergence() {
        NDArray z0 = manager.create(new double[] {1, 1}, new Shape(2, 1));
        // sqrt(z - 2) is NaN for z < 2 in both samples
        SolverDivergedException e = assertThrows(SolverDivergedException.class,
                () -> Solvers.get("picard").solve(z -> z.sub(2).sqrt(), z0, SolverOptions.defaults()));
        assertEquals("picard: diverged at iteration 1: residual is NaN or Inf for 2 of 2 samples", e.getMessage());
        assertEquals(1, e.stats().iterations());
    }

    @Test
    void residualBlowUpIsDivergence() {
        // f(z) = 2z + 1 from 0: z_k = 2^k - 1, residual z_k + 1 = 2^k; first > 1000 * 1 at k = 10 (2^10 = 1024),
        // which is iteration 11 (iteration 1 is z_0).
        NDArray z0 = manager.zeros(new Shape(1, 1), DataType.FLOAT64);
        SolverDivergedException e = assertThrows(SolverDivergedException.class,
                () -> Solvers.get("picard").solve(z -> z.mul(2).addi(1), z0,
                        SolverOptions.builder().maxIter(100).build()));
        assertEquals("picard: diverged at iteration 11: abs residual 1.024e+03 > 1000 x the initial 1.000e+00",
                e.getMessage());
    }

    @Test
    void noConvergenceFailsOnlyWhenRequired() {
        NDArray z0 = manager.create(new double[] {0}, new Shape(1, 1));
        UnaryOperator<NDArray> f = z -> z.neg().addi(2); // residual 2, rel residual 2 / (2 + 1e-9) or 2/(0+..)
        SolverOptions strict = SolverOptions.builder().maxIter(5).stopMode(StopMode.ABS).requireConverged(true).build();
        SolverDivergedException e = assertThrows(SolverDivergedException.class,
                () -> Solvers.get("picard").solve(f, z0, strict));
        assertEquals("picard: no convergence in 5 iterations: lowest abs residual 2.000e+00 > tol 1.000e-04",
                e.getMessage());
    }

    @Test
    void fallbackChainRecordsWhyEachSolverWasLeft() {
        // f(z) = -2z + 3 (fixed point 1): Picard's residual 3 * 2^k blows up past 1000 x 3 at k = 10
        // (iteration 11); Anderson solves a scalar linear problem exactly after one secant step.
        NDArray z0 = manager.zeros(new Shape(1, 1), DataType.FLOAT64);
        UnaryOperator<NDArray> f = z -> z.mul(-2).addi(3);
        SolverResult r = Solvers.chain(List.of("picard", "anderson")).solve(f, z0,
                SolverOptions.builder().maxIter(50).tol(1e-12).build());
        assertEquals(1.0, r.z().getDouble(0, 0), 1e-12);
        assertEquals(List.of("picard", "anderson"), r.stats().solvers());
        assertEquals(List.of("picard: diverged at iteration 11: abs residual 3.072e+03 > 1000 x the initial 3.000e+00"
                + " -> trying anderson"), r.stats().fallbacks());
        assertTrue(r.stats().fEvals() > 11);
    }

    @Test
    void exhaustedFallbackChainThrowsWithHistory() {
        NDArray z0 = manager.create(new double[] {1}, new Shape(1, 1));
        SolverDivergedException e = assertThrows(SolverDivergedException.class,
                () -> Solvers.chain(List.of("anderson", "broyden", "picard")).solve(z -> z.sub(2).sqrt(), z0,
                        SolverOptions.defaults()));
        assertEquals("picard: diverged at iteration 1: residual is NaN or Inf for 1 of 1 samples", e.getMessage());
        assertEquals(List.of("anderson", "broyden", "picard"), e.stats().solvers());
        assertEquals(2, e.stats().fallbacks().size());
    }

    @Test
    void shapeMismatchIsRejected() {
        NDArray z0 = manager.zeros(new Shape(4, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.get("anderson").solve(z -> z.get(":, :3"), z0, SolverOptions.defaults()));
        assertEquals("anderson: f returned shape (4, 3) for an input of shape (4, 5); f must map z to an array of the "
                + "same shape", e.getMessage());
    }

    @Test
    void unknownSolverSuggestsTheNearestName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Solvers.get("andersen"));
        assertEquals("unknown solver 'andersen' (did you mean 'anderson'?); accepted: picard, anderson, broyden",
                e.getMessage().replaceAll(", test-[a-z0-9-]+", ""));
    }

    @Test
    void usersCanRegisterSolvers() {
        Solvers.register("test-picard-half", () -> new Solver() {
            @Override
            public String name() {
                return "test-picard-half";
            }

            @Override
            public SolverResult solve(UnaryOperator<NDArray> f, NDArray z0, SolverOptions options) {
                return Solvers.get("picard").solve(f, z0, options.toBuilder().tau(0.5).build());
            }
        });
        assertTrue(Solvers.names().contains("test-picard-half"));
        NDArray z0 = manager.create(new double[] {0}, new Shape(1, 1));
        assertEquals(DOTTIE, Solvers.get("test-picard-half").solve(NDArray::cos, z0,
                SolverOptions.builder().tol(1e-12).maxIter(100).build()).z().getDouble(0, 0), 1e-10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.register("anderson", AndersonSolver::new));
        assertEquals("solver 'anderson' is already registered", e.getMessage());
    }

    @Test
    void noArrayLeaksAcrossSolves() {
        NDArray z0 = manager.zeros(new Shape(8, 16));
        int before = manager.getManagedArrays().size();
        for (String name : List.of("picard", "anderson", "anderson-device", "broyden")) {
            for (int i = 0; i < 20; i++) {
                solver(name).solve(z -> z.mul(0.5).addi(1).tanh(), z0, SolverOptions.defaults()).z().close();
            }
        }
        assertEquals(before, manager.getManagedArrays().size());
    }

    static RealMatrix randomMatrix(Random rnd, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return new Array2DRowRealMatrix(a, false);
    }

    static RealMatrix scaledToSpectralNorm(RealMatrix a, double norm) {
        return a.scalarMultiply(norm / new SingularValueDecomposition(a).getNorm());
    }
}
