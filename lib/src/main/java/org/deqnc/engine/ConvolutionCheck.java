package org.deqnc.engine;

import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

/**
 * Refuses to build a network whose float32 convolutions PyTorch computes wrongly on this machine.
 *
 * <p>Why: on this project's AMD EPYC (AVX-512), PyTorch 2.7.1's oneDNN kernels for float32 3x3 convolutions with a
 * batch of two or more return wrong values, NaN at times, for some channel counts. With oneDNN's own choice of
 * instruction set every 3- to 12-channel shape tried is wrong; limited to AVX2 ({@value #ISA_VARIABLE}=AVX2) the input gradient is
 * wrong whenever the output channels are not a multiple of 8, and the value itself whenever the input channels are
 * above 8 and not a multiple of 8 (4 → 4 channels: input gradient off by 70 %; 12 → 12: the output off by 40 %),
 * while multiples of 8 were right in every shape tried; limited to SSE4.1 every shape tried was right, with CNN
 * epochs taking 1.4–2 times as long. float64, which PyTorch computes without oneDNN, is right. So each configuration a network runs
 * (channels, kernel, stride, padding, input size) is computed once per JVM at a batch of two in float32 and in
 * float64 — the value, the weight gradient and, where a layer below needs it, the input gradient — and a
 * configuration that disagrees stops the build with a message naming the layer and the remedies
 * (docs/cpu-notes.md).
 */
public final class ConvolutionCheck {

    /** The oneDNN variable that caps its instruction set; read when libtorch loads, so set before the JVM starts. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";
    /** float32 round-off is about 1e-6 here; the broken kernels are off by more than 1e-1. */
    public static final double TOLERANCE = 1e-4;
    /** Two float32 probes: the wrong values repeat, but the NaN among them comes and goes. */
    private static final int PROBES = 2;
    private static final int BATCH = 2;

    /**
     * One float32 2-d convolution (square kernel, symmetric zero padding, no dilation, one group) as a layer runs it
     * on {@code height} × {@code width} input; {@code inputGradient}: whether a layer below needs its input gradient
     * (not so for the first layer on the data); {@code channelsLast}: whether the layer's input and output are
     * channels-last tensors ({@link MemoryFormat}), for which oneDNN runs other kernels.
     */
    public record Shape2d(long inChannels, long outChannels, long kernel, long stride, long padding, long height,
            long width, boolean inputGradient, boolean channelsLast) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d → %d channels, %dx%d kernel, stride %d, padding %d, on %dx%d%s",
                    inChannels, outChannels, kernel, kernel, stride, padding, height, width,
                    channelsLast ? ", channels-last" : "");
        }
    }

    /** The float32 computation under test: value, weight gradient and input gradient, for tests to replace. */
    @FunctionalInterface
    interface Convolution {
        NDArray[] valueAndGradients(NDArray x, NDArray w, NDArray outputGradient, long stride, long padding);
    }

    private static final Map<Shape2d, Errors> CHECKED = new ConcurrentHashMap<>();

    private ConvolutionCheck() {
    }

    /** Relative errors of float32 against float64 (root mean square of the difference over that of the values). */
    public record Errors(double value, double weightGradient, double inputGradient) {

        /** The worst of the three, NaN if any is NaN. */
        public double worst() {
            if (Double.isNaN(value) || Double.isNaN(weightGradient) || Double.isNaN(inputGradient)) {
                return Double.NaN;
            }
            return Math.max(value, Math.max(weightGradient, inputGradient));
        }

        /** Which result is off the most, in words (NaN counting as the most). */
        String worstPart() {
            double[] e = {value, weightGradient, inputGradient};
            String[] names = {"value", "weight gradient", "input gradient"};
            int at = 0;
            for (int k = 1; k < 3; k++) {
                if (Double.isNaN(e[k]) && !Double.isNaN(e[at]) || e[k] > e[at]) {
                    at = k;
                }
            }
            return names[at];
        }
    }

    /**
     * Throws, naming {@code layer}, when PyTorch's float32 convolution of {@code shape} disagrees with float64 on
     * this machine; probes each shape once per JVM.
     */
    public static void require(String layer, Shape2d shape) {
        Errors e = CHECKED.computeIfAbsent(shape, ConvolutionCheck::measure);
        requireWithin(layer, shape, e);
    }

    /** {@link #require} for a given probe result: the refusal and its wording. */
    static void requireWithin(String layer, Shape2d shape, Errors e) {
        if (e.worst() <= TOLERANCE) {
            return;
        }
        throw new IllegalStateException(String.format(Locale.ROOT, "convolution: PyTorch's float32 convolution is "
                + "wrong on this CPU for layer %s (%s): relative error %.3g in the %s against float64 (oneDNN with "
                + "%s=%s); use channel counts that are multiples of 8 with %s=AVX2, or start the JVM with %s=SSE41 "
                + "(right for every shape tried, convolutions slower); see docs/cpu-notes.md", layer, shape,
                e.worst(), e.worstPart(), ISA_VARIABLE, System.getenv().getOrDefault(ISA_VARIABLE, "unset"),
                ISA_VARIABLE, ISA_VARIABLE));
    }

    /** The errors of PyTorch's float32 convolution on {@code shape}, its operands in the layer's memory order. */
    static Errors measure(Shape2d shape) {
        return measure(shape, !shape.channelsLast() ? ConvolutionCheck::conv2d : (x, w, g, stride, padding) ->
                conv2d(MemoryFormat.channelsLast(x), w, MemoryFormat.channelsLast(g), stride, padding));
    }

    /** The errors of {@code float32} on a seeded probe of {@code shape}, the worst over {@link #PROBES} runs. */
    static Errors measure(Shape2d shape, Convolution float32) {
        try (NDManager m = Engines.newManager()) {
            Random rnd = new Random(1);
            long outH = (shape.height() + 2 * shape.padding() - shape.kernel()) / shape.stride() + 1;
            long outW = (shape.width() + 2 * shape.padding() - shape.kernel()) / shape.stride() + 1;
            NDArray x = normal(m, rnd, new Shape(BATCH, shape.inChannels(), shape.height(), shape.width()));
            NDArray w = normal(m, rnd, new Shape(shape.outChannels(), shape.inChannels(), shape.kernel(),
                    shape.kernel()));
            NDArray g = normal(m, rnd, new Shape(BATCH, shape.outChannels(), outH, outW));
            double[][] exact;
            try (NDManager s = m.newSubManager()) {
                exact = doubles(conv2d(in(x, DataType.FLOAT64, s), in(w, DataType.FLOAT64, s),
                        in(g, DataType.FLOAT64, s), shape.stride(), shape.padding()));
            }
            double[] worst = new double[3];
            for (int p = 0; p < PROBES; p++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray[] single = float32.valueAndGradients(in(x, DataType.FLOAT32, s), in(w, DataType.FLOAT32, s),
                            in(g, DataType.FLOAT32, s), shape.stride(), shape.padding());
                    double[][] got = doubles(single);
                    for (int k = 0; k < 3; k++) {
                        double err = k == 2 && !shape.inputGradient() ? 0 : relativeError(got[k], exact[k]);
                        worst[k] = Double.isNaN(err) || Double.isNaN(worst[k]) ? Double.NaN : Math.max(worst[k], err);
                    }
                }
            }
            return new Errors(worst[0], worst[1], worst[2]);
        }
    }

    /** PyTorch's convolution in the type of its operands: value, weight gradient, input gradient of sum(y·g). */
    static NDArray[] conv2d(NDArray x, NDArray w, NDArray g, long stride, long padding) {
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector c = Engines.pytorch().newGradientCollector()) {
            y = Conv2d.conv2d(x, w, null, new Shape(stride, stride), new Shape(padding, padding)).singletonOrThrow();
            c.backward(y.mul(g).sum());
        }
        return new NDArray[] {y.stopGradient(), w.getGradient(), x.getGradient()};
    }

    /** A copy of {@code a} in {@code type}, a fresh leaf owned by {@code owner}. */
    private static NDArray in(NDArray a, DataType type, NDManager owner) {
        NDArray t = a.toType(type, true);
        t.attach(owner);
        return t;
    }

    private static double[][] doubles(NDArray[] arrays) {
        double[][] out = new double[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i].toType(DataType.FLOAT64, true).toDoubleArray();
        }
        return out;
    }

    private static double relativeError(double[] got, double[] exact) {
        double diff = 0;
        double norm = 0;
        for (int j = 0; j < exact.length; j++) {
            diff += (got[j] - exact[j]) * (got[j] - exact[j]);
            norm += exact[j] * exact[j];
        }
        return Math.sqrt(diff / norm);
    }

    private static NDArray normal(NDManager m, Random rnd, Shape shape) {
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian();
        }
        return m.create(v, shape);
    }
}
