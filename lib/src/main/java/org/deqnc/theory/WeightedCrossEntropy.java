package org.deqnc.theory;

/**
 * The weighted cross-entropy of the layer-peeled program on a K x K logit matrix: row k holds the logits of
 * class mean k, and its target is class k (or, for the sample-level program, n rows per class). Smooth and convex in the logits; its gradient is
 * {@code c_k (softmax(z_k) - e_k)}, whose Hessian is bounded by {@code c_k / 2} in spectral norm.
 */
final class WeightedCrossEntropy {

    private WeightedCrossEntropy() {
    }

    /** Loss of the logit matrix; when {@code gradient} is not null it receives d loss / d logits. */
    static double evaluate(double[][] logits, double[] weights, double[][] gradient) {
        return evaluate(logits, weights, 1, gradient);
    }

    /**
     * The same loss when each class has {@code samplesPerClass} consecutive rows (rows {@code k n .. k n + n - 1}
     * belong to class k), each weighted {@code c_k / n}: equal to the class-mean loss when the rows of a class agree.
     */
    static double evaluate(double[][] logits, double[] weights, int samplesPerClass, double[][] gradient) {
        int[] counts = new int[weights.length];
        java.util.Arrays.fill(counts, samplesPerClass);
        return evaluate(logits, weights, counts, gradient);
    }

    /**
     * The loss when class k has {@code counts[k]} consecutive rows, each weighted {@code c_k / counts[k]}. With
     * {@code counts} proportional to the weights (the per-sample form) every sample weighs the same.
     */
    static double evaluate(double[][] logits, double[] weights, int[] counts, double[][] gradient) {
        double loss = 0;
        int k = 0;
        int end = counts[0];
        for (int row = 0; row < logits.length; row++) {
            while (row >= end) {
                end += counts[++k];
            }
            double c = weights[k] / counts[k];
            double[] z = logits[row];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            double logSumExp = max + Math.log(sum);
            loss += c * (logSumExp - z[k]);
            if (gradient != null) {
                for (int j = 0; j < z.length; j++) {
                    double p = Math.exp(z[j] - logSumExp);
                    gradient[row][j] = c * (p - (j == k ? 1 : 0));
                }
            }
        }
        return loss;
    }
}
