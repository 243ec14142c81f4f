package org.deqnc.theory;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.List;

/**
 * Sweeps the step-imbalanced layer-peeled program over K_A and a log grid of R, for a DEQ and an explicit
 * feature layer (our reconstruction, see {@link PeeledNetworkProblem}), and tabulates the minority-collapse
 * geometry. Every point is solved to a certified gap by {@link LayerPeeledSolver} through the reduction to an
 * effective feature budget; {@link DirectPeeledSolver} can confirm single points. Deterministic given the solver's seed.
 *
 * <pre>{@code
 * Table t = MinorityCollapseSweep.builder().profile(MinorityCollapseSweep.Profile.QUICK)
 *         .solver(LayerPeeledSolver.builder().seed(1).build()).build().run();
 * Table onset = MinorityCollapseSweep.collapseOnset(t, 0.5);
 * }</pre>
 */
public final class MinorityCollapseSweep {

    /** Grid sizes: QUICK (7 ratios, for CI and notebooks) and FULL (25 ratios). */
    public enum Profile {
        QUICK(7), FULL(25);

        private final int points;

        Profile(int points) {
            this.points = points;
        }

        public int points() {
            return points;
        }
    }

    /** The sweep table's columns, in order. */
    public static final List<String> COLUMNS = List.of("model", "K_A", "R", "loss", "minority_cos_mean",
            "minority_cos_std", "minority_mean_cos_mean", "majority_norm_W", "minority_norm_W", "majority_norm_H",
            "minority_norm_H", "etf_distance", "equinorm", "equiangular", "etf_distance_sample", "equinorm_sample",
            "equiangular_sample", "self_duality", "minority_spread", "kkt_residual", "duality_gap", "effective_E_H");

    private final LayerPeeledProblem base;
    private final int[] majorityCounts;
    private final double[] ratios;
    private final List<FeatureLayer> layers;
    private final PeeledNetworkProblem.BudgetPlacement placement;
    private final LayerPeeledSolver solver;

    private MinorityCollapseSweep(Builder b) {
        Checks.requireAtLeast("points", b.points, 2);
        if (!(b.maxRatio > 1) || Double.isInfinite(b.maxRatio)) {
            throw new IllegalArgumentException("maxRatio: must be a finite number > 1, got " + b.maxRatio);
        }
        if (b.majorityCounts.length == 0) {
            throw new IllegalArgumentException("majorityCounts: must name at least one K_A, got none");
        }
        this.base = b.base.build();
        for (int kA : b.majorityCounts) {
            base.toBuilder().majorityClasses(kA).build(); // validates K_A against K with the standard message
        }
        this.majorityCounts = b.majorityCounts.clone();
        this.ratios = b.ratios != null ? b.ratios.clone() : ratioGrid(b.points, b.maxRatio);
        for (double r : ratios) {
            base.toBuilder().ratio(r).build(); // validates R with the standard message
        }
        this.layers = b.layers != null ? b.layers : List.of(b.explicit, b.deq);
        if (layers.stream().map(FeatureLayer::model).distinct().count() != layers.size()) {
            throw new IllegalArgumentException("layers: need distinct models (lpm, explicit, deq), got " + layers);
        }
        this.placement = b.placement;
        this.solver = b.solver;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code points} ratios spaced evenly in log10 from 1 to {@code maxRatio}, both included. */
    public static double[] ratioGrid(int points, double maxRatio) {
        double[] r = new double[points];
        for (int i = 0; i < points; i++) {
            r[i] = Math.pow(10, Math.log10(maxRatio) * i / (points - 1));
        }
        r[points - 1] = maxRatio;
        return r;
    }

    public double[] ratios() {
        return ratios.clone();
    }

    /** Solves every (model, K_A, R) point; one row each, columns {@link #COLUMNS}. */
    public Table run() {
        Table table = emptyTable();
        for (FeatureLayer layer : layers) {
            for (int kA : majorityCounts) {
                for (double r : ratios) {
                    LayerPeeledProblem problem = base.toBuilder().majorityClasses(kA).ratio(r).build();
                    PeeledNetworkProblem network = PeeledNetworkProblem.of(problem, layer, placement);
                    LayerPeeledSolution s = network.solve(solver).peeled();
                    appendRow(table, layer.model(), kA, r, s, network.effectiveProblem().featureBudget());
                }
            }
        }
        return table;
    }

    private static Table emptyTable() {
        Table t = Table.create("minority-collapse sweep", StringColumn.create("model"), IntColumn.create("K_A"));
        for (String name : COLUMNS.subList(2, COLUMNS.size())) {
            t.addColumns(DoubleColumn.create(name));
        }
        return t;
    }

    private static void appendRow(Table t, String model, int kA, double r, LayerPeeledSolution s, double effectiveEh) {
        PeeledGeometry g = s.geometry();
        t.stringColumn("model").append(model);
        t.intColumn("K_A").append(kA);
        double[] values = {r, s.loss(), g.minorityClassifierCosMean(), g.minorityClassifierCosStd(),
            g.minorityMeanCosMean(), g.majorityNormW(), g.minorityNormW(), g.majorityNormH(), g.minorityNormH(),
            g.etfDistance(), g.equinormClass(), g.equiangularClass(), g.etfDistanceSample(), g.equinormSample(),
            g.equiangularSample(), g.selfDuality(), g.minoritySpread(), s.kktResidual(), s.dualityGap(), effectiveEh};
        for (int i = 0; i < values.length; i++) {
            t.doubleColumn(COLUMNS.get(i + 2)).append(values[i]);
        }
    }

    /**
     * Fang's collapse threshold R* (all minority classifiers equal: minority spread below {@code tolerance}) of
     * every layer and K_A, by {@link CollapseThreshold#bisect} on {@code [1, maxRatio]} with the sweep's certified
     * solver. Columns: model, K_A, R_below, R_above, R_star (geometric midpoint), effective_E_H.
     */
    public Table collapseThresholds(double maxRatio, double tolerance, int iterations) {
        Table t = Table.create("collapse thresholds R*", StringColumn.create("model"), IntColumn.create("K_A"),
                DoubleColumn.create("R_below"), DoubleColumn.create("R_above"), DoubleColumn.create("R_star"),
                DoubleColumn.create("effective_E_H"));
        for (FeatureLayer layer : layers) {
            for (int kA : majorityCounts) {
                PeeledNetworkProblem network = PeeledNetworkProblem.of(base.toBuilder().majorityClasses(kA).build(),
                        layer, placement);
                LayerPeeledProblem effective = network.effectiveProblem();
                CollapseThreshold.Bracket b = CollapseThreshold.bisect(r -> solver.solve(
                        effective.toBuilder().ratio(r).build()).geometry().minoritySpread(), 1, maxRatio, tolerance,
                        iterations);
                t.stringColumn("model").append(layer.model());
                t.intColumn("K_A").append(kA);
                t.doubleColumn("R_below").append(b.below());
                t.doubleColumn("R_above").append(b.above());
                t.doubleColumn("R_star").append(b.estimate());
                t.doubleColumn("effective_E_H").append(effective.featureBudget());
            }
        }
        return t;
    }

    /**
     * The first R of the grid at which the mean minority-classifier cosine exceeds {@code threshold}, per model
     * and K_A (rows in the sweep's order; missing when it never does). Columns: model, K_A, threshold, onset_R.
     */
    public static Table collapseOnset(Table sweep, double threshold) {
        if (!(threshold > -1 && threshold < 1)) {
            throw new IllegalArgumentException("threshold: must be in (-1, 1), got " + threshold);
        }
        requireColumns(sweep, "minority_cos_mean");
        Table onset = Table.create("minority-collapse onset", StringColumn.create("model"), IntColumn.create("K_A"),
                DoubleColumn.create("threshold"), DoubleColumn.create("onset_R"));
        for (int row = 0; row < sweep.rowCount(); row++) {
            String model = sweep.stringColumn("model").get(row);
            int kA = sweep.intColumn("K_A").getInt(row);
            if (findGroup(onset, model, kA) < 0) {
                onset.stringColumn("model").append(model);
                onset.intColumn("K_A").append(kA);
                onset.doubleColumn("threshold").append(threshold);
                onset.doubleColumn("onset_R").appendMissing();
            }
            int group = findGroup(onset, model, kA);
            boolean collapsed = sweep.doubleColumn("minority_cos_mean").getDouble(row) > threshold;
            if (collapsed && onset.doubleColumn("onset_R").isMissing(group)) {
                onset.doubleColumn("onset_R").set(group, sweep.doubleColumn("R").getDouble(row));
            }
        }
        return onset;
    }

    /**
     * One column of the sweep laid out for plotting and reading: column R (the grid, in sweep order), then one
     * column per (model, K_A) group named {@code "<model> K_A=<k>"}, in order of first appearance.
     * For example {@code byRatio(sweep, "minority_cos_mean")} gives the minority-collapse curves side by side.
     */
    public static Table byRatio(Table sweep, String value) {
        requireColumns(sweep, value);
        List<Double> ratios = new java.util.ArrayList<>();
        java.util.Map<String, double[]> series = new java.util.LinkedHashMap<>();
        for (int row = 0; row < sweep.rowCount(); row++) {
            double r = sweep.doubleColumn("R").getDouble(row);
            if (!ratios.contains(r)) {
                ratios.add(r);
            }
        }
        for (int row = 0; row < sweep.rowCount(); row++) {
            String group = sweep.stringColumn("model").get(row) + " K_A=" + sweep.intColumn("K_A").getInt(row);
            double[] values = series.computeIfAbsent(group, g -> {
                double[] empty = new double[ratios.size()];
                Arrays.fill(empty, Double.NaN);
                return empty;
            });
            values[ratios.indexOf(sweep.doubleColumn("R").getDouble(row))] =
                    sweep.numberColumn(value).getDouble(row);
        }
        Table t = Table.create(value + " by R", DoubleColumn.create("R", ratios));
        series.forEach((group, values) -> t.addColumns(DoubleColumn.create(group, values)));
        return t;
    }

    private static void requireColumns(Table sweep, String value) {
        List<String> needed = List.of("model", "K_A", "R", value);
        if (!sweep.columnNames().containsAll(needed)) {
            throw new IllegalArgumentException("sweep: needs columns " + String.join(", ", needed) + ", got "
                    + sweep.columnNames());
        }
    }

    private static int findGroup(Table onset, String model, int kA) {
        for (int i = 0; i < onset.rowCount(); i++) {
            if (onset.stringColumn("model").get(i).equals(model) && onset.intColumn("K_A").getInt(i) == kA) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "MinorityCollapseSweep[" + base + ", K_A=" + Arrays.toString(majorityCounts) + ", R="
                + Arrays.toString(ratios) + ", layers=" + layers + ", budget=" + placement + "]";
    }

    /**
     * Fluent builder. Defaults: K = 10, E_H = 5, E_W = 1 (Fang et al.), K_A in {3, 5, 7}, the QUICK grid from
     * R = 1 to 1000, a DEQ with gamma = 0.5 against an explicit product of 3 layers with beta = 1 (non-expansive
     * layers, which reproduce Fang's plain model), budgets on input and weights, the default solver.
     * These layer defaults are our choice; the paper's are unknown.
     */
    public static final class Builder {
        private final LayerPeeledProblem.Builder base = LayerPeeledProblem.builder().majorityClasses(1);
        private int[] majorityCounts = {3, 5, 7};
        private int points = Profile.QUICK.points();
        private double maxRatio = 1000;
        private FeatureLayer deq = FeatureLayer.deq(0.5);
        private FeatureLayer explicit = FeatureLayer.explicitProduct(3, 1.0);
        private List<FeatureLayer> layers;
        private double[] ratios;
        private PeeledNetworkProblem.BudgetPlacement placement = PeeledNetworkProblem.BudgetPlacement.INPUT_AND_WEIGHTS;
        private LayerPeeledSolver solver = LayerPeeledSolver.builder().build();

        private Builder() {
        }

        public Builder classes(int k) {
            base.classes(k);
            return this;
        }

        public Builder featureBudget(double eH) {
            base.featureBudget(eH);
            return this;
        }

        public Builder classifierBudget(double eW) {
            base.classifierBudget(eW);
            return this;
        }

        /** The K_A values to sweep (each 1 <= K_A < K). */
        public Builder majorityCounts(int... kA) {
            this.majorityCounts = kA.clone();
            return this;
        }

        /** Number of grid points (>= 2); see also {@link #profile}. */
        public Builder points(int n) {
            this.points = n;
            return this;
        }

        public Builder profile(Profile profile) {
            return points(profile.points());
        }

        /** An explicit R grid (each >= 1), replacing the log grid of {@link #points} and {@link #maxRatio}. */
        public Builder ratios(double... r) {
            this.ratios = r.clone();
            return this;
        }

        /**
         * The layers to sweep, replacing the pair {@link #explicit} and {@link #deq}; their models (lpm, explicit,
         * deq) must be distinct, e.g. {@code none()}, an explicit layer of the DEQ's gain and the DEQ.
         */
        public Builder layers(FeatureLayer... l) {
            this.layers = List.of(l);
            return this;
        }

        /** Largest R of the grid (> 1); default 1000. */
        public Builder maxRatio(double r) {
            this.maxRatio = r;
            return this;
        }

        /** The DEQ layer (default {@code FeatureLayer.deq(0.5)}). */
        public Builder deq(FeatureLayer layer) {
            this.deq = java.util.Objects.requireNonNull(layer, "deq");
            return this;
        }

        /** The explicit layer (default {@code FeatureLayer.explicitProduct(3, 1.0)}). */
        public Builder explicit(FeatureLayer layer) {
            this.explicit = java.util.Objects.requireNonNull(layer, "explicit");
            return this;
        }

        public Builder placement(PeeledNetworkProblem.BudgetPlacement p) {
            this.placement = java.util.Objects.requireNonNull(p, "placement");
            return this;
        }

        /** The solver for every point; its seed makes the sweep deterministic (default: 3 restarts, seed 0). */
        public Builder solver(LayerPeeledSolver s) {
            this.solver = java.util.Objects.requireNonNull(s, "solver");
            return this;
        }

        public MinorityCollapseSweep build() {
            return new MinorityCollapseSweep(this);
        }
    }
}
