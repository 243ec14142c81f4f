package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.List;

/**
 * A layer x ↦ z built from {@link DeqCell}s, the interface shared by the equilibrium layer and its
 * explicit counterparts, so experiments swap one for another:
 *
 * <pre>{@code
 * CellLayer deq = CellLayer.equilibrium(cfg);    // z* = f(z*, x)
 * CellLayer tied = CellLayer.unrolled(cfg, 8);   // z_{l+1} = f(z_l, x), one cell, 8 steps
 * CellLayer untied = CellLayer.untied(cfg, 8);   // z_{l+1} = f_l(z_l, x), 8 cells
 * }</pre>
 *
 * All take x of the cell's input shape and start from z = 0.
 */
public abstract class CellLayer extends AbstractBlock {

    protected final DeqConfig config;

    protected CellLayer(DeqConfig config) {
        this.config = config;
    }

    /** The DEQ layer of {@code config}. */
    public static DeqBlock equilibrium(DeqConfig config) {
        return new DeqBlock(config);
    }

    /** {@code depth} applications of one weight-tied cell from z = 0. */
    public static CellLayer unrolled(DeqConfig config, int depth) {
        return new Explicit(config, depth, true);
    }

    /** {@code depth} untied cells (each seeded differently) applied in turn from z = 0. */
    public static CellLayer untied(DeqConfig config, int depth) {
        return new Explicit(config, depth, false);
    }

    public DeqConfig config() {
        return config;
    }

    /** The cells, in application order (one for DEQ and weight-tied layers). */
    public abstract List<DeqCell> cells();

    /** Shape of z for inputs of shape {@code inputShape}. */
    public Shape stateShape(Shape inputShape) {
        return cells().get(0).stateShape(inputShape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {stateShape(inputShapes[0])};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0], dataType);
        for (DeqCell c : cells()) {
            c.initialize(manager, dataType, stateShape(inputShapes[0]), inputShapes[0]);
        }
    }

    /** Rejects inputs whose shape or dtype does not fit, in one line. */
    protected void checkInput(Shape shape, DataType dataType) {
        if (dataType != config.dataType()) {
            throw new IllegalArgumentException(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + ": input dtype " + dataType + " does not match dtype=" + DeqConfig.lower(config.get(
                            DeqConfig.DTYPE)));
        }
        cells().get(0).checkInput(shape);
    }

    /** Explicit layers: plain autograd through every step. */
    private static final class Explicit extends CellLayer {
        private final List<DeqCell> cells;
        private final int depth;

        Explicit(DeqConfig config, int depth, boolean tied) {
            super(config);
            if (depth < 1) {
                throw new IllegalArgumentException("depth: must be >= 1, got " + depth);
            }
            this.depth = depth;
            int n = tied ? 1 : depth;
            java.util.ArrayList<DeqCell> list = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                list.add(addChildBlock("cell" + i, config.newCell(i)));
            }
            cells = List.copyOf(list);
        }

        @Override
        public List<DeqCell> cells() {
            return cells;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            checkInput(x.getShape(), x.getDataType());
            NDManager out = x.getManager();
            try (NDManager scope = out.newSubManager()) {
                BoundCell[] bound = new BoundCell[cells.size()];
                for (int i = 0; i < bound.length; i++) {
                    bound[i] = cells.get(i).bind(ps, x, training, scope);
                }
                NDArray z = scope.zeros(stateShape(x.getShape()), x.getDataType());
                for (int l = 0; l < depth; l++) {
                    z = bound[Math.min(l, bound.length - 1)].apply(z);
                }
                z.attach(out);
                return new NDList(z);
            }
        }
    }
}
