package org.deqnc.theory.kernels;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.util.Pair;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.function.Function;

/**
 * Ling et al.'s "not-so-deep" explicit networks: the activation parameters that give an explicit network the
 * same four CK scalars as a DEQ's φ-part (M1-M4: linear weight, the two low-rank weights, the diagonal),
 * solved by Hipparchus's Levenberg–Marquardt with a central-difference Jacobian (the official code minimises
 * the sum of squares with SLSQP, tol 1e-10).
 * <ul>
 *   <li>{@link #hTanh}: one layer a·clip(x, -c, c) for a DEQ whose d2 = 0 (tanh): unknowns (a, c), two live
 *       equations; start (0.1, 0.1) as the code;</li>
 *   <li>{@link #lRelu}: two L-ReLU layers (a1, b1), (a2, b2) for a ReLU-DEQ: four unknowns, four equations;
 *       start (1, 0.1, 1, 0.1) as the code.</li>
 * </ul>
 */
public final class EnnMatching {

    private EnnMatching() {
    }

    /**
     * The solved network.
     *
     * @param parameters  the activation parameters ((a, c) or (a1, b1, a2, b2))
     * @param network     the explicit network's theory at these parameters
     * @param target      the DEQ's φ-part CK scalars
     * @param residual    network scalars minus target scalars (linear, mean, covariance, diagonal)
     * @param evaluations residual evaluations the optimiser used
     */
    public record Matched(String kind, double[] parameters, ExplicitKernelTheory network, EquivalentKernel target,
                          double[] residual, int evaluations) {
        /** The Euclidean norm of {@link #residual}. */
        public double residualNorm() {
            return new ArrayRealVector(residual).getNorm();
        }
    }

    /** One H-tanh layer matched to the DEQ (its activation must have d2 = 0, such as tanh). */
    public static Matched hTanh(DeqKernelTheory deq) {
        if (Math.abs(deq.moments().d2()) > 1e-12) {
            throw new IllegalArgumentException("deq: a one-layer H-tanh network can match only a DEQ with d2 = 0 (an odd "
                    + "activation such as tanh), got d2 = " + deq.moments().d2() + " for " + deq.activation().name());
        }
        return solve("h_tanh", deq, new double[]{0.1, 0.1},
                p -> List.of(KernelActivation.hTanh(Math.abs(p[0]), Math.abs(p[1]))), true);
    }

    /** Two L-ReLU layers matched to the DEQ (Ling et al. pair them with the ReLU-DEQ). */
    public static Matched lRelu(DeqKernelTheory deq) {
        return solve("l_relu", deq, new double[]{1, 0.1, 1, 0.1},
                p -> List.of(KernelActivation.lRelu(p[0], p[1]), KernelActivation.lRelu(p[2], p[3])), false);
    }

    private static Matched solve(String kind, DeqKernelTheory deq, double[] start,
                                 Function<double[], List<KernelActivation>> network, boolean absolute) {
        EquivalentKernel target = deq.ckPhiPart();
        Function<double[], double[]> residual = p -> {
            double[] got = ExplicitKernelTheory.of(network.apply(p), deq.tau0()).ck().scalars();
            double[] want = target.scalars();
            double[] r = new double[4];
            for (int i = 0; i < 4; i++) {
                r[i] = got[i] - want[i];
            }
            return r;
        };
        LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer()
                .withCostRelativeTolerance(1e-14).withParameterRelativeTolerance(1e-14).withOrthoTolerance(1e-14)
                .optimize(new LeastSquaresBuilder()
                        .model(point -> {
                            double[] p = point.toArray();
                            return new Pair<RealVector, RealMatrix>(new ArrayRealVector(residual.apply(p), false),
                                    centralJacobian(residual, p));
                        })
                        .target(new double[4])
                        .start(start)
                        .maxEvaluations(10_000)
                        .maxIterations(10_000)
                        .build());
        double[] p = optimum.getPoint().toArray();
        if (absolute) {
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.abs(p[i]);
            }
        }
        return new Matched(kind, p, ExplicitKernelTheory.of(network.apply(p), deq.tau0()), target, residual.apply(p),
                optimum.getEvaluations());
    }

    private static RealMatrix centralJacobian(Function<double[], double[]> f, double[] p) {
        RealMatrix j = new Array2DRowRealMatrix(4, p.length);
        for (int k = 0; k < p.length; k++) {
            double h = 1e-6 * Math.max(1, Math.abs(p[k]));
            double[] up = p.clone(), down = p.clone();
            up[k] += h;
            down[k] -= h;
            double[] fu = f.apply(up), fd = f.apply(down);
            for (int i = 0; i < 4; i++) {
                j.setEntry(i, k, (fu[i] - fd[i]) / (2 * h));
            }
        }
        return j;
    }

    /** One row per matched network: its parameters, its four scalars beside the target's, the residual. */
    public static Table table(List<Matched> matched) {
        Table t = Table.create("matched explicit networks", StringColumn.create("network"), StringColumn.create("parameters"),
                StringColumn.create("scalar"), DoubleColumn.create("network_value"), DoubleColumn.create("deq_target"),
                DoubleColumn.create("residual"));
        String[] scalars = {"linear (M1)", "mean (M2)", "covariance (M3)", "diagonal (M4)"};
        for (Matched m : matched) {
            double[] got = m.network().ck().scalars(), want = m.target().scalars();
            for (int i = 0; i < 4; i++) {
                t.stringColumn("network").append(m.kind());
                t.stringColumn("parameters").append(Arrays.stream(m.parameters()).mapToObj(v -> String.format("%.6f", v))
                        .collect(Collectors.joining(", ")));
                t.stringColumn("scalar").append(scalars[i]);
                t.doubleColumn("network_value").append(got[i]);
                t.doubleColumn("deq_target").append(want[i]);
                t.doubleColumn("residual").append(m.residual()[i]);
            }
        }
        return t;
    }
}
