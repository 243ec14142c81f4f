package org.deqnc.nc;

/**
 * Per-class tallies of network and nearest-class-centre decisions, from a {@link DecisionAccumulator}.
 * Accuracies are pooled over samples: a group's accuracy is its correct samples over its samples.
 */
public final class ClassifierDecisions {

    private final String meansFingerprint;
    private final long[] counts;
    private final long[] networkCorrect;
    private final long[] nccCorrect;
    private final long[] disagreements;
    private final long[] linearDisagreements;

    ClassifierDecisions(String meansFingerprint, long[] counts, long[] networkCorrect, long[] nccCorrect,
                        long[] disagreements, long[] linearDisagreements) {
        this.meansFingerprint = meansFingerprint;
        this.counts = counts.clone();
        this.networkCorrect = networkCorrect.clone();
        this.nccCorrect = nccCorrect.clone();
        this.disagreements = disagreements.clone();
        this.linearDisagreements = linearDisagreements == null ? null : linearDisagreements.clone();
    }

    /** Fingerprint of the class means the nearest-class-centre rule used. */
    public String meansFingerprint() {
        return meansFingerprint;
    }

    /** Samples seen, per class. */
    public long[] counts() {
        return counts.clone();
    }

    /** NC4: fraction of samples where the nearest-class-centre rule and the network disagree. */
    public double nccDisagreement() {
        return ratio(disagreements, null);
    }

    /** Whether a linear classifier was tallied, i.e. {@link #linearNccDisagreement()} is available. */
    public boolean hasLinearClassifier() {
        return linearDisagreements != null;
    }

    /** NC4, linear-classifier form: fraction of samples where argmax_k (w_k·h + b_k) and the NCC rule disagree. */
    public double linearNccDisagreement() {
        if (linearDisagreements == null) {
            throw new IllegalStateException("linearNccDisagreement: no classifier was given to the DecisionAccumulator");
        }
        return ratio(linearDisagreements, null);
    }

    /** Accuracy of the nearest-class-centre rule. */
    public double nccAccuracy() {
        return ratio(nccCorrect, null);
    }

    /** Network accuracy over all samples. */
    public double accuracy() {
        return ratio(networkCorrect, null);
    }

    /** Network accuracy pooled over the samples of the classes where {@code selected[k]} is true. */
    public double accuracy(boolean[] selected) {
        return ratio(networkCorrect, selected);
    }

    private double ratio(long[] hits, boolean[] selected) {
        long num = 0;
        long den = 0;
        for (int k = 0; k < counts.length; k++) {
            if (selected == null || selected[k]) {
                num += hits[k];
                den += counts[k];
            }
        }
        return den == 0 ? Double.NaN : (double) num / den;
    }
}
