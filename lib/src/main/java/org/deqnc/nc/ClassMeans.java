package org.deqnc.nc;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Class counts (computed from the labels, never assumed) and class means μ_k, with a SHA-256
 * fingerprint of their exact bits. The fingerprint ties later passes to these means: a second pass or a
 * decision pass that used other means is refused instead of silently mixing statistics.
 */
public final class ClassMeans {

    private final long[] counts;
    private final double[][] means;
    private final String fingerprint;

    ClassMeans(long[] counts, double[][] means) {
        this.counts = counts.clone();
        this.means = new double[means.length][];
        for (int k = 0; k < means.length; k++) {
            this.means[k] = means[k].clone();
        }
        this.fingerprint = fingerprint(this.counts, this.means);
    }

    /** K. */
    public int numClasses() {
        return counts.length;
    }

    /** d. */
    public int dim() {
        return means[0].length;
    }

    /** N = Σ_k n_k. */
    public long sampleCount() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** n_k for k = 0..K−1 (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** μ_k, one per row (a copy). */
    public double[][] means() {
        double[][] copy = new double[means.length][];
        for (int k = 0; k < means.length; k++) {
            copy[k] = means[k].clone();
        }
        return copy;
    }

    /** The first 16 hex digits of SHA-256 over K, d, the counts and the bits of every mean. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Row-major K×d copy, the layout NDArrays are created from. */
    double[] flatMeans() {
        return Dense.flatten(means);
    }

    double[][] meansView() {
        return means;
    }

    long[] countsView() {
        return counts;
    }

    static String fingerprint(long[] counts, double[][] means) {
        ByteBuffer buf = ByteBuffer.allocate(8 * (2 + counts.length + counts.length * means[0].length));
        buf.putLong(counts.length).putLong(means[0].length);
        for (long c : counts) {
            buf.putLong(c);
        }
        for (double[] row : means) {
            for (double v : row) {
                buf.putLong(Double.doubleToLongBits(v));
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(buf.array());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
