package org.deqnc.solver;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Template shared by the built-in solvers: validates input, works on a flat (batch, d) view inside a
 * sub-manager that is closed on every exit, and hands the algorithm a {@link Tracker}.
 */
abstract class BatchedSolver implements Solver {

    private final String name;

    BatchedSolver(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final SolverResult solve(UnaryOperator<NDArray> f, NDArray z0, SolverOptions options) {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(z0, "z0");
        Objects.requireNonNull(options, "options");
        Shape shape = z0.getShape();
        if (shape.dimension() == 0 || shape.get(0) < 1 || shape.size() == 0) {
            throw new IllegalArgumentException(name + ": z0 must have a batch axis and at least one element, got shape "
                    + shape);
        }
        int batch = (int) shape.get(0);
        long d = shape.size() / batch;
        NDManager caller = z0.getManager();
        try (NDManager work = caller.newSubManager()) {
            NDArray x0 = z0.reshape(batch, d);
            x0.attach(work);
            Tracker tracker = new Tracker(name, options, batch, work);
            FlatMap flat = new FlatMap(f, shape, tracker);
            iterate(flat, x0, options, tracker, work);
            SolverStats stats = tracker.finish();
            NDArray kept = tracker.result();
            // x0 is a view of the caller's z0: never hand back an alias of the input
            NDArray out = (kept == x0 ? kept.duplicate() : kept).reshape(shape);
            out.attach(caller);
            return new SolverResult(out, stats);
        }
    }

    /**
     * Runs the algorithm from the flat start {@code x0} until {@code tracker.done()} (or it throws),
     * recording every iterate. Per-iteration temporaries belong in sub-managers of {@code work}.
     */
    abstract void iterate(FlatMap f, NDArray x0, SolverOptions options, Tracker tracker, NDManager work);

    /** f on flat (batch, d) arrays: reshapes to the user's shape, checks the result's shape, counts calls. */
    final class FlatMap {
        private final UnaryOperator<NDArray> f;
        private final Shape shape;
        private final Tracker tracker;

        FlatMap(UnaryOperator<NDArray> f, Shape shape, Tracker tracker) {
            this.f = f;
            this.shape = shape;
            this.tracker = tracker;
        }

        /** f(x); the result belongs to x's manager. */
        NDArray apply(NDArray x) {
            return apply(f, x);
        }

        /** f's split into h and an affine tail ({@link AffineTailMap}) when f offers one now, else null. */
        AffineTailMap.Split split() {
            return f instanceof AffineTailMap a ? a.split() : null;
        }

        /** h(x) of a {@link #split}, checked and counted as f(x) is. */
        NDArray applyHead(AffineTailMap.Split split, NDArray x) {
            return apply(split.head(), x);
        }

        private NDArray apply(UnaryOperator<NDArray> map, NDArray x) {
            // reshapes are eager ops too: skip them when the user's shape is already flat
            NDArray z = shape.equals(x.getShape()) ? x : x.reshape(shape);
            NDArray fz = map.apply(z);
            if (!fz.getShape().equals(shape)) {
                throw new IllegalArgumentException(name + ": f returned shape " + fz.getShape() + " for an input of shape "
                        + shape + "; f must map z to an array of the same shape");
            }
            tracker.countEvals(1);
            // a fresh handle when f returned its input: the solver closes iterates it is done with
            NDArray flat = fz != z && fz.getShape().equals(x.getShape()) ? fz : fz.reshape(x.getShape());
            flat.attach(x.getManager());
            return flat;
        }
    }
}
