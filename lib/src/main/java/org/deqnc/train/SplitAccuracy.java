package org.deqnc.train;

/**
 * Network accuracy overall and pooled over the majority classes (labels {@code 0..K_A-1}) and the minority
 * classes (the rest), from per-class tallies of correct predictions.
 */
final class SplitAccuracy {

    private final long[] correct;
    private final long[] total;
    private final int kA;

    SplitAccuracy(int numClasses, int kA) {
        correct = new long[numClasses];
        total = new long[numClasses];
        this.kA = kA;
    }

    void add(int[] labels, int[] predictions) {
        for (int i = 0; i < labels.length; i++) {
            total[labels[i]]++;
            if (predictions[i] == labels[i]) {
                correct[labels[i]]++;
            }
        }
    }

    double overall() {
        return pooled(0, correct.length);
    }

    double majority() {
        return pooled(0, kA);
    }

    double minority() {
        return pooled(kA, correct.length);
    }

    /** Correct over seen samples of classes [from, to); NaN when none was seen. */
    private double pooled(int from, int to) {
        long c = 0;
        long n = 0;
        for (int k = from; k < to; k++) {
            c += correct[k];
            n += total[k];
        }
        return n == 0 ? Double.NaN : (double) c / n;
    }
}
