package org.deqnc.nc;

/** A validated copy of a K×d linear classifier W and its optional bias b. */
record Classifier(double[][] weights, double[] bias) {

    static Classifier of(double[][] weights, double[] bias, int numClasses, int dim) {
        double[][] w = Checks.requireMatrix("W", weights, numClasses, dim);
        double[] b = bias == null ? null : Checks.requireVector("b", bias, numClasses);
        return new Classifier(w, b);
    }

    int numClasses() {
        return weights.length;
    }

    int dim() {
        return weights[0].length;
    }

    double[] flatWeights() {
        double[] flat = new double[numClasses() * dim()];
        for (int k = 0; k < numClasses(); k++) {
            System.arraycopy(weights[k], 0, flat, k * dim(), dim());
        }
        return flat;
    }
}
