package org.deqnc.theory;

import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * The linear map that sits between the free input features {@code h0_k} and the classifier in our
 * reconstruction of Sun and Shi's layer-peeled comparison (the paper's exact formulation is not known; see
 * the project's docs/theory.md). Features are rows; the layer maps {@code h0_k} to {@code f_k = A h0_k}:
 * <ul>
 *   <li>{@link Kind#DEQ}: a linear DEQ {@code z* = W_D z* + h0}, i.e. {@code A = (I - W_D)^{-1}}, with the
 *       contraction bound {@code ||W_D||_2 <= gamma < 1} (so z* is unique and the Neumann series converges);</li>
 *   <li>{@link Kind#EXPLICIT_PRODUCT}: L untied linear layers {@code A = W_L ... W_1}, {@code ||W_l||_2 <= beta};</li>
 *   <li>{@link Kind#EXPLICIT_INJECTED}: the DEQ's fixed-point iteration unrolled L times with untied weights,
 *       {@code z_0 = h0, z_l = W_l z_{l-1} + h0}, {@code ||W_l||_2 <= beta}; as L grows with beta = gamma it
 *       tends to the DEQ;</li>
 *   <li>{@link Kind#EXPLICIT_TIED}: the same unrolled iteration with one shared weight {@code W}, i.e. the
 *       DEQ's own iteration stopped after L steps;</li>
 *   <li>{@link Kind#DEQ_RELU}: a ReLU DEQ {@code z* = relu(W_D z* + h0)}, {@code ||W_D||_2 <= gamma < 1} (a
 *       contraction, so z* is unique); no closed-form reduction, only {@link MatchedBudgetSolver} handles it;</li>
 *   <li>{@link Kind#NONE}: no layer (Fang et al.'s plain layer-peeled model).</li>
 * </ul>
 * Spectral-norm bounds are used for every layer so that DEQ and explicit layers are limited in the same way; an
 * explicit layer may have no spectral bound ({@code beta = +infinity}) when a Frobenius budget limits it instead
 * ({@link MatchedBudgetProblem}).
 * {@link #gain()} is the largest possible amplification {@code sup ||A h0|| / ||h0||} over admissible weights,
 * attained by {@code W = bound * I}; it decides the attainable loss (see {@link PeeledNetworkProblem}).
 */
public final class FeatureLayer {

    /** The layer family. */
    public enum Kind {
        DEQ("deq"), DEQ_RELU("deq_relu"), EXPLICIT_PRODUCT("explicit"), EXPLICIT_INJECTED("explicit"),
        EXPLICIT_TIED("explicit_tied"), NONE("lpm");

        private final String model;

        Kind(String model) {
            this.model = model;
        }
    }

    /** Fixed-point tolerance of the ReLU DEQ's forward solve, relative to the fixed point's norm. */
    private static final double RELU_TOLERANCE = 1e-14;

    private final Kind kind;
    private final int depth;
    private final int steps;
    private final double normBound;

    private FeatureLayer(Kind kind, int depth, int steps, double normBound) {
        this.kind = kind;
        this.depth = depth;
        this.steps = steps;
        this.normBound = normBound;
    }

    /** Linear DEQ {@code f = (I - W_D)^{-1} h0} with {@code ||W_D||_2 <= gamma}, 0 &lt;= gamma &lt; 1. */
    public static FeatureLayer deq(double gamma) {
        return new FeatureLayer(Kind.DEQ, 1, 1, requireContraction(gamma));
    }

    /** ReLU DEQ {@code z* = relu(W_D z* + h0)} with {@code ||W_D||_2 <= gamma}, 0 &lt;= gamma &lt; 1. */
    public static FeatureLayer deqRelu(double gamma) {
        return new FeatureLayer(Kind.DEQ_RELU, 1, 1, requireContraction(gamma));
    }

    private static double requireContraction(double gamma) {
        if (!(gamma >= 0 && gamma < 1)) {
            throw new IllegalArgumentException("gamma: must satisfy 0 <= gamma < 1 (spectral-norm bound of the"
                    + " DEQ weight), got " + gamma);
        }
        return gamma;
    }

    /** Explicit product {@code f = W_L ... W_1 h0} with {@code ||W_l||_2 <= beta} (beta may be +infinity). */
    public static FeatureLayer explicitProduct(int depth, double beta) {
        return explicit(Kind.EXPLICIT_PRODUCT, depth, beta);
    }

    /** Unrolled input-injected iteration {@code z_l = W_l z_{l-1} + h0}, {@code z_0 = h0}, {@code ||W_l||_2 <= beta}. */
    public static FeatureLayer explicitInjected(int depth, double beta) {
        return explicit(Kind.EXPLICIT_INJECTED, depth, beta);
    }

    /**
     * The DEQ's iteration with one shared weight, stopped after L steps: {@code z_l = W z_{l-1} + h0},
     * {@code z_0 = h0}, {@code ||W||_2 <= beta} (beta may be +infinity).
     */
    public static FeatureLayer explicitTied(int steps, double beta) {
        Checks.requireAtLeast("steps", steps, 1);
        return new FeatureLayer(Kind.EXPLICIT_TIED, 1, steps, requireBound(beta));
    }

    /** No layer: the features are the free variables themselves. */
    public static FeatureLayer none() {
        return new FeatureLayer(Kind.NONE, 0, 0, 0);
    }

    private static FeatureLayer explicit(Kind kind, int depth, double beta) {
        Checks.requireAtLeast("depth", depth, 1);
        return new FeatureLayer(kind, depth, depth, requireBound(beta));
    }

    private static double requireBound(double beta) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta: must be > 0 (+infinity for no spectral bound), got " + beta);
        }
        return beta;
    }

    public Kind kind() {
        return kind;
    }

    /** "deq", "explicit" or "lpm": the value of the sweep table's {@code model} column. */
    public String model() {
        return kind.model;
    }

    /** Number of weight matrices: 1 for the DEQs and the tied iteration, L for untied explicit layers, 0 for none. */
    public int depth() {
        return depth;
    }

    /** Number of layer applications: L for explicit layers (tied or not), 1 for the DEQs, 0 for none. */
    public int steps() {
        return steps;
    }

    /** True for the DEQs, whose weight must stay a contraction ({@code normBound() < 1}) to be well posed. */
    public boolean implicit() {
        return kind == Kind.DEQ || kind == Kind.DEQ_RELU;
    }

    /** True when the layer is linear, so that its reachable features are a scaled ball (see {@link #gain()}). */
    public boolean linear() {
        return kind != Kind.DEQ_RELU;
    }

    /** gamma for the DEQs, beta for explicit layers (+infinity when unbounded), 0 for none. */
    public double normBound() {
        return normBound;
    }

    /**
     * {@code sup ||A h0|| / ||h0||}: 1/(1 - gamma) for the DEQs (Neumann series; the ReLU DEQ reaches it on
     * non-negative inputs), beta^L for the product, 1 + beta + ... + beta^L for the injected iterations, 1 for none.
     */
    public double gain() {
        return switch (kind) {
            case DEQ, DEQ_RELU -> 1 / (1 - normBound);
            case EXPLICIT_PRODUCT -> Math.pow(normBound, depth);
            case EXPLICIT_INJECTED, EXPLICIT_TIED -> geometricSum(normBound, steps);
            case NONE -> 1;
        };
    }

    /** {@code 1 + r + ... + r^n}. */
    static double geometricSum(double ratio, int highestPower) {
        double sum = 0;
        double term = 1;
        for (int j = 0; j <= highestPower; j++) {
            sum += term;
            term *= ratio;
        }
        return sum;
    }

    /** The same layer with another spectral bound (a DEQ's must stay below 1). */
    FeatureLayer withBound(double bound) {
        return new FeatureLayer(kind, depth, steps, implicit() ? requireContraction(bound) : requireBound(bound));
    }

    /** The weights that attain {@link #gain()}: every weight equal to {@code normBound * I} (dimension d). */
    double[][][] maximalWeights(int dim) {
        double[][][] weights = new double[depth][][];
        for (int l = 0; l < depth; l++) {
            weights[l] = Dense.identity(dim, normBound);
        }
        return weights;
    }

    /** Maps the input rows {@code h0_k} to the output rows {@code f_k}. */
    double[][] forward(double[][] input, double[][][] weights) {
        return Dense.transpose(columnsForward(Dense.transpose(input), weights)[depthOut()]);
    }

    /**
     * Back-propagates d loss / d output (rows) and writes d loss / d weights into {@code weightGradients}.
     * Returns d loss / d input (rows).
     */
    double[][] backward(double[][] input, double[][][] weights, double[][] outputGradient,
                        double[][][] weightGradients) {
        double[][] x = Dense.transpose(input);
        double[][][] z = columnsForward(x, weights);
        double[][] g = Dense.transpose(outputGradient);
        return Dense.transpose(switch (kind) {
            case NONE -> g;
            case DEQ -> {
                // A = (I - W_D)^{-1}: dL/dX = A^T G and dL/dW_D = A^T G (A X)^T (implicit differentiation).
                double[][] u = deqSolver(weights[0], true).solve(MatrixUtils.createRealMatrix(g)).getData();
                weightGradients[0] = Dense.multiplyTransposed(u, z[1]);
                yield u;
            }
            case DEQ_RELU -> reluBackward(weights[0], z[1], g, weightGradients);
            case EXPLICIT_TIED -> {
                // Back-propagation through the L steps; the shared weight collects every step's gradient.
                double[][] inputGradient = new double[g.length][g[0].length];
                double[][] weightGradient = new double[g.length][g.length];
                for (int l = steps; l >= 1; l--) {
                    inputGradient = Dense.axpy(inputGradient, 1, g);
                    weightGradient = Dense.axpy(weightGradient, 1, Dense.multiplyTransposed(g, z[l - 1]));
                    g = Dense.multiply(Dense.transpose(weights[0]), g);
                }
                weightGradients[0] = weightGradient;
                yield Dense.axpy(inputGradient, 1, g);
            }
            case EXPLICIT_PRODUCT, EXPLICIT_INJECTED -> {
                double[][] inputGradient = new double[g.length][g[0].length];
                for (int l = depth; l >= 1; l--) {
                    if (kind == Kind.EXPLICIT_INJECTED) {
                        inputGradient = Dense.axpy(inputGradient, 1, g);
                    }
                    weightGradients[l - 1] = Dense.multiplyTransposed(g, z[l - 1]);
                    g = Dense.multiply(Dense.transpose(weights[l - 1]), g);
                }
                yield Dense.axpy(inputGradient, 1, g);
            }
        });
    }

    private int depthOut() {
        return implicit() ? 1 : steps;
    }

    /** Column-convention states: z[0] = X (d x K), z[last] = the output. */
    private double[][][] columnsForward(double[][] x, double[][][] weights) {
        double[][][] z = new double[depthOut() + 1][][];
        z[0] = x;
        if (kind == Kind.DEQ) {
            z[1] = deqSolver(weights[0], false).solve(MatrixUtils.createRealMatrix(x)).getData();
            return z;
        }
        if (kind == Kind.DEQ_RELU) {
            z[1] = reluFixedPoint(weights[0], x);
            return z;
        }
        for (int l = 1; l <= depthOut(); l++) {
            double[][] next = Dense.multiply(weights[kind == Kind.EXPLICIT_TIED ? 0 : l - 1], z[l - 1]);
            z[l] = kind == Kind.EXPLICIT_PRODUCT ? next : Dense.axpy(next, 1, x);
        }
        return z;
    }

    /**
     * The fixed point of {@code z = relu(W z + x)} for every column of x: Picard steps (a contraction, as
     * {@code ||W||_2 < 1}) until the active set stops changing, then the exact solve of the linear system on that
     * set ({@code (I - D W) z = D x}, D the active indicator), accepted when it reproduces its own active set.
     */
    static double[][] reluFixedPoint(double[][] w, double[][] x) {
        int d = x.length;
        double[][] z = new double[d][x[0].length];
        for (int c = 0; c < x[0].length; c++) {
            double[] column = new double[d];
            double[] input = new double[d];
            for (int i = 0; i < d; i++) {
                input[i] = x[i][c];
            }
            boolean[] previous = null;
            for (int iteration = 0; iteration < 100_000; iteration++) {
                double[] next = reluStep(w, column, input);
                double change = 0;
                for (int i = 0; i < d; i++) {
                    change = Math.max(change, Math.abs(next[i] - column[i]));
                }
                column = next;
                boolean[] active = activeSet(w, column, input);
                double[] exact = java.util.Arrays.equals(active, previous) ? activeSetSolve(w, active, input) : null;
                if (exact != null) {
                    column = exact;
                    break;
                }
                previous = active;
                if (change <= RELU_TOLERANCE * (1 + Dense.norm(column))) {
                    break;
                }
            }
            for (int i = 0; i < d; i++) {
                z[i][c] = column[i];
            }
        }
        return z;
    }

    private static double[] reluStep(double[][] w, double[] z, double[] input) {
        double[] next = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            next[i] = Math.max(0, Dense.dot(w[i], z) + input[i]);
        }
        return next;
    }

    /** The solution of the linear system on the given active set, or null if it is not a fixed point. */
    private static double[] activeSetSolve(double[][] w, boolean[] active, double[] input) {
        int d = input.length;
        double[][] system = new double[d][d];
        double[] rhs = new double[d];
        for (int i = 0; i < d; i++) {
            system[i][i] = 1;
            if (active[i]) {
                for (int j = 0; j < d; j++) {
                    system[i][j] -= w[i][j];
                }
                rhs[i] = input[i];
            }
        }
        double[] solution = new LUDecomposition(MatrixUtils.createRealMatrix(system)).getSolver()
                .solve(MatrixUtils.createRealVector(rhs)).toArray();
        double[] check = reluStep(w, solution, input);
        for (int i = 0; i < d; i++) {
            if (Math.abs(check[i] - solution[i]) > 1e-12 * (1 + Dense.norm(solution))) {
                return null;
            }
        }
        return solution;
    }

    private static boolean[] activeSet(double[][] w, double[] z, double[] input) {
        boolean[] active = new boolean[z.length];
        for (int i = 0; i < z.length; i++) {
            active[i] = Dense.dot(w[i], z) + input[i] > 0;
        }
        return active;
    }

    /**
     * Implicit differentiation of {@code z = relu(W z + x)}: with D the active indicator of column c,
     * {@code u = (I - D W)^{-T} g}, {@code dL/dx = D u}, {@code dL/dW = sum_c (D u) z^T}.
     */
    private static double[][] reluBackward(double[][] w, double[][] z, double[][] g, double[][][] weightGradients) {
        int d = z.length;
        double[][] inputGradient = new double[d][z[0].length];
        double[][] weightGradient = new double[d][d];
        for (int c = 0; c < z[0].length; c++) {
            double[] column = new double[d];
            for (int i = 0; i < d; i++) {
                column[i] = z[i][c];
            }
            // At the fixed point the pre-activation is positive exactly where z is (ties at 0 count as inactive).
            boolean[] active = new boolean[d];
            for (int i = 0; i < d; i++) {
                active[i] = column[i] > 0;
            }
            double[][] systemT = new double[d][d];
            double[] rhs = new double[d];
            for (int i = 0; i < d; i++) {
                systemT[i][i] = 1;
                rhs[i] = g[i][c];
                if (active[i]) {
                    for (int j = 0; j < d; j++) {
                        systemT[j][i] -= w[i][j];
                    }
                }
            }
            double[] u = new LUDecomposition(MatrixUtils.createRealMatrix(systemT)).getSolver()
                    .solve(MatrixUtils.createRealVector(rhs)).toArray();
            for (int i = 0; i < d; i++) {
                double du = active[i] ? u[i] : 0;
                inputGradient[i][c] = du;
                for (int j = 0; j < d; j++) {
                    weightGradient[i][j] += du * column[j];
                }
            }
        }
        weightGradients[0] = weightGradient;
        return inputGradient;
    }

    private static DecompositionSolver deqSolver(double[][] weight, boolean transposed) {
        RealMatrix system = MatrixUtils.createRealIdentityMatrix(weight.length)
                .subtract(MatrixUtils.createRealMatrix(weight));
        return new LUDecomposition(transposed ? system.transpose() : system).getSolver();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DEQ -> "deq(gamma=" + normBound + ")";
            case DEQ_RELU -> "deqRelu(gamma=" + normBound + ")";
            case EXPLICIT_TIED -> "explicitTied(L=" + steps + ", beta=" + normBound + ")";
            case EXPLICIT_PRODUCT -> "explicitProduct(L=" + depth + ", beta=" + normBound + ")";
            case EXPLICIT_INJECTED -> "explicitInjected(L=" + depth + ", beta=" + normBound + ")";
            case NONE -> "none";
        };
    }
}
