package org.deqnc.theory.kernels;

import org.deqnc.data.GaussianMixture;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relative spectral-norm error {@code ||K - K̄||_2 / ||K̄||_2} of the empirical DEQ kernel (CK φ-part or NTK)
 * against its high-dimensional equivalent, over dimensions p, activations and seeds, on Ling et al.'s two-class
 * mixture ({@link GaussianMixture#lingTwoClass}, n = floor(0.8 p)). One row per (activation, p, seed); the
 * eigenvalues of the last p's first seed are kept for histograms. Seed s draws the data with seed s and the
 * weights with seed 1000 + s.
 *
 * <pre>{@code
 * EquivalenceSweep.Result r = EquivalenceSweep.builder().kernel(EquivalenceSweep.Kernel.CK)
 *         .activations("relu", "tanh").dimensions(100, 200, 400).width(1000).draws(20).seeds(1, 2).build().run();
 * }</pre>
 */
public final class EquivalenceSweep {

    /** Which kernel is compared. */
    public enum Kernel { CK, NTK }

    /** The table's columns. */
    public static final List<String> COLUMNS = List.of("activation", "p", "n", "m", "draws", "seed", "error",
            "error_at_quarter_draws", "norm_empirical", "norm_equivalent", "tau0", "tau", "iterations", "seconds");

    private final Builder b;

    private EquivalenceSweep(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The table and, per activation, the empirical and equivalent eigenvalues at the largest p (first seed). */
    public record Result(Table table, Map<String, double[][]> spectra) {
    }

    public Result run() {
        Table t = Table.create("relative " + b.kernel + " error vs p");
        StringColumn activation = StringColumn.create("activation");
        IntColumn p = IntColumn.create("p"), n = IntColumn.create("n"), m = IntColumn.create("m"),
                draws = IntColumn.create("draws"), seed = IntColumn.create("seed");
        DoubleColumn error = DoubleColumn.create("error"), early = DoubleColumn.create("error_at_quarter_draws"),
                normEmp = DoubleColumn.create("norm_empirical"), normEq = DoubleColumn.create("norm_equivalent"),
                tau0 = DoubleColumn.create("tau0"), tau = DoubleColumn.create("tau"),
                iterations = DoubleColumn.create("iterations"), seconds = DoubleColumn.create("seconds");
        Map<String, double[][]> spectra = new LinkedHashMap<>();
        int largest = java.util.Arrays.stream(b.dimensions).max().orElseThrow();
        for (String name : b.activations) {
            KernelActivation f = KernelActivation.named(name);
            for (int dim : b.dimensions) {
                for (long s : b.seeds) {
                    long start = System.nanoTime();
                    KernelInputs inputs = KernelInputs.of(GaussianMixture.lingTwoClass(dim).sample((int) (0.8 * dim), s), b.tau0);
                    DeqKernelTheory theory = DeqKernelTheory.solve(f, b.sigmaA2, inputs.tau0());
                    KernelEstimate e = MonteCarloKernels.deq(inputs, CenteredActivation.at(f, theory.tau()), b.sigmaA2,
                            b.width, b.draws, 1000 + s, Math.max(1, b.draws / 4));
                    double[][] equivalent = (b.kernel == Kernel.CK ? theory.ckPhiPart() : theory.ntk()).matrix(inputs);
                    double[][] empirical = b.kernel == Kernel.CK ? e.ck() : e.ntk();
                    double[][] earlyKernel = b.kernel == Kernel.CK ? e.snapshots().get(0).ck() : e.snapshots().get(0).ntk();
                    double[] evEmp = Spectrum.eigenvalues(empirical), evEq = Spectrum.eigenvalues(equivalent);
                    activation.append(name);
                    p.append(dim);
                    n.append(inputs.size());
                    m.append(b.width);
                    draws.append(b.draws);
                    seed.append((int) s);
                    error.append(Spectrum.relativeError(empirical, equivalent));
                    early.append(Spectrum.relativeError(earlyKernel, equivalent));
                    normEmp.append(Math.max(-evEmp[0], evEmp[evEmp.length - 1]));
                    normEq.append(Math.max(-evEq[0], evEq[evEq.length - 1]));
                    tau0.append(inputs.tau0());
                    tau.append(theory.tau());
                    iterations.append(e.meanIterations());
                    seconds.append((System.nanoTime() - start) / 1e9);
                    if (dim == largest && s == b.seeds[0]) {
                        spectra.put(name, new double[][]{evEmp, evEq});
                    }
                }
            }
        }
        t.addColumns(activation, p, n, m, draws, seed, error, early, normEmp, normEq, tau0, tau, iterations, seconds);
        return new Result(t, spectra);
    }

    /** Mean and standard deviation of a column over seeds, one row per (activation, p). */
    public static Table overSeeds(Table sweep, String column) {
        Table out = Table.create(column + " over seeds");
        StringColumn activation = StringColumn.create("activation");
        IntColumn p = IntColumn.create("p"), count = IntColumn.create("seeds");
        DoubleColumn mean = DoubleColumn.create(column + "_mean"), sd = DoubleColumn.create(column + "_sd");
        Map<String, List<Double>> groups = new LinkedHashMap<>();
        for (int i = 0; i < sweep.rowCount(); i++) {
            groups.computeIfAbsent(sweep.stringColumn("activation").get(i) + "\t" + sweep.intColumn("p").getInt(i),
                    k -> new java.util.ArrayList<>()).add(sweep.doubleColumn(column).getDouble(i));
        }
        groups.forEach((key, values) -> {
            String[] parts = key.split("\t");
            double mu = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double var = values.stream().mapToDouble(v -> (v - mu) * (v - mu)).sum() / Math.max(1, values.size() - 1);
            activation.append(parts[0]);
            p.append(Integer.parseInt(parts[1]));
            count.append(values.size());
            mean.append(mu);
            sd.append(values.size() > 1 ? Math.sqrt(var) : Double.NaN);
        });
        return out.addColumns(activation, p, count, mean, sd);
    }

    public static final class Builder {
        private Kernel kernel = Kernel.CK;
        private List<String> activations = List.of("relu", "tanh");
        private int[] dimensions = {100, 200, 400};
        private int width = 1000;
        private int draws = 20;
        private long[] seeds = {1};
        private double sigmaA2 = 0.2;
        private KernelInputs.Tau0 tau0 = KernelInputs.Tau0.EMPIRICAL;

        public Builder kernel(Kernel kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Names from {@link KernelActivation#NAMES}. */
        public Builder activations(String... names) {
            for (String name : names) {
                KernelActivation.named(name);   // fails early, naming the accepted values
            }
            this.activations = List.of(names);
            return this;
        }

        /** Dimensions p, each >= 9 (the mixture puts a mean on coordinate 8). */
        public Builder dimensions(int... dimensions) {
            if (dimensions.length == 0) {
                throw new IllegalArgumentException("dimensions: need at least one p");
            }
            this.dimensions = dimensions.clone();
            return this;
        }

        public Builder width(int m) {
            this.width = m;
            return this;
        }

        /** Monte-Carlo draws per point, >= 2 (the error is also reported after a quarter of them). */
        public Builder draws(int draws) {
            if (draws < 2) {
                throw new IllegalArgumentException("draws: need >= 2, got " + draws);
            }
            this.draws = draws;
            return this;
        }

        public Builder seeds(long... seeds) {
            if (seeds.length == 0) {
                throw new IllegalArgumentException("seeds: need at least one");
            }
            this.seeds = seeds.clone();
            return this;
        }

        public Builder sigmaA2(double sigmaA2) {
            this.sigmaA2 = sigmaA2;
            return this;
        }

        public Builder tau0(KernelInputs.Tau0 tau0) {
            this.tau0 = tau0;
            return this;
        }

        public EquivalenceSweep build() {
            return new EquivalenceSweep(this);
        }
    }
}
