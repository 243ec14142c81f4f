/**
 * Layer-peeled theory for neural collapse in DEQs: numerics behind the theory notebooks.
 *
 * <p>What is known of Sun and Shi (NeurIPS 2024) is limited (no theorem text; see the
 * project's {@code docs/theory.md}); everything here beyond Fang et al.'s layer-peeled model is
 * <b>our reconstruction</b>:
 * <ul>
 *   <li>{@link org.deqnc.theory.LayerPeeledProblem} / {@link org.deqnc.theory.LayerPeeledSolver}: Fang et al.'s
 *       class-mean program with step imbalance, solved to a certified duality gap through its exact convex form
 *       (a nuclear-norm ball over the logit matrix);</li>
 *   <li>{@link org.deqnc.theory.FeatureLayer} / {@link org.deqnc.theory.PeeledNetworkProblem}: free features
 *       passed through a linear DEQ {@code (I - W_D)^{-1}} with {@code ||W_D||_2 <= gamma < 1}, or explicit linear
 *       layers, before the classifier. With budgets on the input and the weights the program reduces exactly to
 *       Fang's with feature budget {@code E_H * gain^2} (gain 1/(1 - gamma) for the DEQ), which
 *       {@link org.deqnc.theory.DirectPeeledSolver} confirms by optimising the layer parameters directly;</li>
 *   <li>{@link org.deqnc.theory.MinorityCollapseSweep} and {@link org.deqnc.theory.LayerComparison}: the tables
 *       the notebooks plot (minority collapse versus R and K_A; attained losses of DEQ and explicit layers);</li>
 *   <li>{@link org.deqnc.theory.MatchedBudgetProblem} / {@link org.deqnc.theory.MatchedBudgetSolver} /
 *       {@link org.deqnc.theory.MatchedBudgetSweep} / {@link org.deqnc.theory.MatchedBudgetVerdict}: the layer with its
 *       own parameter budget, solved locally inside a certified bracket, swept over K_A, R and a
 *       condition axis against explicit layers at matched norm and matched gain, with Fang's collapse threshold
 *       ({@link org.deqnc.theory.CollapseThreshold}) and the decision rule; the per-sample budget form beside the
 *       per-class one, with the distance to Thrampoulidis et al.'s SELI geometry.</li>
 * </ul>
 * The few geometry metrics in {@link org.deqnc.theory.PeeledGeometry} are local on purpose; the general NC
 * metrics live in their own package.
 */
package org.deqnc.theory;
