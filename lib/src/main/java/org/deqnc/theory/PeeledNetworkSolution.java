package org.deqnc.theory;

/**
 * A solved {@link PeeledNetworkProblem}: the optimum of the reduced program ({@link #peeled()}, whose features
 * are the layer outputs that enter the classifier) together with a layer input and weights that realise it.
 */
public final class PeeledNetworkSolution {

    private final PeeledNetworkProblem problem;
    private final LayerPeeledSolution peeled;
    private final double[][] input;
    private final double[][][] layerWeights;

    PeeledNetworkSolution(PeeledNetworkProblem problem, LayerPeeledSolution peeled, double[][] input,
                          double[][][] layerWeights) {
        this.problem = problem;
        this.peeled = peeled;
        this.input = input;
        this.layerWeights = layerWeights;
    }

    public PeeledNetworkProblem problem() {
        return problem;
    }

    /** The reduced solution: layer-output features, classifier, loss, gap, KKT residual, geometry. */
    public LayerPeeledSolution peeled() {
        return peeled;
    }

    public double loss() {
        return peeled.loss();
    }

    /** H0, the layer input (rows h0_k). */
    public double[][] input() {
        return Dense.copy(input);
    }

    /** The layer weights realising the optimum (W_D for the DEQ, W_1..W_L for explicit layers). */
    public double[][][] layerWeights() {
        double[][][] copy = new double[layerWeights.length][][];
        for (int l = 0; l < copy.length; l++) {
            copy[l] = Dense.copy(layerWeights[l]);
        }
        return copy;
    }
}
