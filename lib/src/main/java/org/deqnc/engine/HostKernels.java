package org.deqnc.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Loops run in Java on float64 host arrays, and the moves between such arrays and the memory of CPU tensors
 * (read and written in place, no intermediate tensor). For work made of many small steps over one batch, a
 * few Java passes cost less than the eager tensor ops they replace, each of which pays its dispatch.
 *
 * <p>When the JVM runs with {@code --add-modules jdk.incubator.vector} (the kernelspec, the tests and the
 * benchmarks add it), {@link #dot}, {@link #dots}, {@link #combine} and the float32↔float64 conversions run as
 * SIMD loops of the incubating Vector API ({@code VectorKernels}, the way Apache Lucene uses it); otherwise, or with
 * {@code -Ddeqnc.vector=false}, as the scalar loops here. {@link #vectorized()} says which.
 */
public final class HostKernels {

    /** The SIMD versions of the loops below, each computing what its scalar twin computes. */
    interface Simd {
        double dot(double[] a, int aAt, double[] b, int bAt, int n);

        void dots(double[] a, double[][] rows, int count, int at, int n, double[] out);

        void combine(double[] out, double[][] rows, double[] coef, int coefAt, int count, int at, int n, boolean add);

        /** out[at + i] = in[at + i] for i &lt; n, widened (exact). */
        void widen(float[] in, double[] out, int at, int n);

        /** out[at + i] = scale · in[at + i] + shift for i &lt; n, in float32 (two roundings), then widened. */
        void widenAffine(float[] in, double[] out, int at, int n, float scale, float shift);

        /** out[at + i] = (float) in[at + i] for i &lt; n, rounded to nearest as Java's cast. */
        void narrow(double[] in, float[] out, int at, int n);
    }

    /** The JDK module of the Vector API, added with {@code --add-modules}. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final Simd SIMD = loadSimd();

    private HostKernels() {
    }

    /**
     * The Vector API loops when the incubator module is in the boot layer, C2 compiles (the API is slow in the
     * interpreter and C1) and vectors hold at least four doubles; else null. Never fails: any reason not to use
     * them leaves the scalar loops.
     */
    private static Simd loadSimd() {
        if (!Boolean.parseBoolean(System.getProperty("deqnc.vector", "true"))
                || ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return null;
        }
        try {
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            if (vm != null && Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) < 4) {
                return null;
            }
            return (Simd) Class.forName("org.deqnc.engine.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@link #dot}, {@link #dots} and {@link #combine} run on the Vector API. */
    public static boolean vectorized() {
        return SIMD != null;
    }

    /** a[aAt..aAt+n) · b[bAt..bAt+n). */
    public static double dot(double[] a, int aAt, double[] b, int bAt, int n) {
        return SIMD != null ? SIMD.dot(a, aAt, b, bAt, n) : scalarDot(a, aAt, b, bAt, n);
    }

    /** {@link #dot} with four independent sums, so the loop is not bound by one add's latency. */
    static double scalarDot(double[] a, int aAt, double[] b, int bAt, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[aAt + j] * b[bAt + j];
            s1 += a[aAt + j + 1] * b[bAt + j + 1];
            s2 += a[aAt + j + 2] * b[bAt + j + 2];
            s3 += a[aAt + j + 3] * b[bAt + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[aAt + j] * b[bAt + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** out[j] = a[at..at+n) · rows[j][at..at+n) for j &lt; count. */
    public static void dots(double[] a, double[][] rows, int count, int at, int n, double[] out) {
        if (SIMD != null) {
            SIMD.dots(a, rows, count, at, n, out);
        } else {
            scalarDots(a, rows, count, at, n, out);
        }
    }

    /**
     * {@link #dots} four rows per pass over a: the loads of a and the loop's overhead are shared, and the four
     * sums are independent.
     */
    static void scalarDots(double[] a, double[][] rows, int count, int at, int n, double[] out) {
        int j = 0;
        for (; j + 3 < count; j += 4) {
            double[] r0 = rows[j];
            double[] r1 = rows[j + 1];
            double[] r2 = rows[j + 2];
            double[] r3 = rows[j + 3];
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int p = at; p < at + n; p++) {
                double v = a[p];
                s0 += v * r0[p];
                s1 += v * r1[p];
                s2 += v * r2[p];
                s3 += v * r3[p];
            }
            out[j] = s0;
            out[j + 1] = s1;
            out[j + 2] = s2;
            out[j + 3] = s3;
        }
        for (; j < count; j++) {
            out[j] = scalarDot(a, at, rows[j], at, n);
        }
    }

    /**
     * out[at..at+n) (+)= Σ_{j &lt; count} coef[coefAt + j] · rows[j][at..at+n): added to out when {@code add},
     * else written over it.
     */
    public static void combine(double[] out, double[][] rows, double[] coef, int coefAt, int count, int at, int n,
            boolean add) {
        if (SIMD != null) {
            SIMD.combine(out, rows, coef, coefAt, count, at, n, add);
        } else {
            scalarCombine(out, rows, coef, coefAt, count, at, n, add);
        }
    }

    /** {@link #combine} four rows per pass, so out is loaded and stored once per four rows. */
    static void scalarCombine(double[] out, double[][] rows, double[] coef, int coefAt, int count, int at, int n,
            boolean add) {
        int j = 0;
        for (; j < count; j += 4) {
            int left = count - j;
            double c0 = coef[coefAt + j];
            double c1 = left > 1 ? coef[coefAt + j + 1] : 0;
            double c2 = left > 2 ? coef[coefAt + j + 2] : 0;
            double c3 = left > 3 ? coef[coefAt + j + 3] : 0;
            double[] r0 = rows[j];
            double[] r1 = left > 1 ? rows[j + 1] : r0; // a zero weight on a row already read
            double[] r2 = left > 2 ? rows[j + 2] : r0;
            double[] r3 = left > 3 ? rows[j + 3] : r0;
            boolean over = j == 0 && !add;
            for (int p = at; p < at + n; p++) {
                double v = c0 * r0[p] + c1 * r1[p] + c2 * r2[p] + c3 * r3[p];
                out[p] = over ? v : out[p] + v;
            }
        }
    }

    /** Whether {@code a} is a float32 or float64 CPU array, whose memory the methods below read and write. */
    public static boolean onHost(NDArray a) {
        DataType t = a.getDataType();
        return Device.cpu().equals(a.getDevice()) && (t == DataType.FLOAT32 || t == DataType.FLOAT64);
    }

    /** {@code a}'s values as float64, whatever its type and device (see {@link #read}). */
    public static double[] toDoubles(NDArray a) {
        double[] out = new double[Math.toIntExact(a.size())];
        read(a, out, null);
        return out;
    }

    /**
     * Copies {@code a} into {@code out} (its length is a's size): a float32 or float64 CPU array through the
     * tensor's own memory, any other through a float64 CPU copy closed here; {@code floats}: scratch as long
     * as {@code out} for float32 (allocated when null).
     */
    public static void read(NDArray a, double[] out, float[] floats) {
        if (onHost(a)) {
            readHost(a, out, floats);
            return;
        }
        NDArray onCpu = a.toDevice(Device.cpu(), false); // a itself when a is already on the CPU
        try (NDArray converted = onCpu.toType(DataType.FLOAT64, false)) {
            readHost(converted, out, floats);
        } finally {
            if (onCpu != a) {
                onCpu.close();
            }
        }
    }

    private static void readHost(NDArray a, double[] out, float[] floats) {
        ByteBuffer bytes = a.toByteBuffer(true).order(ByteOrder.nativeOrder()); // a contiguous copy if it is not
        if (a.getDataType() == DataType.FLOAT64) {
            bytes.asDoubleBuffer().get(0, out);
            return;
        }
        if (floats == null) {
            floats = new float[out.length];
        }
        bytes.asFloatBuffer().get(0, floats);
        widen(floats, out, 0, out.length);
    }

    /** out[at + i] = in[at + i] for i &lt; n (exact). */
    public static void widen(float[] in, double[] out, int at, int n) {
        if (SIMD != null) {
            SIMD.widen(in, out, at, n);
            return;
        }
        for (int i = at; i < at + n; i++) {
            out[i] = in[i];
        }
    }

    /**
     * out[at + i] = scale · in[at + i] + shift for i &lt; n, each operation rounded to float32 as libtorch's
     * elementwise mul and add by a scalar round them on a float32 tensor (Java's float arithmetic never fuses
     * them), then widened (exact).
     */
    public static void widenAffine(float[] in, double[] out, int at, int n, float scale, float shift) {
        if (SIMD != null) {
            SIMD.widenAffine(in, out, at, n, scale, shift);
            return;
        }
        for (int i = at; i < at + n; i++) {
            out[i] = scale * in[i] + shift;
        }
    }

    /** out[at + i] = (float) in[at + i] for i &lt; n, rounded to nearest. */
    public static void narrow(double[] in, float[] out, int at, int n) {
        if (SIMD != null) {
            SIMD.narrow(in, out, at, n);
            return;
        }
        for (int i = at; i < at + n; i++) {
            out[i] = (float) in[i];
        }
    }

    /**
     * Writes {@code values} into {@code memory}, the memory of a contiguous float32 or float64 tensor of
     * {@code values.length} elements (as {@code toByteBuffer(true)} returns it); {@code floats}: as in read.
     */
    public static void write(double[] values, ByteBuffer memory, DataType type, float[] floats) {
        ByteBuffer bytes = memory.duplicate().order(ByteOrder.nativeOrder());
        if (type == DataType.FLOAT64) {
            bytes.asDoubleBuffer().put(0, values);
            return;
        }
        narrow(values, floats, 0, values.length);
        bytes.asFloatBuffer().put(0, floats);
    }
}
