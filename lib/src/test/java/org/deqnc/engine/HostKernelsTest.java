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
