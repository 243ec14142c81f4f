package org.deqnc.deq;

import ai.djl.ndarray.types.DataType;
import org.deqnc.config.Config;
import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigKey.Range;
import org.deqnc.config.ConfigSchema;
import org.deqnc.config.ConfigView;
import org.deqnc.solver.Solver;
import org.deqnc.solver.SolverOptions;
import org.deqnc.solver.Solvers;
import org.deqnc.solver.StopMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The strict configuration of a DEQ layer: cell, forward solver, backward mode and stability tools.
 * Build it fluently or parse {@code key=value} text; unknown keys and bad values fail in one line
 * with a suggestion, and {@link #toString()} echoes the effective configuration.
 *
 * <pre>{@code
 * DeqConfig c = DeqConfig.parse("cell=mlp hidden=256 solver=anderson m=5 tol=1e-4 max_iter=30 backward=implicit");
 * DeqConfig d = DeqConfig.builder().hidden(256).backward(Backward.JFB).set(DeqConfig.FALLBACK, List.of("broyden", "picard")).build();
 * System.out.println(c.table());   // key | value | default or set
 * }</pre>
 *
 * Keys (TorchDEQ names where it has one; {@code b_} keys configure the implicit backward's adjoint
 * solve): see {@link #SCHEMA} or {@code DeqConfig.SCHEMA.help()}.
 */
public final class DeqConfig extends ConfigView<DeqConfig> {

    public static final ConfigKey<CellKind> CELL = ConfigKey.ofEnum("cell", CellKind.MLP, CellKind.class,
            "f(z,x): linear (W z + U x + b, ||W|| < 1 by construction), mlp (act(W z + U x + b)), conv (3x3 convs)");
    public static final ConfigKey<Activation> ACT = ConfigKey.ofEnum("act", Activation.TANH, Activation.class,
            "nonlinearity of the mlp and conv cells");
    public static final ConfigKey<Integer> HIDDEN = ConfigKey.ofInt("hidden", 64, 1, 1 << 16,
            "width of z: features (linear, mlp) or channels (conv)");
    public static final ConfigKey<Double> INIT_SCALE = ConfigKey.ofDouble("init_scale", 0.8, Range.openClosed(0, 100),
            "approximate spectral norm of the recurrent weight at initialisation (mlp, conv)");
    public static final ConfigKey<Double> CONTRACTION = ConfigKey.ofDouble("contraction", 0.9,
            new Range(0, false, 1, false), "linear cell: bound c on ||W||_2 via W = c V / ||V||_F");
    public static final ConfigKey<String> SOLVER = ConfigKey.ofChoice("solver", "anderson", Solvers::names,
            "forward fixed-point solver (registry name)");
    // The forward solve's options are the SolverOptions keys themselves (declared once there);
    // blowup_factor is not embedded and stays at its default.
    public static final ConfigKey<Integer> M = SolverOptions.M;
    public static final ConfigKey<Double> BETA = SolverOptions.BETA;
    public static final ConfigKey<Double> LAM = SolverOptions.LAM;
    public static final ConfigKey<Double> TAU = SolverOptions.TAU;
    public static final ConfigKey<Double> TOL = SolverOptions.TOL;
    public static final ConfigKey<Integer> MAX_ITER = SolverOptions.MAX_ITER;
    public static final ConfigKey<StopMode> STOP_MODE = SolverOptions.STOP_MODE;
    public static final ConfigKey<Boolean> RETURN_FINAL = SolverOptions.RETURN_FINAL;
    public static final ConfigKey<Boolean> LINE_SEARCH = SolverOptions.LINE_SEARCH;
    public static final ConfigKey<List<String>> FALLBACK = ConfigKey.ofList("fallback", List.of(), Solvers::names,
            "solvers tried in order when the forward solver diverges, e.g. broyden,picard");
    public static final ConfigKey<Boolean> REQUIRE_CONVERGED = SolverOptions.REQUIRE_CONVERGED;
    public static final ConfigKey<Backward> BACKWARD = ConfigKey.ofEnum("backward", Backward.IMPLICIT, Backward.class,
            "gradient: implicit (adjoint fixed point), phantom (k damped steps), jfb (one step)");
    public static final ConfigKey<String> B_SOLVER = ConfigKey.ofChoice("b_solver", "anderson", Solvers::names,
            "implicit backward: adjoint solver");
    public static final ConfigKey<Double> B_TOL = SolverOptions.TOL.renamed("b_tol",
            "implicit backward: adjoint tolerance");
    public static final ConfigKey<Integer> B_MAX_ITER = SolverOptions.MAX_ITER.renamed("b_max_iter",
            "implicit backward: adjoint iteration cap");
    public static final ConfigKey<StopMode> B_STOP_MODE = SolverOptions.STOP_MODE.renamed("b_stop_mode",
            "implicit backward: adjoint residual kind");
    public static final ConfigKey<Integer> PHANTOM_K = ConfigKey.ofInt("phantom_k", 5, 1, 1000,
            "phantom gradient: unrolled steps k");
    public static final ConfigKey<Double> PHANTOM_TAU = ConfigKey.ofDouble("phantom_tau", 0.5,
            Range.openClosed(0, 1), "phantom gradient: damping tau");
    public static final ConfigKey<Norm> NORM = ConfigKey.ofEnum("norm", Norm.NONE, Norm.class,
            "recurrent-weight normalisation, recomputed every forward: none, weight, spectral");
    public static final ConfigKey<Integer> SN_ITERS = ConfigKey.ofInt("sn_iters", 1, 1, 100,
            "spectral norm: power iterations per training step");
    public static final ConfigKey<Double> JAC_REG = ConfigKey.ofDouble("jac_reg", 0.0, Range.atLeast(0),
            "weight of the Hutchinson Jacobian penalty ||J_f(z*)||_F^2 / dim added to the loss");
    public static final ConfigKey<Boolean> SRADIUS = ConfigKey.ofBoolean("sradius", false,
            "estimate the spectral radius of J_f(z*) by power iteration after each forward");
    public static final ConfigKey<Integer> SRADIUS_ITERS = ConfigKey.ofInt("sradius_iters", 20, 1, 10_000,
            "power iterations for sradius");
    public static final ConfigKey<DType> DTYPE = ConfigKey.ofEnum("dtype", DType.FLOAT32, DType.class,
            "parameter and state precision");
    public static final ConfigKey<Long> SEED = ConfigKey.ofLong("seed", 0,
            "seed of the parameter initialisation and of the probe vectors");

    /** Every key above, in this order. */
    public static final ConfigSchema SCHEMA = ConfigSchema.builder("deq")
            .add(CELL).add(ACT).add(HIDDEN).add(INIT_SCALE).add(CONTRACTION)
            .add(SOLVER).add(M).add(BETA).add(LAM).add(TAU).add(TOL).add(MAX_ITER).add(STOP_MODE)
            .add(RETURN_FINAL).add(LINE_SEARCH).add(FALLBACK).add(REQUIRE_CONVERGED)
            .add(BACKWARD).add(B_SOLVER).add(B_TOL).add(B_MAX_ITER).add(B_STOP_MODE).add(PHANTOM_K).add(PHANTOM_TAU)
            .add(NORM).add(SN_ITERS).add(JAC_REG).add(SRADIUS).add(SRADIUS_ITERS).add(DTYPE).add(SEED)
            .build();

    /** Floating-point precision of a DEQ layer. */
    public enum DType {
        FLOAT32(DataType.FLOAT32),
        FLOAT64(DataType.FLOAT64);

        private final DataType djl;

        DType(DataType djl) {
            this.djl = djl;
        }

        public DataType dataType() {
            return djl;
        }
    }

    private DeqConfig(Config config) {
        super(config);
    }

    @Override
    protected DeqConfig wrap(Config config) {
        return new DeqConfig(config);
    }

    /** All defaults. */
    public static DeqConfig defaults() {
        return new DeqConfig(SCHEMA.defaults());
    }

    /** Parses {@code "k=v k2=v2"} or, when the text has several lines, a {@code "k = v"} body with # comments. */
    public static DeqConfig parse(String text) {
        return new DeqConfig(SCHEMA.parseText(text));
    }

    public static DeqConfig of(Map<String, ?> values) {
        return new DeqConfig(SCHEMA.parse(values));
    }

    public static Builder builder() {
        return new Builder(null);
    }

    /** A builder starting from this configuration's explicitly set keys. */
    public Builder toBuilder() {
        return new Builder(asConfig());
    }

    public CellKind cell() {
        return get(CELL);
    }

    public int hidden() {
        return get(HIDDEN);
    }

    public Backward backward() {
        return get(BACKWARD);
    }

    public DataType dataType() {
        return get(DTYPE).dataType();
    }

    public long seed() {
        return get(SEED);
    }

    /** Options of the forward solve: every embedded {@link SolverOptions} key. */
    public SolverOptions forwardOptions() {
        return SolverOptions.from(asConfig());
    }

    /**
     * Options of the implicit backward's adjoint solve: the forward's solver knobs (m, beta, lam, tau,
     * line_search) with the {@code b_} stop rule; it always returns the best iterate and only warns when it
     * does not converge.
     */
    public SolverOptions backwardOptions() {
        return forwardOptions().toBuilder().tol(get(B_TOL)).maxIter(get(B_MAX_ITER)).stopMode(get(B_STOP_MODE))
                .returnFinal(RETURN_FINAL.defaultValue()).requireConverged(REQUIRE_CONVERGED.defaultValue()).build();
    }

    /** The forward solver, wrapped in its fallback chain when {@code fallback} names any. */
    public Solver forwardSolver() {
        List<String> chain = new ArrayList<>();
        chain.add(get(SOLVER));
        chain.addAll(get(FALLBACK));
        return Solvers.chain(chain);
    }

    public Solver backwardSolver() {
        return Solvers.get(get(B_SOLVER));
    }

    /** A new cell as configured (parameters seeded from {@code seed + offset}). */
    public DeqCell newCell(long offset) {
        long s = seed() * 1_000_003L + offset;
        Norm norm = get(NORM);
        int sn = get(SN_ITERS);
        switch (cell()) {
            case LINEAR:
                return new LinearCell(hidden(), get(CONTRACTION), norm, sn, s);
            case CONV:
                return new ConvCell(hidden(), get(ACT), norm, sn, get(INIT_SCALE), s);
            default:
                return new MlpCell(hidden(), get(ACT), norm, sn, get(INIT_SCALE), s);
        }
    }

    /** Fluent builder; see {@link ConfigView.Builder} for when values are checked. */
    public static final class Builder extends ConfigView.Builder<DeqConfig, Builder> {
        private Builder(Config start) {
            super(SCHEMA, DeqConfig::new, start);
        }

        public Builder cell(CellKind v) {
            return set(CELL, v);
        }

        public Builder act(Activation v) {
            return set(ACT, v);
        }

        public Builder hidden(int v) {
            return set(HIDDEN, v);
        }

        public Builder solver(String v) {
            return set(SOLVER, v);
        }

        public Builder tol(double v) {
            return set(TOL, v);
        }

        public Builder maxIter(int v) {
            return set(MAX_ITER, v);
        }

        public Builder stopMode(StopMode v) {
            return set(STOP_MODE, v);
        }

        public Builder backward(Backward v) {
            return set(BACKWARD, v);
        }

        public Builder bTol(double v) {
            return set(B_TOL, v);
        }

        public Builder bMaxIter(int v) {
            return set(B_MAX_ITER, v);
        }

        public Builder norm(Norm v) {
            return set(NORM, v);
        }

        public Builder dtype(DType v) {
            return set(DTYPE, v);
        }

        public Builder seed(long v) {
            return set(SEED, v);
        }
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
