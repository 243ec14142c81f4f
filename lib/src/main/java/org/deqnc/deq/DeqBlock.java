package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.deqnc.solver.Solver;
import org.deqnc.solver.SolverOptions;
import org.deqnc.solver.SolverResult;
import org.deqnc.solver.SolverStats;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A deep-equilibrium layer: z* = f(z*, x) for a {@link DeqCell} f, solved from z = 0 by the
 * configured solver (and fallback chain) with grad mode off, so the forward stores no graph.
 *
 * <p>Gradients, in a training forward under a gradient collector, per {@link Backward}:
 * {@code jfb}/{@code phantom} back-propagate through one/k steps of f from z* (any collector);
 * {@code implicit} returns z* as a leaf and lets the {@link DeqGradientCollector} (or
 * {@link DeqTrainer}) solve the adjoint fixed point at backward time. Inference returns z*.
 *
 * <pre>{@code
 * DeqBlock deq = new DeqBlock(DeqConfig.parse("hidden=256 backward=implicit"));
 * Block model = new SequentialBlock().add(deq).add(Linear.builder().setUnits(10).build());
 * // train with new DeqTrainer(model, trainingConfig); deq.lastForwardStats() after each step
 * }</pre>
 */
public class DeqBlock extends CellLayer {

    private final DeqCell cell;
    private final Solver forwardSolver;
    private final Solver backwardSolver;
    private final SolverOptions forwardOptions;
    private final SolverOptions backwardOptions;
    private final AtomicLong probes = new AtomicLong();
    private volatile SolverStats lastForward;
    private volatile SolverStats lastBackward;
    private volatile double lastJacobianPenalty = Double.NaN;

    public DeqBlock(DeqConfig config) {
        this(config, config.newCell(0));
    }

    /** A DEQ layer around a custom cell (the config still supplies solver and backward settings). */
    public DeqBlock(DeqConfig config, DeqCell cell) {
        super(config);
        this.cell = addChildBlock("cell", cell);
        forwardSolver = config.forwardSolver();
        backwardSolver = config.backwardSolver();
        forwardOptions = config.forwardOptions();
        backwardOptions = config.backwardOptions();
    }

    @Override
    public List<DeqCell> cells() {
        return List.of(cell);
    }

    /** Stats of the latest forward solve (with the spectral radius when {@code sradius=true}). */
    public SolverStats lastForwardStats() {
        return lastForward;
    }

    /** Stats of the latest adjoint solve of the implicit backward, or null before the first. */
    public SolverStats lastBackwardStats() {
        return lastBackward;
    }

    /** The latest Jacobian penalty value (before the jac_reg weight), NaN when not computed. */
    public double lastJacobianPenalty() {
        return lastJacobianPenalty;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape(), x.getDataType());
        boolean track = training && GradMode.isOn();
        double jacReg = config.get(DeqConfig.JAC_REG);
        DeqGradientCollector collector = DeqGradientCollector.active();
        if (track && collector == null && (config.backward() == Backward.IMPLICIT || jacReg > 0)) {
            throw new IllegalStateException("deq: backward=implicit and jac_reg > 0 need a DeqGradientCollector "
                    + "(DeqGradientCollector.open() or a DeqTrainer); got a plain gradient collector. Use one of "
                    + "those, or backward=jfb|phantom with jac_reg=0");
        }
        NDManager out = x.getManager();
        NDManager step = out.newSubManager();
        boolean deferred = false;
        try {
            BoundCell f = cell.bind(ps, x, training, step);
            NDArray zstar = solve(f, step.zeros(stateShape(x.getShape()), x.getDataType()));
            if (!track) {
                zstar.attach(out);
                return new NDList(zstar);
            }
            if (jacReg > 0) {
                NDArray penalty = Jacobians.hutchinson(f, zstar, config.seed() * 7919 + probes.incrementAndGet());
                lastJacobianPenalty = penalty.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                NDArray weighted = Scopes.mul(penalty, jacReg);
                weighted.attach(out);
                collector.addPenalty(weighted);
            }
            NDArray z;
            switch (config.backward()) {
                case JFB:
                    z = unroll(f, zstar, 1, 1.0);
                    break;
                case PHANTOM:
                    z = unroll(f, zstar, config.get(DeqConfig.PHANTOM_K), config.get(DeqConfig.PHANTOM_TAU));
                    break;
                default:
                    z = zstar;
                    z.setRequiresGradient(true);
                    collector.defer(new ImplicitBackward(f, z, step));
                    deferred = true;
            }
            z.attach(out);
            return new NDList(z);
        } finally {
            if (!deferred) {
                step.close();
            }
        }
    }

    private NDArray solve(BoundCell f, NDArray z0) {
        SolverResult r;
        try (GradMode g = GradMode.off()) {
            r = forwardSolver.solve(f, z0, forwardOptions);
        }
        SolverStats stats = r.stats();
        if (config.get(DeqConfig.SRADIUS)) {
            stats = stats.withSpectralRadius(Jacobians.spectralRadius(f, r.z(), config.get(DeqConfig.SRADIUS_ITERS),
                    config.seed() * 7919 + probes.incrementAndGet()));
        }
        lastForward = stats;
        return r.z();
    }

    /** k tracked steps h ← (1 − τ) h + τ f(h) from the (graph-free) fixed point. */
    private static NDArray unroll(BoundCell f, NDArray zstar, int k, double tau) {
        NDArray h = zstar;
        for (int i = 0; i < k; i++) {
            NDArray fh = f.apply(h);
            h = tau == 1.0 ? fh : Scopes.mul(h, 1 - tau).addi(Scopes.mul(fh, tau)); // fh is saved for tanh's backward: no in-place
        }
        return h;
    }

    /** The deferred half of the implicit backward (see {@link DeqGradientCollector}). */
    private final class ImplicitBackward implements DeqGradientCollector.PendingBackward {
        private final BoundCell f;
        private final NDArray zOut;
        private final NDManager step;

        ImplicitBackward(BoundCell f, NDArray zOut, NDManager step) {
            this.f = f;
            this.zOut = zOut;
            this.step = step;
        }

        @Override
        public void resolve(boolean keepGraph) {
            NDArray g = zOut.getGradient();
            if (g == null) {
                return; // the loss did not depend on this layer's output
            }
            try (NDManager s = step.newSubManager()) {
                g.attach(s);
                NDArray point = zOut.stopGradient();
                point.attach(s);
                NDArray fz;
                try (GradMode on = GradMode.on()) {
                    fz = f.apply(point); // tracked, to push u into the parameters; its value also serves the VJP
                }
                UnaryOperator<NDArray> vjp = f.vjpAt(point, fz, s);
                SolverResult u;
                try (GradMode off = GradMode.off()) {
                    // adjoint fixed point u = u J + dL/dz*, started from dL/dz*
                    u = backwardSolver.solve(v -> vjp.apply(v).addi(g), g, backwardOptions);
                }
                lastBackward = u.stats();
                JniUtils.backward((PtNDArray) fz, (PtNDArray) u.z(), keepGraph, false);
            }
        }

        @Override
        public void close() {
            step.close();
        }
    }
}
