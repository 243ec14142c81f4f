package org.deqnc.deq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import org.deqnc.engine.ConvolutionCheck;

/**
 * f(z, x) = act(W ⊛ z + U ⊛ x + b) on (batch, channels, height, width) feature maps, 3×3 kernels
 * with padding 1 (the map keeps the spatial size). Vector–Jacobian products use autograd.
 */
public class ConvCell extends DeqCell {

    private static final Shape STRIDE = new Shape(1, 1);
    private static final Shape PAD = new Shape(1, 1);

    private final int channels;
    private final Activation act;
    private final NormalizedWeight w;
    private final Parameter u;
    private final Parameter b;
    private final long seed;

    public ConvCell(int channels, Activation act, Norm norm, int snIters, double initScale, long seed) {
        super("conv");
        this.channels = channels;
        this.act = act;
        this.seed = seed;
        // a 3x3 conv is a (C*9)-fan-in linear map; same scale rule as the MLP cell
        w = new NormalizedWeight("W", norm, snIters, new SeededNormal(initScale / (2 * Math.sqrt(9.0 * channels)),
                seed), seed + 1);
        w.parameters().forEach(this::addParameter);
        u = addParameter(Parameter.builder().setName("U").setType(Parameter.Type.WEIGHT).build());
        b = addParameter(Parameter.builder().setName("b").setType(Parameter.Type.BIAS)
                .optInitializer(Initializer.ZEROS).build());
    }

    @Override
    public Shape stateShape(Shape s) {
        return new Shape(s.get(0), channels, s.get(2), s.get(3));
    }

    @Override
    public void checkInput(Shape s) {
        if (s.dimension() != 4) {
            throw badInput("(batch, channels, height, width)", s);
        }
        checkInputWidth(u, s, "input channels");
    }

    @Override
    protected void prepareFor(Shape x) {
        long in = x.get(1);
        w.setShape(new Shape(channels, channels, 3, 3));
        u.setShape(new Shape(channels, in, 3, 3));
        u.setInitializer(new SeededNormal(1 / Math.sqrt(9.0 * in), seed + 2));
        b.setShape(new Shape(channels));
    }

    /** In float32, first refuses convolutions that PyTorch computes wrongly on this CPU ({@link ConvolutionCheck}). */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[inputShapes.length - 1];
        if (dataType == DataType.FLOAT32 && !isInitialized() && x.dimension() == 4) {
            ConvolutionCheck.require("conv cell U", convolution(x.get(1), x));
            ConvolutionCheck.require("conv cell W", convolution(channels, x));
        }
        super.initialize(manager, dataType, inputShapes);
    }

    /** The cell's convolution from {@code in} channels on input of shape x, as the check probes it. */
    private ConvolutionCheck.Shape2d convolution(long in, Shape x) {
        return new ConvolutionCheck.Shape2d(in, channels, 3, STRIDE.get(0), PAD.get(0), x.get(2), x.get(3), true,
                false);
    }

    @Override
    protected void afterInitialize() {
        w.afterInitialize();
    }

    @Override
    public BoundCell bind(ParameterStore ps, NDArray x, boolean training, NDManager scope) {
        checkInput(x.getShape());
        NDArray weight = w.effective(ps, scope, training);
        NDArray inj = Conv2d.conv2d(Scopes.view(x, scope), value(ps, u, scope, training),
                value(ps, b, scope, training), STRIDE, PAD).singletonOrThrow();
        NDList bound = new NDList(weight, inj);
        DoubledOperands cell = new DoubledOperands(bound, scope, act,
                (o, z) -> Conv2d.conv2d(z, o.get(0), null, STRIDE, PAD).singletonOrThrow().addi(o.get(1)));
        return new BoundCell(bound, cell, null, cell.tanhTail());
    }
}
