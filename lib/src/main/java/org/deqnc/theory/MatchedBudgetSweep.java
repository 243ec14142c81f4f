package org.deqnc.theory;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The matched-budget comparison: a DEQ against explicit layers in the layer-peeled model where the
 * layer has its own parameter budget ({@link MatchedBudgetProblem}), over K_A, R and a condition axis
 * (gamma, E_D, E_H, E_W). Contenders ({@link #CONTENDERS}):
 * <ul>
 *   <li>{@code fang}: no layer, Fang et al.'s model at E_H (certified);</li>
 *   <li>matched parameter norm ({@code sum_l ||W_l||_F^2 <= E_D}): {@code deq} (linear, {@code ||W_D||_2 <= gamma}),
 *       {@code deq_relu}, {@code explicit_tied} (the DEQ's iteration stopped after L steps), {@code explicit}
 *       (untied product of L layers); solved locally with the certified bracket of {@link MatchedBudgetSolver};</li>
 *   <li>matched gain (spectral bounds only, every layer's largest gain {@code 1/(1-gamma)}): {@code deq_gain},
 *       {@code explicit_tied_gain}, {@code explicit_gain}; each is exactly Fang's model at {@code E_H/(1-gamma)^2}
 *       (certified through {@link PeeledNetworkProblem});</li>
 *   <li>weight-decay twins {@code deq_wd}, {@code explicit_tied_wd}: penalties whose coefficients are the fitted
 *       multipliers of the matched-norm solution at R = 1 (same condition and K_A), held fixed over R (local).</li>
 * </ul>
 * Every row also carries Fang's certified solution at the row's effective budget (the feature energy the
 * classifier sees, times the classifier's own energy: Fang's optimum depends on E_H E_W only), so that each curve
 * can be compared with Fang's at equal effective budget; {@code E_H_E_W} is the nominal product beside it.
 * Deterministic given the solvers' seeds.
 */
public final class MatchedBudgetSweep {

    /** One point of the condition axis. */
    public record Condition(double gamma, double layerBudget, double featureBudget, double classifierBudget) {
        public Condition {
            FeatureLayer.deq(gamma); // validates gamma with the standard message
            Checks.requirePositive("E_D", layerBudget);
            Checks.requirePositive("E_H", featureBudget);
            Checks.requirePositive("E_W", classifierBudget);
        }

        /** A short label, e.g. {@code gamma=0.5 E_D=0.5 E_H=5.0 E_W=1.0}. */
        public String label() {
            return "gamma=" + gamma + " E_D=" + layerBudget + " E_H=" + featureBudget + " E_W=" + classifierBudget;
        }
    }

    /** Contender name -> budget family. */
    public static final Map<String, String> CONTENDERS = orderedMap(
            "fang", "none", "deq", "matched_norm", "deq_relu", "matched_norm", "explicit_tied", "matched_norm",
            "explicit", "matched_norm", "deq_gain", "matched_gain", "explicit_tied_gain", "matched_gain",
            "explicit_gain", "matched_gain", "deq_wd", "weight_decay", "explicit_tied_wd", "weight_decay");

    /** The sweep table's columns, in order. */
    public static final List<String> COLUMNS = List.of("condition", "family", "model", "K_A", "R", "objective",
            "cross_entropy", "lower_bound", "upper_bound", "certificate", "stationarity", "effective_E_H",
            "minority_cos", "minority_spread", "etf_distance", "equinorm", "equiangular", "etf_distance_sample",
            "equinorm_sample", "equiangular_sample", "self_duality", "self_duality_sample", "seli_distance",
            "seli_distance_classifier", "E_H_E_W", "effective_E_H_E_W", "fang_eff_etf_distance",
            "fang_eff_self_duality", "fang_eff_minority_cos");

    private static final List<String> TEXT = List.of("condition", "family", "model", "certificate");

    private final int classes;
    private final int depth;
    private final int[] majorityCounts;
    private final double[] ratios;
    private final List<Condition> conditions;
    private final List<String> contenders;
    private final LayerPeeledSolver certified;
    private final MatchedBudgetSolver local;
    private final Map<String, MatchedBudgetProblem.WeightDecay> twins = new HashMap<>();

    private MatchedBudgetSweep(Builder b) {
        this.classes = Checks.requireAtLeast("K", b.classes, 3);
        this.depth = Checks.requireAtLeast("depth", b.depth, 1);
        for (int kA : b.majorityCounts) {
            LayerPeeledProblem.builder().classes(classes).majorityClasses(kA).build();
        }
        for (double r : b.ratios) {
            LayerPeeledProblem.builder().classes(classes).ratio(r).build();
        }
        for (String c : b.contenders) {
            if (!CONTENDERS.containsKey(c)) {
                throw new IllegalArgumentException("contenders: unknown '" + c + "' (accepted: "
                        + String.join(", ", CONTENDERS.keySet()) + ")");
            }
        }
        if (b.majorityCounts.length == 0 || b.ratios.length == 0 || b.conditions.isEmpty() || b.contenders.isEmpty()) {
            throw new IllegalArgumentException("grid: K_A, R, conditions and contenders must each be non-empty");
        }
        this.majorityCounts = b.majorityCounts.clone();
        this.ratios = b.ratios.clone();
        this.conditions = List.copyOf(b.conditions);
        this.contenders = List.copyOf(b.contenders);
        this.certified = b.local.certifiedSolver();
        this.local = b.local;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Solves every (condition, contender, K_A, R) point; one row each, columns {@link #COLUMNS}. */
    public Table run() {
        Table t = Table.create("matched-budget sweep");
        for (String c : COLUMNS) {
            t.addColumns(TEXT.contains(c) ? StringColumn.create(c) : c.equals("K_A") ? IntColumn.create(c)
                    : DoubleColumn.create(c));
        }
        for (Condition condition : conditions) {
            for (String model : contenders) {
                for (int kA : majorityCounts) {
                    for (double r : ratios) {
                        appendRow(t, condition, model, kA, r, solve(condition, model, kA, r));
                    }
                }
            }
        }
        return t;
    }

    /** One solved point: its loss values, certificate, effective budget and geometry. */
    public record Point(double objective, double crossEntropy, double lowerBound, double upperBound,
                        String certificate, double stationarity, double effectiveFeatureBudget,
                        double effectiveClassifierBudget, PeeledGeometry geometry) {
    }

    /** Solves one contender at one (condition, K_A, R). */
    public Point solve(Condition condition, String model, int kA, double r) {
        LayerPeeledProblem base = baseProblem(condition, kA, r);
        double gain = 1 / (1 - condition.gamma());
        return switch (model) {
            case "fang" -> certifiedPoint(PeeledNetworkProblem.of(base, FeatureLayer.none()));
            case "deq_gain" -> certifiedPoint(PeeledNetworkProblem.of(base, FeatureLayer.deq(condition.gamma())));
            case "explicit_tied_gain" -> certifiedPoint(PeeledNetworkProblem.of(base,
                    FeatureLayer.explicitTied(depth, tiedBoundForGain(gain, depth))));
            case "explicit_gain" -> certifiedPoint(PeeledNetworkProblem.of(base,
                    FeatureLayer.explicitProduct(depth, Math.pow(gain, 1.0 / depth))));
            case "deq_wd", "explicit_tied_wd" -> {
                String constrained = model.substring(0, model.length() - "_wd".length());
                MatchedBudgetProblem.WeightDecay decay = twins.computeIfAbsent(condition.label() + constrained + kA,
                        key -> local.solve(matchedNorm(condition, constrained, base.toBuilder().ratio(1).build()))
                                .fittedWeightDecay());
                yield localPoint(MatchedBudgetProblem.weightDecay(base, layer(condition, constrained), decay));
            }
            default -> localPoint(matchedNorm(condition, model, base));
        };
    }

    private LayerPeeledProblem baseProblem(Condition condition, int kA, double r) {
        return LayerPeeledProblem.builder().classes(classes).majorityClasses(kA).ratio(r)
                .featureBudget(condition.featureBudget()).classifierBudget(condition.classifierBudget()).build();
    }

    /** The matched-parameter-norm problem of a contender at a base problem. */
    public MatchedBudgetProblem matchedNorm(Condition condition, String model, LayerPeeledProblem base) {
        return MatchedBudgetProblem.constrained(base, layer(condition, model), condition.layerBudget());
    }

    private FeatureLayer layer(Condition condition, String model) {
        return switch (model) {
            case "deq" -> FeatureLayer.deq(condition.gamma());
            case "deq_relu" -> FeatureLayer.deqRelu(condition.gamma());
            case "explicit_tied" -> FeatureLayer.explicitTied(depth, Double.POSITIVE_INFINITY);
            case "explicit" -> FeatureLayer.explicitProduct(depth, Double.POSITIVE_INFINITY);
            default -> throw new IllegalArgumentException("model: '" + model + "' has no matched-norm layer");
        };
    }

    /** The spectral bound beta with {@code 1 + beta + ... + beta^L = gain} (bisection; gain &gt; 1). */
    static double tiedBoundForGain(double gain, int steps) {
        double lo = 0;
        double hi = gain;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (FeatureLayer.geometricSum(mid, steps) < gain) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private Point certifiedPoint(PeeledNetworkProblem network) {
        LayerPeeledSolution s = network.solve(certified).peeled();
        return new Point(s.loss(), s.loss(), s.loss() - s.dualityGap(), s.loss(), "exact", s.kktResidual(),
                network.effectiveProblem().featureBudget(), network.effectiveProblem().classifierBudget(),
                s.geometry());
    }

    private Point localPoint(MatchedBudgetProblem problem) {
        MatchedBudgetSolution s = local.solve(problem);
        return new Point(s.objective(), s.crossEntropy(), s.lowerBound(), s.upperBound(), s.certificate(),
                s.stationarity(), s.effectiveFeatureBudget(), s.effectiveClassifierBudget(), s.geometry());
    }

    private void appendRow(Table t, Condition condition, String model, int kA, double r, Point p) {
        PeeledGeometry g = p.geometry();
        PeeledGeometry fang = certified.solve(fangAtEffectiveBudget(condition, kA, p).toBuilder().ratio(r).build())
                .geometry();
        t.stringColumn("condition").append(condition.label());
        t.stringColumn("family").append(CONTENDERS.get(model));
        t.stringColumn("model").append(model);
        t.stringColumn("certificate").append(p.certificate());
        t.intColumn("K_A").append(kA);
        double[] values = {r, p.objective(), p.crossEntropy(), p.lowerBound(), p.upperBound(), p.stationarity(),
            p.effectiveFeatureBudget(), g.minorityClassifierCosMean(), g.minoritySpread(), g.etfDistance(),
            g.equinormClass(), g.equiangularClass(), g.etfDistanceSample(), g.equinormSample(),
            g.equiangularSample(), g.selfDuality(), g.selfDualitySample(), g.seliDistance(),
            g.seliDistanceClassifier(), condition.featureBudget() * condition.classifierBudget(),
            p.effectiveFeatureBudget() * p.effectiveClassifierBudget(), fang.etfDistance(), fang.selfDuality(),
            fang.minorityClassifierCosMean()};
        int i = 0;
        for (String c : COLUMNS) {
            if (!TEXT.contains(c) && !c.equals("K_A")) {
                t.doubleColumn(c).append(values[i++]);
            }
        }
    }

    /** Columns of {@link #budgetForms}. */
    public static final List<String> FORM_COLUMNS = List.of("condition", "form", "model", "K_A", "R", "objective",
            "certificate", "stationarity", "within_class_spread", "effective_E_H", "minority_cos", "etf_distance",
            "equinorm", "equiangular", "seli_distance", "seli_distance_classifier");

    /**
     * The per-class and the per-sample budget form side by side ({@link MatchedBudgetProblem#perSample}): for every
     * condition, model ({@code fang} or a matched-norm contender), K_A and R, one row per form. The per-sample form
     * has {@code minoritySamples} samples per minority class and R times as many per majority class (R n_B must be
     * whole) and is solved locally from the solver's random starts; its geometry is that of the class means.
     */
    public Table budgetForms(List<String> models, int minoritySamples) {
        Table t = Table.create("budget forms");
        for (String c : FORM_COLUMNS) {
            t.addColumns(List.of("condition", "form", "model", "certificate").contains(c) ? StringColumn.create(c)
                    : c.equals("K_A") ? IntColumn.create(c) : DoubleColumn.create(c));
        }
        for (Condition condition : conditions) {
            for (String model : models) {
                for (int kA : majorityCounts) {
                    for (double r : ratios) {
                        LayerPeeledProblem base = baseProblem(condition, kA, r);
                        Point perClass = solve(condition, model, kA, r);
                        appendForm(t, condition, "per_class", model, kA, r, perClass, 0);
                        MatchedBudgetSolution s = local.solve(MatchedBudgetProblem.constrained(base,
                                model.equals("fang") ? FeatureLayer.none() : layer(condition, model),
                                condition.layerBudget()).perSample(minoritySamples));
                        appendForm(t, condition, "per_sample", model, kA, r, new Point(s.objective(),
                                s.crossEntropy(), s.lowerBound(), s.upperBound(), s.certificate(), s.stationarity(),
                                s.effectiveFeatureBudget(), s.effectiveClassifierBudget(), s.geometry()),
                                s.withinClassSpread());
                    }
                }
            }
        }
        return t;
    }

    private static void appendForm(Table t, Condition condition, String form, String model, int kA, double r, Point p,
                                   double withinClassSpread) {
        PeeledGeometry g = p.geometry();
        t.stringColumn("condition").append(condition.label());
        t.stringColumn("form").append(form);
        t.stringColumn("model").append(model);
        t.stringColumn("certificate").append(p.certificate());
        t.intColumn("K_A").append(kA);
        double[] values = {r, p.objective(), p.stationarity(), withinClassSpread, p.effectiveFeatureBudget(),
            g.minorityClassifierCosMean(), g.etfDistance(), g.equinormClass(), g.equiangularClass(), g.seliDistance(),
            g.seliDistanceClassifier()};
        for (int i = 0; i < values.length; i++) {
            t.doubleColumn(4 + i + (i >= 2 ? 1 : 0)).append(values[i]);
        }
    }

    /**
     * Fang's collapse threshold R* (all minority classifiers equal) of every contender in {@code models} at every
     * condition and K_A, by {@link CollapseThreshold#bisect} over {@code [1, maxRatio]}. Columns: condition, model,
     * K_A, R_below, R_above, R_star (geometric midpoint), effective_E_H (at R_above), fang_eff_R_star (Fang's R* at
     * that effective budget), solves.
     */
    public Table collapseThresholds(List<String> models, double maxRatio, double tolerance, int iterations) {
        Table t = Table.create("collapse thresholds R*", StringColumn.create("condition"), StringColumn.create("model"),
                IntColumn.create("K_A"));
        for (String c : List.of("R_below", "R_above", "R_star", "effective_E_H", "fang_eff_R_star", "solves")) {
            t.addColumns(DoubleColumn.create(c));
        }
        for (Condition condition : conditions) {
            for (String model : models) {
                for (int kA : majorityCounts) {
                    CollapseThreshold.Bracket b = CollapseThreshold.bisect(
                            r -> solve(condition, model, kA, r).geometry().minoritySpread(), 1, maxRatio, tolerance,
                            iterations);
                    double atR = Double.isNaN(b.above()) ? maxRatio : b.above();
                    Point atThreshold = solve(condition, model, kA, atR);
                    double effective = atThreshold.effectiveFeatureBudget();
                    LayerPeeledProblem fang = fangAtEffectiveBudget(condition, kA, atThreshold);
                    CollapseThreshold.Bracket f = CollapseThreshold.bisect(r -> certified.solve(
                            fang.toBuilder().ratio(r).build()).geometry().minoritySpread(), 1, maxRatio, tolerance,
                            iterations);
                    t.stringColumn("condition").append(condition.label());
                    t.stringColumn("model").append(model);
                    t.intColumn("K_A").append(kA);
                    double[] values = {b.below(), b.above(), b.estimate(), effective, f.estimate(), b.solves()};
                    for (int i = 0; i < values.length; i++) {
                        t.doubleColumn(3 + i).append(values[i]);
                    }
                }
            }
        }
        return t;
    }

    /**
     * Fang's program at a point's effective budget: the product E_H E_W it actually uses, carried by the feature
     * budget with the condition's E_W (Fang's optimum depends on the product only).
     */
    private LayerPeeledProblem fangAtEffectiveBudget(Condition condition, int kA, Point p) {
        return LayerPeeledProblem.builder().classes(classes).majorityClasses(kA)
                .featureBudget(p.effectiveFeatureBudget() * p.effectiveClassifierBudget() / condition.classifierBudget())
                .classifierBudget(condition.classifierBudget()).build();
    }

    private static Map<String, String> orderedMap(String... keyValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Fluent builder. Defaults: K = 10, L = 3, K_A in {3, 5, 7}, R in {1, 10, 50, 100, 1000} (the paper's R
     * values with 1 and 1000 added), one condition (gamma = 0.5, E_D = 0.5, E_H = 5, E_W = 1), every contender,
     * the default local solver. These defaults are our choice; the paper's are unknown.
     */
    public static final class Builder {
        private int classes = 10;
        private int depth = 3;
        private int[] majorityCounts = {3, 5, 7};
        private double[] ratios = {1, 10, 50, 100, 1000};
        private List<Condition> conditions = List.of(new Condition(0.5, 0.5, 5, 1));
        private List<String> contenders = new ArrayList<>(CONTENDERS.keySet());
        private MatchedBudgetSolver local = MatchedBudgetSolver.builder().build();

        private Builder() {
        }

        public Builder classes(int k) {
            this.classes = k;
            return this;
        }

        /** L, the number of explicit layers or unrolled steps (>= 1). */
        public Builder depth(int l) {
            this.depth = l;
            return this;
        }

        public Builder majorityCounts(int... kA) {
            this.majorityCounts = kA.clone();
            return this;
        }

        public Builder ratios(double... r) {
            this.ratios = r.clone();
            return this;
        }

        public Builder conditions(List<Condition> c) {
            this.conditions = Objects.requireNonNull(c, "conditions");
            return this;
        }

        /** Contender names, a subset of {@link #CONTENDERS}. */
        public Builder contenders(String... names) {
            this.contenders = List.of(names);
            return this;
        }

        /** The local solver; its certified solver also serves the certified contenders. */
        public Builder solver(MatchedBudgetSolver s) {
            this.local = Objects.requireNonNull(s, "solver");
            return this;
        }

        public MatchedBudgetSweep build() {
            return new MatchedBudgetSweep(this);
        }
    }
}
