package org.deqnc.theory;

/** A stationary point found by {@link DirectPeeledSolver}, with its loss and stationarity. Accessors copy. */
public final class DirectPeeledSolution {

    private final PeeledNetworkProblem problem;
    private final double[][] input;
    private final double[][] classifier;
    private final double[][][] layerWeights;
    private final double[][] features;
    private final double loss;
    private final double stationarity;
    private final int iterations;

    DirectPeeledSolution(PeeledNetworkProblem problem, double[][] input, double[][] classifier,
                         double[][][] layerWeights, double[][] features, double loss, double stationarity,
                         int iterations) {
        this.problem = problem;
        this.input = input;
        this.classifier = classifier;
        this.layerWeights = layerWeights;
        this.features = features;
        this.loss = loss;
        this.stationarity = stationarity;
        this.iterations = iterations;
    }

    public PeeledNetworkProblem problem() {
        return problem;
    }

    public double loss() {
        return loss;
    }

    /** Projected-gradient norm {@code ||P(x - grad) - x||} at the returned point. */
    public double stationarity() {
        return stationarity;
    }

    /** Total SPG iterations over all restarts. */
    public int iterations() {
        return iterations;
    }

    /** H0 (rows h0_k). */
    public double[][] input() {
        return Dense.copy(input);
    }

    /** The layer outputs f_k that enter the classifier. */
    public double[][] features() {
        return Dense.copy(features);
    }

    public double[][] classifier() {
        return Dense.copy(classifier);
    }

    /** Spectral norm of each layer weight (the DEQ's {@code ||W_D||_2} is at most gamma). */
    public double[] layerSpectralNorms() {
        double[] norms = new double[layerWeights.length];
        for (int l = 0; l < norms.length; l++) {
            norms[l] = Dense.spectralNorm(layerWeights[l]);
        }
        return norms;
    }

    /** Geometry of the layer outputs and classifier (conventions in {@link PeeledGeometry}). */
    public PeeledGeometry geometry() {
        return PeeledGeometry.measure(features, classifier, problem.base().majorityClasses());
    }
}
