package org.deqnc.theory;

/** A stationary point found by {@link DirectPeeledSolver}, with its loss and stationarity. Accessors copy. */
public final class DirectPeeledSolution {

    private final PeeledNetworkProblem problem;
    private final int samplesPerClass;
    private final double[][] input;
    private final double[][] classifier;
    private final double[][][] layerWeights;
    private final double[][] features;
    private final double loss;
    private final double stationarity;
    private final int iterations;

    DirectPeeledSolution(PeeledNetworkProblem problem, int samplesPerClass, double[][] input, double[][] classifier,
                         double[][][] layerWeights, double[][] features, double loss, double stationarity,
                         int iterations) {
        this.problem = problem;
        this.samplesPerClass = samplesPerClass;
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

    /** Free features per class: 1 for the class-mean program. */
    public int samplesPerClass() {
        return samplesPerClass;
    }

    /** The class of each row of {@link #input()} and {@link #features()}: n consecutive rows per class. */
    public int[] labels() {
        int[] labels = new int[features.length];
        for (int row = 0; row < labels.length; row++) {
            labels[row] = row / samplesPerClass;
        }
        return labels;
    }

    /** H0 (rows h0_k, or h0_{k,i} with n rows per class). */
    public double[][] input() {
        return Dense.copy(input);
    }

    /** The layer outputs that enter the classifier, one row per row of {@link #input()}. */
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

    /** The per-class means of {@link #features()} (K rows). */
    public double[][] classMeans() {
        return Dense.groupMeans(features, PeeledObjective.equalCounts(problem.base().classes(), samplesPerClass));
    }

    /** Geometry of the class-mean layer outputs and classifier (conventions in {@link PeeledGeometry}). */
    public PeeledGeometry geometry() {
        return PeeledGeometry.measure(classMeans(), classifier, problem.base().majorityClasses(),
                problem.base().classWeights());
    }
}
