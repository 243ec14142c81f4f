package org.deqnc.train;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * {@link ParameterUpdate}'s SGD-momentum and Adam rules as one Java pass over the memory of float32 CPU
 * parameters, gradients and optimiser slots, instead of about thirteen eager tensor ops per parameter (each
 * paying its dispatch and a full pass over the array). The pass repeats the ops' float32 arithmetic operation
 * by operation: the same products, sums and quotients in the same order, each rounded to float32 as libtorch
 * rounds it, every Java constant rounded to float32 first (libtorch casts a 0-d float64 operand to the float32
 * array's type), and Java never contracts a·b + c into a fused multiply-add. SGD and Adam's moments therefore
 * equal the ops' bit for bit; Adam's weights can differ in the last bit, because libtorch's vectorised float32
 * square root is not correctly rounded (about one value in six differs by one unit in the last place from
 * IEEE's) while Java's is ({@code FusedUpdateTest} bounds the difference). Work goes through small Java
 * arrays one chunk at a time: bulk copies in and out of native memory around a loop over arrays that the JIT
 * compiles to SIMD instructions.
 */
final class FusedUpdate {

    /** Elements per chunk: four float32 scratch arrays of this length stay in the core's L1 cache. */
    private static final int CHUNK = 2048;

    private final float[] g = new float[CHUNK];
    private final float[] w = new float[CHUNK];
    private final float[] a = new float[CHUNK];
    private final float[] b = new float[CHUNK];

    /** Whether every array is a float32 array on the CPU, whose memory this class reads and writes. */
    static boolean applies(List<NDArray> arrays) {
        return arrays.stream().allMatch(x -> x.getDataType() == DataType.FLOAT32 && Device.cpu().equals(x.getDevice()));
    }

    /** The array's memory (its elements in place, row-major) as floats. */
    static FloatBuffer memory(NDArray x) {
        return x.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Whether every value of {@code gradient} is finite: Σ g·0 is 0 for finite values, NaN once one is not. */
    boolean allFinite(FloatBuffer gradient) {
        int n = gradient.limit();
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int at = 0; at < n; at += CHUNK) {
            int len = Math.min(CHUNK, n - at);
            gradient.get(at, g, 0, len);
            int i = 0;
            for (; i + 3 < len; i += 4) { // four independent sums: not bound by one add's latency
                s0 += g[i] * 0f;
                s1 += g[i + 1] * 0f;
                s2 += g[i + 2] * 0f;
                s3 += g[i + 3] * 0f;
            }
            for (; i < len; i++) {
                s0 += g[i] * 0f;
            }
        }
        return (s0 + s1) + (s2 + s3) == 0;
    }

    /**
     * SGD with momentum, in place: d = g + λw, buf ← μ·buf + d, w ← w − lr·buf (torch.optim.SGD, dampening 0).
     */
    void sgd(FloatBuffer weight, FloatBuffer gradient, FloatBuffer momentumBuffer, double momentum, double lr,
            double weightDecay) {
        float mu = (float) momentum;
        float rate = (float) lr;
        byChunks(weight, gradient, momentumBuffer, null, (float) weightDecay, len -> {
            for (int i = 0; i < len; i++) {
                float buf = a[i] * mu + g[i];
                a[i] = buf;
                w[i] = w[i] - buf * rate;
            }
        });
    }

    /**
     * Adam, in place (torch.optim.Adam without amsgrad): d = g + λw, m ← β₁m + (1 − β₁)d, v ← β₂v + (1 − β₂)d²,
     * w ← w − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε), with √(1 − β₂ᵗ) and lr / (1 − β₁ᵗ) of update t.
     */
    void adam(FloatBuffer weight, FloatBuffer gradient, FloatBuffer mean, FloatBuffer variance, double sqrtBiasCorrection2,
            double stepSize, double weightDecay) {
        float b1 = (float) ParameterUpdate.BETA1;
        float oneMinusB1 = (float) (1 - ParameterUpdate.BETA1);
        float b2 = (float) ParameterUpdate.BETA2;
        float oneMinusB2 = (float) (1 - ParameterUpdate.BETA2);
        float eps = (float) ParameterUpdate.EPS;
        float c2 = (float) sqrtBiasCorrection2;
        float step = (float) stepSize;
        byChunks(weight, gradient, mean, variance, (float) weightDecay, len -> {
            for (int i = 0; i < len; i++) {
                float d = g[i];
                float m = a[i] * b1 + d * oneMinusB1;
                float v = b[i] * b2 + d * d * oneMinusB2;
                a[i] = m;
                b[i] = v;
                w[i] = w[i] - m / ((float) Math.sqrt(v) / c2 + eps) * step;
            }
        });
    }

    /** The rule's loop over the first len elements of the chunk arrays g, w, a (and b). */
    @FunctionalInterface
    private interface Rule {
        void apply(int len);
    }

    /**
     * Runs {@code rule} chunk by chunk: the gradient, weight and slots ({@code second} may be null) copied into
     * g, w, a, b, the weight decay added to g, then w, a, b copied back.
     */
    private void byChunks(FloatBuffer weight, FloatBuffer gradient, FloatBuffer first, FloatBuffer second, float decay,
            Rule rule) {
        int n = weight.limit();
        for (int at = 0; at < n; at += CHUNK) {
            int len = Math.min(CHUNK, n - at);
            gradient.get(at, g, 0, len);
            weight.get(at, w, 0, len);
            first.get(at, a, 0, len);
            if (second != null) {
                second.get(at, b, 0, len);
            }
            if (decay != 0) {
                decay(len, decay);
            }
            rule.apply(len);
            first.put(at, a, 0, len);
            if (second != null) {
                second.put(at, b, 0, len);
            }
            weight.put(at, w, 0, len);
        }
    }

    /** g ← g + λw over the chunk (the L2 weight decay added to the gradient). */
    private void decay(int len, float lambda) {
        for (int i = 0; i < len; i++) {
            g[i] = g[i] + w[i] * lambda;
        }
    }
}
