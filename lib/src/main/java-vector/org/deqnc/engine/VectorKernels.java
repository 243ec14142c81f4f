package org.deqnc.engine;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link HostKernels}' sums and mixes with the JDK's incubating Vector API: C2 does not vectorise a
 * floating-point sum by itself (it may not reorder the additions), and these are the bulk of the Anderson
 * iteration's Java passes. Compiled apart from the rest of the library with {@code --add-modules
 * jdk.incubator.vector} and loaded by reflection only when the running JVM has the module
 * ({@link HostKernels#vectorized()}), so a JVM started without it never links this class.
 *
 * <p>Each method computes what its scalar twin in {@link HostKernels} computes; sums are split over the
 * vector's lanes, so they differ from the scalar order in the last bits ({@code HostKernelsTest} checks both).
 */
final class VectorKernels implements HostKernels.Simd {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = D.length();
    /** As many floats as D has doubles: a float vector converts to one double vector lane for lane. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape
            .forBitSize(D.vectorBitSize() / 2));

    VectorKernels() {
        if (LANES < 4) { // 128-bit vectors or none: the scalar loops are as fast
            throw new UnsupportedOperationException("vector width " + D.vectorBitSize() + " bits");
        }
    }

    @Override
    public double dot(double[] a, int aAt, double[] b, int bAt, int n) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        int j = 0;
        for (; j + 2 * LANES <= n; j += 2 * LANES) { // two independent sums, as the scalar twin has four
            s0 = DoubleVector.fromArray(D, a, aAt + j).fma(DoubleVector.fromArray(D, b, bAt + j), s0);
            s1 = DoubleVector.fromArray(D, a, aAt + j + LANES).fma(DoubleVector.fromArray(D, b, bAt + j + LANES), s1);
        }
        for (; j + LANES <= n; j += LANES) {
            s0 = DoubleVector.fromArray(D, a, aAt + j).fma(DoubleVector.fromArray(D, b, bAt + j), s0);
        }
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s += a[aAt + j] * b[bAt + j];
        }
        return s;
    }

    @Override
    public void dots(double[] a, double[][] rows, int count, int at, int n, double[] out) {
        int body = n - n % LANES;
        HostKernels.scalarDots(a, rows, count, at + body, n - body, out); // the tail, then the body added
        int j = 0;
        for (; j + 3 < count; j += 4) {
            double[] r0 = rows[j];
            double[] r1 = rows[j + 1];
            double[] r2 = rows[j + 2];
            double[] r3 = rows[j + 3];
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = DoubleVector.zero(D);
            DoubleVector s2 = DoubleVector.zero(D);
            DoubleVector s3 = DoubleVector.zero(D);
            for (int p = at; p < at + body; p += LANES) {
                DoubleVector v = DoubleVector.fromArray(D, a, p);
                s0 = v.fma(DoubleVector.fromArray(D, r0, p), s0);
                s1 = v.fma(DoubleVector.fromArray(D, r1, p), s1);
                s2 = v.fma(DoubleVector.fromArray(D, r2, p), s2);
                s3 = v.fma(DoubleVector.fromArray(D, r3, p), s3);
            }
            out[j] += s0.reduceLanes(VectorOperators.ADD);
            out[j + 1] += s1.reduceLanes(VectorOperators.ADD);
            out[j + 2] += s2.reduceLanes(VectorOperators.ADD);
            out[j + 3] += s3.reduceLanes(VectorOperators.ADD);
        }
        for (; j < count; j++) {
            out[j] += dot(a, at, rows[j], at, body);
        }
    }

    /** Same products and sums per element as the scalar loop (no fused multiply-add), so the same result. */
    @Override
    public void combine(double[] out, double[][] rows, double[] coef, int coefAt, int count, int at, int n,
            boolean add) {
        int body = n - n % LANES;
        for (int j = 0; j < count; j += 4) {
            int left = count - j;
            DoubleVector c0 = DoubleVector.broadcast(D, coef[coefAt + j]);
            DoubleVector c1 = DoubleVector.broadcast(D, left > 1 ? coef[coefAt + j + 1] : 0);
            DoubleVector c2 = DoubleVector.broadcast(D, left > 2 ? coef[coefAt + j + 2] : 0);
            DoubleVector c3 = DoubleVector.broadcast(D, left > 3 ? coef[coefAt + j + 3] : 0);
            // a missing row: the first one, already read, with weight 0 (as the scalar loop)
            double[][] r = {rows[j], rows[left > 1 ? j + 1 : j], rows[left > 2 ? j + 2 : j], rows[left > 3 ? j + 3 : j]};
            boolean over = j == 0 && !add;
            for (int p = at; p < at + body; p += LANES) {
                DoubleVector v = DoubleVector.fromArray(D, r[0], p).mul(c0)
                        .add(DoubleVector.fromArray(D, r[1], p).mul(c1))
                        .add(DoubleVector.fromArray(D, r[2], p).mul(c2))
                        .add(DoubleVector.fromArray(D, r[3], p).mul(c3));
                (over ? v : DoubleVector.fromArray(D, out, p).add(v)).intoArray(out, p);
            }
        }
        HostKernels.scalarCombine(out, rows, coef, coefAt, count, at + body, n - body, add);
    }

    @Override
    public void widen(float[] in, double[] out, int at, int n) {
        int i = at;
        for (; i + LANES <= at + n; i += LANES) {
            ((DoubleVector) FloatVector.fromArray(F, in, i).convertShape(VectorOperators.F2D, D, 0)).intoArray(out, i);
        }
        for (; i < at + n; i++) {
            out[i] = in[i];
        }
    }

    /** A multiply, then an add, each rounded to float32 (no fused multiply-add), as the scalar loop. */
    @Override
    public void widenAffine(float[] in, double[] out, int at, int n, float scale, float shift) {
        int i = at;
        for (; i + LANES <= at + n; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, in, i).mul(scale).add(shift);
            ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).intoArray(out, i);
        }
        for (; i < at + n; i++) {
            out[i] = scale * in[i] + shift;
        }
    }

    @Override
    public void narrow(double[] in, float[] out, int at, int n) {
        int i = at;
        for (; i + LANES <= at + n; i += LANES) {
            ((FloatVector) DoubleVector.fromArray(D, in, i).convertShape(VectorOperators.D2F, F, 0)).intoArray(out, i);
        }
        for (; i < at + n; i++) {
            out[i] = (float) in[i];
        }
    }
}
