package org.deqnc.theory;

/**
 * Our reconstruction of the layer-peeled comparison between a DEQ and an explicit network (Sun and Shi,
 * NeurIPS 2024; their exact theorem statements are not known): free input features {@code h0_k} pass through a
 * {@link FeatureLayer} and then a linear classifier W, with the step-imbalanced weighted cross-entropy of
 * {@link LayerPeeledProblem}.
 *
 * <p>Where the norm budgets sit is a {@link BudgetPlacement}:
 * <ul>
 *   <li>{@link BudgetPlacement#INPUT_AND_WEIGHTS} (default): {@code sum ||h0_k||^2 <= K E_H},
 *       {@code sum ||w_k||^2 <= K E_W}, and the layer's own spectral bound. This is the setting in which the
 *       layer matters, hence the one we use to compare DEQ and explicit.</li>
 *   <li>{@link BudgetPlacement#FEATURES}: the budget is on the features that enter the classifier. Every
 *       admissible layer is invertible, so any feature matrix is reachable and the layer is irrelevant: DEQ and
 *       explicit both attain exactly Fang et al.'s optimum (this is the "NC holds for DEQ as for explicit"
 *       statement in its simplest form).</li>
 * </ul>
 *
 * <p><b>Reduction (our derivation).</b> Under INPUT_AND_WEIGHTS the set of reachable feature matrices
 * {@code F = H0 A^T} is exactly the Frobenius ball of radius {@code g sqrt(K E_H)}, with g the layer's
 * {@link FeatureLayer#gain()}: {@code ||F||_F <= ||A||_2 ||H0||_F <= g sqrt(K E_H)}, and every F in that ball is
 * reached with weights {@code bound * I} and {@code H0 = F / g}. So the network program is Fang's program with
 * the effective feature budget {@code E_H g^2}: its optimum, minority collapse and NC geometry are those of
 * {@link #effectiveProblem()}. Consequences:
 * <ul>
 *   <li>at balance the DEQ attains {@code K log(1 + (K-1) exp(-sqrt(E_H E_W) K / ((K-1)(1-gamma))))}, with
 *       simplex-ETF features and self-dual classifier;</li>
 *   <li>since Fang's optimum decreases in E_H, the DEQ's loss is a lower bound for the unrolled explicit
 *       iteration with {@code beta = gamma} at every depth L (gain {@code (1-gamma^{L+1})/(1-gamma) <
 *       1/(1-gamma)}), approached as L grows; against an explicit product the order is decided by
 *       {@code 1/(1-gamma)} versus {@code beta^L}.</li>
 * </ul>
 * {@link DirectPeeledSolver} optimises over the layer's parameters directly, to check this reduction numerically.
 */
public final class PeeledNetworkProblem {

    /** Where the feature norm budget {@code K E_H} applies. */
    public enum BudgetPlacement {
        /** On the layer input H0, with the layer's own weight bound. */
        INPUT_AND_WEIGHTS,
        /** On the features that enter the classifier. */
        FEATURES
    }

    private final LayerPeeledProblem base;
    private final FeatureLayer layer;
    private final BudgetPlacement placement;

    private PeeledNetworkProblem(LayerPeeledProblem base, FeatureLayer layer, BudgetPlacement placement) {
        this.base = java.util.Objects.requireNonNull(base, "base");
        this.layer = java.util.Objects.requireNonNull(layer, "layer");
        if (!layer.linear() || Double.isInfinite(layer.gain())) {
            throw new IllegalArgumentException("layer: the reduction needs a linear layer with a finite gain, got "
                    + layer + " (use MatchedBudgetProblem for ReLU DEQs and Frobenius budgets)");
        }
        this.placement = java.util.Objects.requireNonNull(placement, "placement");
    }

    /** The network program with budgets on the layer input and weights. */
    public static PeeledNetworkProblem of(LayerPeeledProblem base, FeatureLayer layer) {
        return of(base, layer, BudgetPlacement.INPUT_AND_WEIGHTS);
    }

    public static PeeledNetworkProblem of(LayerPeeledProblem base, FeatureLayer layer, BudgetPlacement placement) {
        return new PeeledNetworkProblem(base, layer, placement);
    }

    public LayerPeeledProblem base() {
        return base;
    }

    public FeatureLayer layer() {
        return layer;
    }

    public BudgetPlacement placement() {
        return placement;
    }

    /** The factor on E_H: {@code gain^2} under INPUT_AND_WEIGHTS, 1 under FEATURES. */
    public double featureBudgetFactor() {
        return placement == BudgetPlacement.FEATURES ? 1 : layer.gain() * layer.gain();
    }

    /** Fang's program with the effective feature budget {@code E_H * featureBudgetFactor()}. */
    public LayerPeeledProblem effectiveProblem() {
        return base.toBuilder().featureBudget(base.featureBudget() * featureBudgetFactor()).build();
    }

    /** The closed-form optimum of the balanced version (R = 1) of this network program. */
    public double balancedOptimum() {
        LayerPeeledProblem effective = effectiveProblem();
        return LayerPeeledProblem.balancedOptimum(effective.classes(), effective.featureBudget(),
                effective.classifierBudget());
    }

    /**
     * Solves through the reduction: Fang's program at the effective budget, then the layer weights
     * {@code bound * I} and input {@code H0 = F / gain} that realise its optimal features F.
     */
    public PeeledNetworkSolution solve(LayerPeeledSolver solver) {
        LayerPeeledSolution peeled = solver.solve(effectiveProblem());
        double[][] features = peeled.features();
        double[][] input = Dense.scale(features, 1 / layer.gain());
        return new PeeledNetworkSolution(this, peeled, input, layer.maximalWeights(features[0].length));
    }

    @Override
    public String toString() {
        return "PeeledNetworkProblem[" + base + ", layer=" + layer + ", budget=" + placement + "]";
    }
}
