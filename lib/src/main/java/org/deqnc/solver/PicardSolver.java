package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Damped fixed-point iteration z ← (1 − τ) z + τ f(z). Cheapest per step (one f and four small ops);
 * converges when f is a contraction (for τ = 1) and only then.
 */
final class PicardSolver extends BatchedSolver {

    PicardSolver() {
        super("picard");
    }

    @Override
    void iterate(FlatMap f, NDArray x0, SolverOptions options, Tracker tracker, NDManager work) {
        double tau = options.tau();
        NDArray x = x0;
        while (!tracker.done()) {
            NDArray next;
            try (NDManager it = work.newSubManager()) {
                x.tempAttach(it);
                NDArray fx = f.apply(x);
                NDArray g = fx.sub(x);
                if (tracker.record(x, Residuals.of(fx, g))) {
                    break;
                }
                next = tau == 1.0 ? fx : x.add(g.muli(tau));
                next.attach(work);
            }
            tracker.release(x);
            x = next;
        }
    }
}
