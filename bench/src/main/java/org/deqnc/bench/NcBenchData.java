package org.deqnc.bench;

/**
 * The benchmark's synthetic NC problem, generated without any random-number library so that
 * {@code environment/bench/nc_numpy.py} can rebuild it bit for bit: every number is the splitmix64
 * finaliser of its index in a stream, turned into u in [0, 1) from its top 53 bits (exact in float64).
 * Labels y_i = floor(K u), centres c_k in [−1, 1)^d, features h_i = c_{y_i} + noise in [−1, 1)^d,
 * classifier W and bias b in [−0.1, 0.1).
 *
 * @param n       N
 * @param d       feature dimension
 * @param k       K
 * @param labels  y, length N
 * @param h       row-major N×d features
 * @param weights W, K×d
 * @param bias    b, length K
 */
record NcBenchData(int n, int d, int k, int[] labels, double[] h, double[][] weights, double[] bias) {

    private static final int LABELS = 0;
    private static final int CENTRES = 1;
    private static final int NOISE = 2;
    private static final int WEIGHTS = 3;
    private static final int BIAS = 4;

    static NcBenchData generate(int n, int d, int k) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (int) Math.floor(uniform(LABELS, i) * k);
        }
        double[][] centres = symmetric(CENTRES, k, d, 1.0);
        double[] h = new double[Math.multiplyExact(n, d)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                long index = (long) i * d + j;
                h[(int) index] = centres[y[i]][j] + (2 * uniform(NOISE, index) - 1);
            }
        }
        return new NcBenchData(n, d, k, y, h, symmetric(WEIGHTS, k, d, 0.1), symmetric(BIAS, 1, k, 0.1)[0]);
    }

    /** scale·(2u − 1) for the first rows·cols indices of a stream, row-major. */
    private static double[][] symmetric(int stream, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = scale * (2 * uniform(stream, (long) r * cols + c) - 1);
            }
        }
        return m;
    }

    /** u in [0, 1) for index {@code stream·2^40 + index}. */
    static double uniform(int stream, long index) {
        return (splitMix64(((long) stream << 40) + index) >>> 11) * 0x1.0p-53;
    }

    /** The splitmix64 output function (Steele, Lea &amp; Flood 2014) of x, with wrapping long arithmetic. */
    static long splitMix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
