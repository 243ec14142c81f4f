package org.deqnc.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
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
 * compiles to SIMD instructions. The pass also zeroes the gradient chunk it has read (what {@code zeroGrad}
 * did in a separate pass over the gradient, one JNI call per parameter).
 */
final class FusedUpdate {

    /** Elements per chunk: four float32 scratch arrays of this length stay in the core's L1 cache. */
    private static final int CHUNK = 2048;

    private final float[] g = new float[CHUNK];
    private final float[] w = new float[CHUNK];
    private final float[] a = new float[CHUNK];
    private final float[] b = new float[CHUNK];
    private final int[] bits = new int[CHUNK];
    /** Written over each gradient chunk once the update has read it; never written itself. */
    private static final float[] ZEROS = new float[CHUNK];

    /** Whether every array is a float32 array on the CPU, whose memory this class reads and writes. */
    static boolean applies(List<NDArray> arrays) {
        return arrays.stream().allMatch(x -> x.getDataType() == DataType.FLOAT32 && Device.cpu().equals(x.getDevice()));
    }

    /** The array's memory (its elements in place, row-major), in the machine's byte order. */
    static ByteBuffer bytes(NDArray x) {
        return x.toByteBuffer(true).order(ByteOrder.nativeOrder());
    }

    /** The array's memory (its elements in place, row-major) as floats. */
    static FloatBuffer memory(NDArray x) {
        return bytes(x).asFloatBuffer();
    }

    /**
     * Whether every float32 whose bit patterns {@code floatBits} holds is finite. A float is NaN or infinite exactly
     * when its eight exponent bits are all ones, i.e. when its bits without the sign, read as an int, are at least
     * 0x7f800000; adding 0x00800000 then carries into the sign bit, and only then. So one OR over those sums has
     * its sign bit set exactly when some value is not finite. An integer OR is a reduction the JIT compiles to SIMD
     * code; a float sum (Σ g·0, the earlier check) it may not reorder, and that pass cost as much as Adam's own.
     */
    boolean allFinite(IntBuffer floatBits) {
        int n = floatBits.limit();
        int any = 0;
        for (int at = 0; at < n; at += CHUNK) {
            int len = Math.min(CHUNK, n - at);
            floatBits.get(at, bits, 0, len);
            for (int i = 0; i < len; i++) {
                any |= (bits[i] & 0x7fffffff) + 0x00800000;
            }
        }
        return any >= 0;
    }

    /**
     * SGD with momentum, in place: d = g + λw, buf ← μ·buf + d, w ← w − lr·buf (torch.optim.SGD, dampening 0);
     * leaves the gradient zero.
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
     * w ← w − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε), with √(1 − β₂ᵗ) and lr / (1 − β₁ᵗ) of update t;
     * leaves the gradient zero.
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
     * g, w, a, b, the gradient's chunk zeroed in place, the weight decay added to g, then w, a, b copied back.
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
            gradient.put(at, ZEROS, 0, len);
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
