package org.deqnc.train;

import java.util.Locale;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

import org.deqnc.engine.Engines;

/**
 * Refuses to train convolutional networks where PyTorch's float32 convolution gradient is wrong.
 *
 * <p>Why: on AVX-512 CPUs (seen on AMD EPYC with PyTorch 2.7.1) the oneDNN kernel that PyTorch uses for a float32
 * convolution's input gradient (batch &gt; 1, 3x3 kernels) returns wrong values, NaN at times, depending on the thread
 * count: with one thread always, with two intermittently. The gradient of every layer below the first convolution
 * whose input gradient is needed is silently wrong, and NaN there stopped CNN runs at update 1 or 2. float64 (which
 * PyTorch computes without oneDNN) is right, and so is float32 once oneDNN is limited to AVX2 with the environment
 * variable {@value #ISA_VARIABLE}=AVX2, which must be set before the JVM starts (oneDNN reads it when it loads).
 */
final class ConvolutionCheck {

    static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";
    /** float32 round-off is about 1e-6 here; the broken kernel is off by more than 1e-2. */
    static final double TOLERANCE = 1e-4;
    /** The fault is intermittent with several threads; each probe takes about a millisecond. */
    private static final int PROBES = 8;

    private static volatile Double worstError;

    private ConvolutionCheck() {
    }

    /** Throws when float32 convolution input gradients disagree with float64 on this machine (checked once). */
    static void requireCorrectGradients() {
        double err = worstRelativeError();
        if (!(err <= TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "convolution: PyTorch's float32 convolution "
                    + "gradient is wrong on this CPU (relative error %.3g against float64; oneDNN's AVX-512 kernel); "
                    + "start the JVM with the environment variable %s=AVX2 (now %s)", err, ISA_VARIABLE,
                    System.getenv().getOrDefault(ISA_VARIABLE, "unset")));
        }
    }

    /** Largest relative error of the float32 input gradient of a 3x3 convolution against float64, NaN if any. */
    static double worstRelativeError() {
        Double cached = worstError;
        if (cached == null) {
            cached = measure();
            worstError = cached;
        }
        return cached;
    }

    private static double measure() {
        double worst = 0;
        try (NDManager m = Engines.newManager()) {
            Random rnd = new Random(1);
            NDArray x = normal(m, rnd, new Shape(16, 8, 8, 8));
            NDArray w = normal(m, rnd, new Shape(8, 8, 3, 3));
            NDArray g = normal(m, rnd, new Shape(16, 8, 8, 8));
            double[] exact = inputGradient(m, x, w, g, DataType.FLOAT64);
            for (int i = 0; i < PROBES; i++) {
                double[] single = inputGradient(m, x, w, g, DataType.FLOAT32);
                double diff = 0;
                double norm = 0;
                for (int j = 0; j < exact.length; j++) {
                    diff += (single[j] - exact[j]) * (single[j] - exact[j]);
                    norm += exact[j] * exact[j];
                }
                double err = Math.sqrt(diff / norm);
                worst = Double.isNaN(err) ? Double.NaN : Math.max(worst, err);
            }
        }
        return worst;
    }

    private static NDArray normal(NDManager m, Random rnd, Shape shape) {
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian();
        }
        return m.create(v, shape);
    }

    /** d(sum(conv(x, w) * g)) / dx, computed in {@code type}. */
    private static double[] inputGradient(NDManager m, NDArray x, NDArray w, NDArray g, DataType type) {
        try (NDManager s = m.newSubManager()) {
            NDArray xt = x.toType(type, true);
            xt.attach(s);
            NDArray wt = w.toType(type, true);
            wt.attach(s);
            NDArray gt = g.toType(type, true);
            gt.attach(s);
            xt.setRequiresGradient(true);
            try (GradientCollector c = Engines.pytorch().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(xt, wt, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
                c.backward(y.mul(gt).sum());
            }
            return xt.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }
}
