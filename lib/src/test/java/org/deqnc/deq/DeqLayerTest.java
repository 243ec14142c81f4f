package org.deqnc.deq;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.deqnc.config.ConfigException;
import org.deqnc.engine.Engines;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.EigenDecompositionNonSymmetric;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeqLayerTest {

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
     * JFB and phantom gradients are approximations of the implicit one. Theory (Fung et al. 2022) only
     * says JFB is a descent direction (cos > 0) for contractive f; the floors below are measured on
     * this seeded problem with margin, and phantom with k=5 must beat JFB (it is closer to the
     * Neumann series of (I - J)^-1).
     */
    @Test
    void jfbAndPhantomGradientsPointLikeTheTrueGradient() {
        Shape input = new Shape(3, 4);
        Map<String, double[]> truth = new GradientCheck(manager, new DeqBlock(DeqGradientTest.exact("mlp").build()),
                input).finiteDifferences(1e-5);
        double[] cos = new double[2];
        String[] modes = {"jfb", "phantom"};
        for (int i = 0; i < 2; i++) {
            DeqBlock block = new DeqBlock(DeqGradientTest.exact("mlp").set("backward", modes[i]).build());
            Map<String, double[]> approx = new GradientCheck(manager, block, input).autograd();
            cos[i] = GradientCheck.cosine(concat(approx), concat(truth));
        }
        System.out.printf("cosine with the true gradient: jfb %.4f, phantom(5, 0.5) %.4f%n", cos[0], cos[1]);
        assertTrue(cos[0] > 0.5, "jfb cosine " + cos[0]);
        assertTrue(cos[1] > cos[0] && cos[1] > 0.9, "phantom cosine " + cos[1]);
    }

    /** DeqTrainer: DJL's ordinary collector / forward / backward / step gets the implicit gradient. */
    @Test
    void deqTrainerDeliversImplicitGradientsThroughDjlTrainer() {
        DeqConfig cfg = DeqGradientTest.exact("mlp").build();
        SequentialBlock net = new SequentialBlock().add(new DeqBlock(cfg))
                .add(Linear.builder().setUnits(3).build());
        try (Model model = Model.newInstance("deq", Engines.pytorch().getEngineName())) {
            model.setDataType(DataType.FLOAT64);
            model.setBlock(net);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            DefaultTrainingConfig tc = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
            try (Trainer trainer = new DeqTrainer(model, tc)) {
                trainer.initialize(new Shape(3, 4));
                NDArray x = SeededNormal.gaussian(manager, new Shape(3, 4), DataType.FLOAT64, 1.0, 5);
                NDArray y = manager.create(new double[] {0, 2, 1});
                Parameter w = param(net.getChildren().get(0).getValue(), "W");
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    gc.backward(loss.evaluate(new NDList(y), trainer.forward(new NDList(x))));
                }
                double[] grad;
                try (NDArray g = w.getArray().getGradient()) {
                    grad = g.toDoubleArray();
                }
                // central differences of the same loss in W
                ParameterStore ps = new ParameterStore(manager, false);
                NDArray arr = w.getArray();
                double[] fd = new double[grad.length];
                for (int i = 0; i < fd.length; i++) {
                    double[] e = new double[fd.length];
                    e[i] = 1e-5;
                    try (NDArray d = manager.create(e, arr.getShape()); NDArray orig = arr.duplicate()) {
                        arr.addi(d);
                        double plus = loss.evaluate(new NDList(y), net.forward(ps, new NDList(x), false)).getDouble();
                        arr.subi(d).subi(d);
                        double minus = loss.evaluate(new NDList(y), net.forward(ps, new NDList(x), false))
                                .getDouble();
                        arr.subi(arr).addi(orig);
                        fd[i] = (plus - minus) / 2e-5;
                    }
                }
                assertTrue(GradientCheck.relativeError(grad, fd) < 1e-6, "rel err "
                        + GradientCheck.relativeError(grad, fd));
            }
        }
    }

    @Test
    void implicitBackwardUnderAPlainCollectorFailsClearly() {
        DeqBlock block = new DeqBlock(DeqConfig.parse("hidden=4"));
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
        ParameterStore ps = new ParameterStore(manager, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                block.forward(ps, new NDList(manager.ones(new Shape(2, 3))), true);
            }
        });
        assertEquals("deq: backward=implicit and jac_reg > 0 need a DeqGradientCollector (DeqGradientCollector.open() "
                + "or a DeqTrainer); got a plain gradient collector. Use one of those, or backward=jfb|phantom with "
                + "jac_reg=0", e.getMessage());
    }

    @Test
    void wrongInputShapeOrDtypeIsRejected() {
        DeqBlock block = new DeqBlock(DeqConfig.parse("hidden=4"));
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
        ParameterStore ps = new ParameterStore(manager, false);
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> block.forward(ps, new NDList(manager.ones(new Shape(2, 3, 1))), false));
        assertEquals("mlp cell: expects input of shape (batch, features), got (2, 3, 1)", rank.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> block.forward(ps, new NDList(manager.ones(new Shape(2, 5))), false));
        assertEquals("mlp cell: was initialised for 3 input features, got input of shape (2, 5)", width.getMessage());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> block.forward(ps, new NDList(manager.ones(new Shape(2, 3), DataType.FLOAT64)), false));
        assertEquals("deqblock: input dtype float64 does not match dtype=float32", dtype.getMessage());
    }

    @Test
    void unknownConfigKeyIsRejectedWithSuggestion() {
        ConfigException e = assertThrows(ConfigException.class, () -> DeqConfig.parse("hidden=8 maxiter=5"));
        assertTrue(e.getMessage().startsWith("deq: unknown key 'maxiter' (did you mean 'max_iter'?); accepted keys: "
                + "cell, act, hidden,"), e.getMessage());
        ConfigException s = assertThrows(ConfigException.class, () -> DeqConfig.parse("solver=andersen"));
        assertEquals("deq: solver must be one of picard, anderson, broyden, got 'andersen' (did you mean "
                + "'anderson'?)", s.getMessage().replaceAll(", test-[a-z-]+", ""));
    }

    @Test
    void configRoundTripsAndBuilderMatchesParsing() {
        DeqConfig parsed = DeqConfig.parse("cell=mlp hidden=256 solver=anderson m=5 tol=1e-4 max_iter=30 "
                + "backward=jfb fallback=broyden,picard");
        DeqConfig built = DeqConfig.builder().hidden(256).backward(Backward.JFB).tol(1e-4).maxIter(30)
                .set("fallback", java.util.List.of("broyden", "picard")).build();
        assertEquals(parsed, built);
        assertEquals(parsed, DeqConfig.parse(parsed.toString()));
        assertEquals("anderson->broyden->picard", parsed.forwardSolver().name());
        assertTrue(parsed.toString().contains("hidden=256"), parsed.toString());
        assertTrue(parsed.table().contains("\nbackward           jfb"), parsed.table());
    }

    /** Linear cell: z* = (I - W)^-1 (U x + b), checked against Hipparchus' LU with the layer's own W, U, b. */
    @Test
    void linearCellFixedPointMatchesDirectSolveAndUnrolledLayerMatchesNeumannSum() {
        DeqConfig cfg = DeqGradientTest.exact("linear").build();
        DeqBlock deq = new DeqBlock(cfg);
        deq.initialize(manager, DataType.FLOAT64, new Shape(2, 4));
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray x = SeededNormal.gaussian(manager, new Shape(2, 4), DataType.FLOAT64, 1.0, 9);
        RealMatrix w;
        try (NDManager s = manager.newSubManager()) {
            w = matrix(((LinearCell) deq.cells().get(0)).recurrentWeight(ps, s, false));
        }
        RealMatrix u = matrix(param(deq, "U").getArray());
        RealMatrix xm = matrix(x);
        double[] z = deq.forward(ps, new NDList(x), false).head().toDoubleArray();
        LUDecomposition lu = new LUDecomposition(MatrixUtils.createRealIdentityMatrix(5).subtract(w));
        for (int s = 0; s < 2; s++) {
            double[] inj = u.operate(xm.getRow(s)); // b = 0 at initialisation
            double[] want = lu.getSolver().solve(new ArrayRealVector(inj)).toArray();
            for (int j = 0; j < 5; j++) {
                assertEquals(want[j], z[s * 5 + j], 1e-12);
            }
        }
        // 3 weight-tied steps from 0: z = (I + W + W^2) U x
        CellLayer tied = CellLayer.unrolled(cfg, 3);
        tied.initialize(manager, DataType.FLOAT64, new Shape(2, 4)); // same seed -> same W, U as the DEQ cell
        double[] z3 = tied.forward(ps, new NDList(x), false).head().toDoubleArray();
        RealMatrix neumann = MatrixUtils.createRealIdentityMatrix(5).add(w).add(w.multiply(w));
        for (int s = 0; s < 2; s++) {
            double[] want = neumann.operate(u.operate(xm.getRow(s)));
            for (int j = 0; j < 5; j++) {
                assertEquals(want[j], z3[s * 5 + j], 1e-12);
            }
        }
        CellLayer untied = CellLayer.untied(cfg, 3);
        untied.initialize(manager, DataType.FLOAT64, new Shape(2, 4));
        assertEquals(3, untied.cells().size());
        assertEquals(new Shape(2, 5), untied.forward(ps, new NDList(x), false).head().getShape());
    }

    /** Power method vs the eigenvalues of W itself (linear cell: J = W), W made symmetric so they are real. */
    @Test
    void spectralRadiusMatchesEigenvalues() {
        DeqConfig cfg = DeqGradientTest.exact("linear").set("sradius", true).set("sradius_iters", 300).build();
        DeqBlock deq = new DeqBlock(cfg);
        deq.initialize(manager, DataType.FLOAT64, new Shape(2, 4));
        NDArray v = param(deq, "W").getArray();
        try (NDArray sym = v.add(v.transpose())) {
            v.subi(v).addi(sym);
        }
        ParameterStore ps = new ParameterStore(manager, false);
        RealMatrix w;
        try (NDManager s = manager.newSubManager()) {
            w = matrix(((LinearCell) deq.cells().get(0)).recurrentWeight(ps, s, false));
        }
        deq.forward(ps, new NDList(manager.ones(new Shape(2, 4), DataType.FLOAT64)), false);
        double rho = 0;
        for (var ev : new EigenDecompositionNonSymmetric(w).getEigenvalues()) {
            rho = Math.max(rho, ev.norm());
        }
        assertEquals(rho, deq.lastForwardStats().spectralRadius().getAsDouble(), 1e-6 * rho);
    }

    /** For the linear cell J = W and ||W||_F = c exactly, so E[penalty] = E||W e||^2 / h = c^2 / h. */
    @Test
    void hutchinsonPenaltyIsUnbiasedForTheLinearCell() {
        DeqConfig cfg = DeqGradientTest.exact("linear").build();
        DeqCell cell = cfg.newCell(0);
        cell.initialize(manager, DataType.FLOAT64, new Shape(8, 5), new Shape(8, 4));
        ParameterStore ps = new ParameterStore(manager, false);
        double sum = 0;
        int n = 400;
        try (NDManager s = manager.newSubManager()) {
            BoundCell f = cell.bind(ps, s.ones(new Shape(8, 4), DataType.FLOAT64), false, s);
            NDArray z = s.zeros(new Shape(8, 5), DataType.FLOAT64);
            for (int i = 0; i < n; i++) {
                try (NDArray p = Jacobians.hutchinson(f, z, i)) {
                    sum += p.getDouble();
                }
            }
        }
        double c = cfg.get(DeqConfig.CONTRACTION);
        // each probe averages 8 samples x 5 dims; 400 probes: standard error well below 5%
        assertEquals(c * c / 5, sum / n, 0.05 * c * c / 5);
    }

    /**
     * The tanh MLP cell's grad-off f folds the sigmoid identity's doubling into 2W and 2(Ux + b): its values must
     * be those of tanhOfHalf(2·pre) bit for bit (doubling is exact), and within float32 rounding of tanh.
     */
    @Test
    void mlpCellsGradOffTanhEqualsTheUnfoldedIdentityBitForBit() {
        DeqConfig cfg = DeqConfig.parse("cell=mlp act=tanh hidden=16 seed=3");
        MlpCell cell = (MlpCell) cfg.newCell(0);
        cell.initialize(manager, DataType.FLOAT32, new Shape(8, 16), new Shape(8, 12));
        ParameterStore ps = new ParameterStore(manager, false);
        try (NDManager s = manager.newSubManager(); GradMode off = GradMode.off()) {
            NDArray x = s.randomNormal(new Shape(8, 12));
            BoundCell f = cell.bind(ps, x, false, s);
            NDArray z = s.randomNormal(new Shape(8, 16));
            float[] folded = f.apply(z).toFloatArray();
            float[] again = f.apply(z).toFloatArray(); // the doubled weights made once, reused
            NDArray pre = ai.djl.nn.core.Linear.linear(z, cell.recurrentWeight(ps, s, false), cell.injection(ps, x, s,
                    false)).singletonOrThrow();
            float[] unfolded = Activation.tanhOfHalf(pre.mul(2)).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(unfolded, folded, 0f);
            org.junit.jupiter.api.Assertions.assertArrayEquals(unfolded, again, 0f);
            org.junit.jupiter.api.Assertions.assertArrayEquals(pre.tanh().toFloatArray(), folded, 1e-6f);
        }
    }

    /** The parameter whose name (after DJL's block prefixes) is {@code name}. */
    static Parameter param(ai.djl.nn.Block block, String name) {
        return block.getParameters().stream().filter(p -> p.getValue().getName().equals(name)).findFirst()
                .orElseThrow().getValue();
    }

    private static RealMatrix matrix(NDArray a) {
        int r = (int) a.getShape().get(0);
        int c = (int) a.getShape().get(1);
        double[] v = a.toDoubleArray();
        double[][] m = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(v, i * c, m[i], 0, c);
        }
        return new Array2DRowRealMatrix(m, false);
    }

    private static double[] concat(Map<String, double[]> grads) {
        return grads.values().stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * 500 training steps through DeqTrainer (implicit backward, Jacobian penalty, spectral norm, Adam):
     * the number of live arrays in the model's and the data's managers must not grow.
     */
    @Test
    void noArrayLeakOver500TrainingSteps() {
        DeqConfig cfg = DeqConfig.parse("hidden=8 jac_reg=0.1 norm=spectral sradius=true sradius_iters=3 "
                + "fallback=broyden");
        SequentialBlock net = new SequentialBlock().add(new DeqBlock(cfg)).add(Linear.builder().setUnits(3).build());
        try (Model model = Model.newInstance("leak", Engines.pytorch().getEngineName())) {
            model.setBlock(net);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            DefaultTrainingConfig tc = new DefaultTrainingConfig(loss).optOptimizer(Optimizer.adam().build());
            try (Trainer trainer = new DeqTrainer(model, tc)) {
                trainer.initialize(new Shape(4, 6));
                NDArray x = SeededNormal.gaussian(manager, new Shape(4, 6), DataType.FLOAT32, 1.0, 5);
                NDArray y = manager.create(new float[] {0, 2, 1, 2});
                int[] counts = new int[2];
                for (int step = 0; step < 500; step++) {
                    try (NDManager batch = manager.newSubManager()) {
                        NDArray xb = x.duplicate();
                        NDArray yb = y.duplicate();
                        xb.attach(batch);
                        yb.attach(batch);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            gc.backward(loss.evaluate(new NDList(yb), trainer.forward(new NDList(xb))));
                        }
                        trainer.step();
                    }
                    if (step == 9) {
                        counts[0] = model.getNDManager().getManagedArrays().size();
                        counts[1] = manager.getManagedArrays().size();
                    }
                }
                assertEquals(counts[0], model.getNDManager().getManagedArrays().size(), "model manager");
                assertEquals(counts[1], manager.getManagedArrays().size(), "data manager");
            }
        }
    }
}
