package org.deqnc.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostKernelsTest {

    private static double[][] rows(Random rnd, int count, int length) {
        double[][] r = new double[count][length];
        for (double[] row : r) {
            for (int p = 0; p < length; p++) {
                row[p] = rnd.nextGaussian();
            }
        }
        return r;
    }

    /** Every count of rows around the kernels' groups of four, on a window [at, at + n) inside longer rows. */
    @Test
    void dotsAndCombineMatchPlainSums() {
        Random rnd = new Random(5);
        int at = 7;
        int n = 13;
        double[] a = rows(rnd, 1, 30)[0];
        for (int count = 1; count <= 9; count++) {
            double[][] r = rows(rnd, count, 30);
            double[] coef = rows(rnd, 1, count + 2)[0];
            double[] dots = new double[count];
            HostKernels.dots(a, r, count, at, n, dots);
            double[] combined = a.clone();
            HostKernels.combine(combined, r, coef, 2, count, at, n, false);
            double[] added = a.clone();
            HostKernels.combine(added, r, coef, 2, count, at, n, true);
            for (int j = 0; j < count; j++) {
                double want = 0;
                for (int p = at; p < at + n; p++) {
                    want += a[p] * r[j][p];
                }
                assertEquals(want, dots[j], 1e-12, "dot " + j + " of " + count);
                assertEquals(want, HostKernels.dot(a, at, r[j], at, n), 1e-12);
            }
            for (int p = 0; p < 30; p++) {
                double sum = 0;
                for (int j = 0; j < count; j++) {
                    sum += coef[2 + j] * r[j][p];
                }
                boolean inside = p >= at && p < at + n;
                assertEquals(inside ? sum : a[p], combined[p], 1e-12, "combine over, count " + count + " p " + p);
                assertEquals(inside ? a[p] + sum : a[p], added[p], 1e-12, "combine add, count " + count + " p " + p);
            }
        }
    }

    /** Surefire runs with {@code --add-modules jdk.incubator.vector}, as the kernel and the benchmarks do. */
    @Test
    void theVectorLoopsAreUsedWhenTheJvmHasTheIncubatorModule() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "surefire's argLine adds the module");
        assertTrue(HostKernels.vectorized());
    }

    /**
     * The public (vector) loops against their scalar twins on Anderson's sizes (rows of 256 at an offset) and on
     * lengths that leave a tail: sums to 1e-13 of the sum of |terms| (they add in another order), mixes exactly
     * (the same products and sums per element).
     */
    @Test
    void vectorAndScalarLoopsAgree() {
        Random rnd = new Random(11);
        for (int n : new int[] {256, 1, 7, 37, 1000}) {
            int at = 3 * n + 5;
            int length = at + n + 9;
            double[] a = rows(rnd, 1, length)[0];
            for (int count = 1; count <= 9; count++) {
                double[][] r = rows(rnd, count, length);
                double[] coef = rows(rnd, 1, count + 1)[0];
                double[] vector = new double[count];
                double[] scalar = new double[count];
                HostKernels.dots(a, r, count, at, n, vector);
                HostKernels.scalarDots(a, r, count, at, n, scalar);
                for (int j = 0; j < count; j++) {
                    double scale = 0;
                    for (int p = at; p < at + n; p++) {
                        scale += Math.abs(a[p] * r[j][p]);
                    }
                    assertEquals(scalar[j], vector[j], 1e-13 * scale, "dots n " + n + " count " + count + " row " + j);
                    assertEquals(HostKernels.scalarDot(a, at, r[j], at, n), HostKernels.dot(a, at, r[j], at, n),
                            1e-13 * scale, "dot n " + n);
                }
                for (boolean add : new boolean[] {false, true}) {
                    double[] v = a.clone();
                    double[] sc = a.clone();
                    HostKernels.combine(v, r, coef, 1, count, at, n, add);
                    HostKernels.scalarCombine(sc, r, coef, 1, count, at, n, add);
                    assertArrayEquals(sc, v, 0, "combine n " + n + " count " + count + " add " + add);
                }
            }
        }
    }

    /**
     * The conversions on a window [at, at + n) of longer arrays, vector loops against Java's casts and float
     * arithmetic, bit for bit, outside the window untouched: widen, narrow, and widen after a multiply and an add
     * each rounded to float32 (what libtorch's elementwise ops give; SolverTest checks that against libtorch).
     */
    @Test
    void conversionsOnAWindowEqualJavasCastsAndFloatArithmetic() {
        Random rnd = new Random(4);
        for (int n : new int[] {1, 7, 8, 37, 256}) {
            int at = 2 * n + 3;
            int length = at + n + 5;
            float[] floats = new float[length];
            double[] doubles = new double[length];
            for (int i = 0; i < length; i++) {
                doubles[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10);
                floats[i] = (float) (rnd.nextGaussian() * 3);
            }
            float[] narrowed = new float[length];
            HostKernels.narrow(doubles, narrowed, at, n);
            double[] widened = new double[length];
            HostKernels.widen(floats, widened, at, n);
            double[] finished = new double[length];
            HostKernels.widenAffine(floats, finished, at, n, 0.3f, -0.7f);
            for (int i = 0; i < length; i++) {
                boolean inside = i >= at && i < at + n;
                assertEquals(inside ? Float.floatToIntBits((float) doubles[i]) : 0, Float.floatToIntBits(narrowed[i]));
                assertEquals(inside ? floats[i] : 0, widened[i], 0, "widen " + i);
                assertEquals(inside ? (double) (0.3f * floats[i] + -0.7f) : 0, finished[i], 0, "affine " + i);
            }
        }
    }

    /** Through tensor memory: the vector conversions against Java's casts, lengths with and without a tail. */
    @Test
    void vectorConversionsEqualJavasCasts() {
        Random rnd = new Random(3);
        try (NDManager m = Engines.newManager()) {
            for (int n : new int[] {1, 7, 8, 37, 32768}) {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(60) - 30);
                }
                values[0] = Double.NaN;
                NDArray a = m.zeros(new Shape(n), DataType.FLOAT32);
                HostKernels.write(values, a.toByteBuffer(true), DataType.FLOAT32, new float[n]);
                float[] stored = a.toFloatArray();
                double[] back = new double[n];
                HostKernels.read(a, back, null);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToIntBits((float) values[i]), Float.floatToIntBits(stored[i]), "narrow " + i);
                    assertEquals((double) stored[i], back[i], 0, "widen " + i);
                }
            }
        }
    }

    @Test
    void readsAndWritesTensorMemoryInPlace() {
        try (NDManager m = Engines.newManager()) {
            for (DataType t : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                NDArray a = m.zeros(new Shape(2, 3), t);
                assertTrue(HostKernels.onHost(a));
                double[] values = {1, -2, 3.5, 0.25, 1e3, -7};
                HostKernels.write(values, a.toByteBuffer(true), t, new float[6]);
                assertArrayEquals(values, a.toType(DataType.FLOAT64, false).toDoubleArray(), 0, t.toString());
                double[] back = new double[6];
                HostKernels.read(a.transpose(), back, null); // not contiguous: read through a contiguous copy
                assertArrayEquals(new double[] {1, 0.25, -2, 1e3, 3.5, -7}, back, 0, t.toString());
            }
            NDArray ints = m.create(new int[] {4, 5, 6});
            assertFalse(HostKernels.onHost(ints));
            double[] back = new double[3];
            int before = m.getManagedArrays().size();
            HostKernels.read(ints, back, null);
            assertArrayEquals(new double[] {4, 5, 6}, back, 0);
            assertEquals(before, m.getManagedArrays().size(), "the float64 copy of a non-float array is closed");
            assertFalse(ints.isReleased(), "the array read is not");
            assertArrayEquals(new double[] {1.5, -2}, HostKernels.toDoubles(m.create(new float[] {1.5f, -2f})), 0);
        }
    }
}
