package org.deqnc.theory;

import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * The linear map that sits between the free input features {@code h0_k} and the classifier in our
 * reconstruction of Sun and Shi's layer-peeled comparison (the paper's exact formulation is not known; see
 * paper-sun-shi.md §2 and §8). Features are rows; the layer maps {@code h0_k} to {@code f_k = A h0_k}:
 * <ul>
 *   <li>{@link Kind#DEQ}: a linear DEQ {@code z* = W_D z* + h0}, i.e. {@code A = (I - W_D)^{-1}}, with the
 *       contraction bound {@code ||W_D||_2 <= gamma < 1} (so z* is unique and the Neumann series converges);</li>
 *   <li>{@link Kind#EXPLICIT_PRODUCT}: L untied linear layers {@code A = W_L ... W_1}, {@code ||W_l||_2 <= beta};</li>
 *   <li>{@link Kind#EXPLICIT_INJECTED}: the DEQ's fixed-point iteration unrolled L times with untied weights,
 *       {@code z_0 = h0, z_l = W_l z_{l-1} + h0}, {@code ||W_l||_2 <= beta}; as L grows with beta = gamma it
 *       tends to the DEQ;</li>
 *   <li>{@link Kind#NONE}: no layer (Fang et al.'s plain layer-peeled model).</li>
 * </ul>
 * Spectral-norm bounds are used for every layer so that DEQ and explicit layers are limited in the same way.
 * {@link #gain()} is the largest possible amplification {@code sup ||A h0|| / ||h0||} over admissible weights,
 * attained by {@code W = bound * I}; it decides the attainable loss (see {@link PeeledNetworkProblem}).
 */
public final class FeatureLayer {

    /** The layer family. */
    public enum Kind {
        DEQ("deq"), EXPLICIT_PRODUCT("explicit"), EXPLICIT_INJECTED("explicit"), NONE("lpm");

        private final String model;

        Kind(String model) {
            this.model = model;
        }
    }

    private final Kind kind;
    private final int depth;
    private final double normBound;

    private FeatureLayer(Kind kind, int depth, double normBound) {
        this.kind = kind;
        this.depth = depth;
        this.normBound = normBound;
    }

    /** Linear DEQ {@code f = (I - W_D)^{-1} h0} with {@code ||W_D||_2 <= gamma}, 0 &lt;= gamma &lt; 1. */
    public static FeatureLayer deq(double gamma) {
        if (!(gamma >= 0 && gamma < 1)) {
            throw new IllegalArgumentException("gamma: must satisfy 0 <= gamma < 1 (spectral-norm bound of the"
                    + " linear DEQ weight), got " + gamma);
        }
        return new FeatureLayer(Kind.DEQ, 1, gamma);
    }

    /** Explicit product {@code f = W_L ... W_1 h0} with {@code ||W_l||_2 <= beta}. */
    public static FeatureLayer explicitProduct(int depth, double beta) {
        return explicit(Kind.EXPLICIT_PRODUCT, depth, beta);
    }

    /** Unrolled input-injected iteration {@code z_l = W_l z_{l-1} + h0}, {@code z_0 = h0}, {@code ||W_l||_2 <= beta}. */
    public static FeatureLayer explicitInjected(int depth, double beta) {
        return explicit(Kind.EXPLICIT_INJECTED, depth, beta);
    }

    /** No layer: the features are the free variables themselves. */
    public static FeatureLayer none() {
        return new FeatureLayer(Kind.NONE, 0, 0);
    }

    private static FeatureLayer explicit(Kind kind, int depth, double beta) {
        Checks.requireAtLeast("depth", depth, 1);
        Checks.requirePositive("beta", beta);
        return new FeatureLayer(kind, depth, beta);
    }

    public Kind kind() {
        return kind;
    }

    /** "deq", "explicit" or "lpm": the value of the sweep table's {@code model} column. */
    public String model() {
        return kind.model;
    }

    /** Number of weight matrices: 1 for the DEQ, L for explicit layers, 0 for none. */
    public int depth() {
        return depth;
    }

    /** gamma for the DEQ, beta for explicit layers, 0 for none. */
    public double normBound() {
        return normBound;
    }

    /**
     * {@code sup ||A h0|| / ||h0||}: 1/(1 - gamma) for the DEQ (Neumann series), beta^L for the product,
     * 1 + beta + ... + beta^L for the injected iteration, 1 for none.
     */
    public double gain() {
        return switch (kind) {
            case DEQ -> 1 / (1 - normBound);
            case EXPLICIT_PRODUCT -> Math.pow(normBound, depth);
            case EXPLICIT_INJECTED -> geometricSum(normBound, depth);
            case NONE -> 1;
        };
    }

    private static double geometricSum(double ratio, int highestPower) {
        double sum = 0;
        double term = 1;
        for (int j = 0; j <= highestPower; j++) {
            sum += term;
            term *= ratio;
        }
        return sum;
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
        return kind == Kind.DEQ ? 1 : depth;
    }

    /** Column-convention states: z[0] = X (d x K), z[last] = the output. */
    private double[][][] columnsForward(double[][] x, double[][][] weights) {
        double[][][] z = new double[depthOut() + 1][][];
        z[0] = x;
        if (kind == Kind.DEQ) {
            z[1] = deqSolver(weights[0], false).solve(MatrixUtils.createRealMatrix(x)).getData();
            return z;
        }
        for (int l = 1; l <= depth; l++) {
            double[][] next = Dense.multiply(weights[l - 1], z[l - 1]);
            z[l] = kind == Kind.EXPLICIT_INJECTED ? Dense.axpy(next, 1, x) : next;
        }
        return z;
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
            case EXPLICIT_PRODUCT -> "explicitProduct(L=" + depth + ", beta=" + normBound + ")";
            case EXPLICIT_INJECTED -> "explicitInjected(L=" + depth + ", beta=" + normBound + ")";
            case NONE -> "none";
        };
    }
}
