package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

import java.util.SplittableRandom;

/**
 * N(0, std²) entries from a Java PRNG with an explicit seed: DJL's own initialisers draw from the
 * engine's global generator, which would make runs depend on everything initialised before.
 */
public final class SeededNormal implements Initializer {

    private final double std;
    private final long seed;

    SeededNormal(double std, long seed) {
        this.std = std;
        this.seed = seed;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return gaussian(manager, shape, dataType, std, seed);
    }

    /** A seeded Gaussian array; also used for probe vectors (Hutchinson, power method). */
    public static NDArray gaussian(NDManager manager, Shape shape, DataType dataType, double std, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = Math.toIntExact(shape.size());
        if (dataType == DataType.FLOAT64) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = std * normal(rnd);
            }
            return manager.create(v, shape);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (std * normal(rnd));
        }
        return manager.create(v, shape).toType(dataType, false);
    }

    /** Box–Muller (SplittableRandom has no nextGaussian on Java 17). */
    private static double normal(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
