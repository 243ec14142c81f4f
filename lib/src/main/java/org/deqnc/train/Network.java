package org.deqnc.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import org.deqnc.data.SeededShuffle;
import org.deqnc.deq.CellKind;
import org.deqnc.deq.CellLayer;
import org.deqnc.deq.DeqBlock;
import org.deqnc.engine.ConvolutionCheck;
import org.deqnc.engine.Engines;
import org.deqnc.engine.MemoryFormat;

/**
 * encoder → [global average pool, when feature maps meet a vector cell] → feature layer (DEQ or explicit
 * cells) → [global average pool of feature maps] → linear classifier. The pooled output of the feature layer is h, the penultimate feature of the NC metrics.
 */
final class Network {

    /** Named parameter, name unique within the network ("encoder/...", "layer/...", "classifier/..."). */
    record NamedParameter(String name, Parameter parameter) {
    }

    /** Features h (N, d) and logits (N, K) of one forward pass. */
    record Output(NDArray features, NDArray logits) {
    }

    private final Block encoder;
    /**
     * Whether the encoder runs channels-last ({@link MemoryFormat}): the small CNN on the CPU, where oneDNN then skips
     * its reorders. Not ResNet-18: oneDNN's channels-last kernels for 1x1 stride-2 convolutions, its shortcuts,
     * returned wrong weight gradients for inputs of 1 to 4 channels, and a probe sweep over them hung
     * (docs/cpu-notes.md); on a GPU it is untested.
     */
    private final boolean channelsLast;
    private final CellLayer layer;
    private final Linear classifier;
    private final List<NamedParameter> parameters = new ArrayList<>();
    private final ParameterStore store;

    private Network(Block encoder, boolean channelsLast, CellLayer layer, Linear classifier, NDManager manager) {
        this.encoder = encoder;
        this.channelsLast = channelsLast;
        this.layer = layer;
        this.classifier = classifier;
        this.store = new ParameterStore(manager, false);
    }

    /**
     * Builds and initialises the network of {@code e} for samples of {@code sampleShape}, parameters in
     * {@code manager}. DJL's default initialisers of the encoder and classifier draw from the engine's global
     * generator, so it is seeded from the experiment seed first; the cells seed their own initialisers.
     */
    static Network build(Experiment e, int[] sampleShape, int numClasses, NDManager manager) {
        CellLayer layer = e.model() == ModelKind.DEQ ? CellLayer.equilibrium(e.deqConfig())
                : CellLayer.untied(e.deqConfig(), e.get(Experiment.DEPTH));
        boolean channelsLast = e.encoder() == EncoderKind.CNN && !manager.getDevice().isGpu();
        Network net = new Network(encoder(e.encoder(), e.get(Experiment.ENCODER_WIDTH)), channelsLast, layer,
                Linear.builder().setUnits(numClasses).build(), manager);
        long[] dims = new long[sampleShape.length + 1];
        dims[0] = 2;
        for (int i = 0; i < sampleShape.length; i++) {
            dims[i + 1] = sampleShape[i];
        }
        Engines.pytorch().setRandomSeed((int) SeededShuffle.streamSeed(e.seed(), INIT_STREAM));
        Shape in = new Shape(dims);
        net.encoder.initialize(manager, DataType.FLOAT32, in);
        for (Map.Entry<String, ConvolutionCheck.Shape2d> c : convolutions(net.encoder, "encoder", in, net.channelsLast)
                .entrySet()) {
            ConvolutionCheck.require(c.getKey(), c.getValue());
        }
        Shape encoded = net.encoder.getOutputShapes(new Shape[] {in})[0];
        if (net.poolsEncoding(encoded.dimension())) {
            encoded = new Shape(encoded.get(0), encoded.get(1));
        }
        layer.initialize(manager, DataType.FLOAT32, encoded);
        Shape z = layer.getOutputShapes(new Shape[] {encoded})[0];
        net.classifier.initialize(manager, DataType.FLOAT32, new Shape(2, z.get(1)));
        net.collect("encoder", net.encoder);
        net.collect("layer", layer);
        net.collect("classifier", net.classifier);
        return net;
    }

    /** Stream of {@link SeededShuffle#streamSeed} reserved for the engine generator before initialisation. */
    static final long INIT_STREAM = -1;

    /**
     * The 2-d convolutions of an initialised block tree, named as their parameters are (prefix/child_child...),
     * in forward order; the first one, when it reads the data itself, needs no input gradient.
     */
    static Map<String, ConvolutionCheck.Shape2d> convolutions(Block root, String prefix, Shape data,
            boolean channelsLast) {
        Map<String, ConvolutionCheck.Shape2d> out = new LinkedHashMap<>();
        collectConvolutions(root, prefix, data, channelsLast, out);
        return out;
    }

    private static void collectConvolutions(Block block, String name, Shape data, boolean channelsLast,
            Map<String, ConvolutionCheck.Shape2d> out) {
        if (block instanceof Conv2d) {
            Conv2d c = (Conv2d) block;
            Shape in = c.getInputShapes()[0];
            out.put(name, new ConvolutionCheck.Shape2d(in.get(1), c.getFilters(), c.getKernelShape().get(0),
                    c.getStride().get(0), c.getPadding().get(0), in.get(2), in.get(3),
                    !(out.isEmpty() && in.equals(data)), channelsLast));
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collectConvolutions(child.getValue(), name + (name.contains("/") ? "_" : "/") + child.getKey(), data,
                    channelsLast, out);
        }
    }

    private void collect(String prefix, Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.add(new NamedParameter(prefix + "/" + p.getKey(), p.getValue()));
        }
    }

    static Block encoder(EncoderKind kind, int width) {
        switch (kind) {
            case CNN:
                return new SequentialBlock()
                        .add(conv(width, 1, true)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                        .add(conv(width, 1, true)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)));
            case RESNET18:
                return resnet18(width);
            default:
                return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(width).build())
                        .add(Activation.reluBlock());
        }
    }

    /**
     * He et al.'s ResNet-18 layout in its CIFAR form (3x3 stem, no stem pooling): stages of two basic blocks
     * with widths w, 2w, 4w, 8w and strides 1, 2, 2, 2; outputs the last stage's feature maps. Convolutions
     * before a batch norm have no bias (the norm's shift replaces it), as in torchvision.
     */
    private static Block resnet18(int width) {
        SequentialBlock net = new SequentialBlock().add(conv(width, 1, false)).add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
        int in = width;
        for (int stage = 0; stage < 4; stage++) {
            int out = width << stage;
            for (int unit = 0; unit < 2; unit++) {
                int stride = stage > 0 && unit == 0 ? 2 : 1;
                net.add(basicBlock(out, stride, in != out || stride != 1));
                in = out;
            }
        }
        return net;
    }

    private static Block basicBlock(int channels, int stride, boolean project) {
        Block main = new SequentialBlock().add(conv(channels, stride, false)).add(BatchNorm.builder().build())
                .add(Activation.reluBlock()).add(conv(channels, 1, false)).add(BatchNorm.builder().build());
        Block shortcut = project
                ? new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(channels)
                        .optStride(new Shape(stride, stride)).optBias(false).build()).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())),
                        List.of(main, shortcut)))
                .add(Activation.reluBlock());
    }

    private static Block conv(int channels, int stride, boolean bias) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(channels).optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride)).optBias(bias).build();
    }

    /** The forward pass; features and logits belong to {@code x}'s manager. */
    Output forward(NDArray x, boolean training) {
        NDArray input = channelsLast ? MemoryFormat.channelsLast(x) : x;
        NDArray encoded = encoder.forward(store, new NDList(input), training).singletonOrThrow();
        if (poolsEncoding(encoded.getShape().dimension())) {
            encoded = globalAveragePool(encoded);
        } else if (channelsLast) {
            encoded = MemoryFormat.rowMajor(encoded);  // a conv cell's solver reads its states' memory as row-major
        }
        NDArray z = layer.forward(store, new NDList(encoded), training).singletonOrThrow();
        NDArray h = z.getShape().dimension() == 4 ? globalAveragePool(z) : z;
        NDArray logits = classifier.forward(store, new NDList(h), training).singletonOrThrow();
        return new Output(h, logits);
    }

    /** The logits of {@link #forward}, as a {@link TrainingStep} trains them. */
    NDArray logits(NDArray x, boolean training) {
        return forward(x, training).logits();
    }

    /** (N, C, H, W) to (N, C); PyTorch's DJL mean takes one axis at a time, so flatten H x W first. */
    private static NDArray globalAveragePool(NDArray maps) {
        Shape s = maps.getShape();
        return maps.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }

    /** Feature maps meet a vector cell (linear, mlp): they are global-average-pooled to channel vectors first. */
    private boolean poolsEncoding(int encodedRank) {
        return encodedRank == 4 && layer.config().cell() != CellKind.CONV;
    }

    /** The DEQ layer, or null for the explicit model. */
    DeqBlock deq() {
        return layer instanceof DeqBlock d ? d : null;
    }

    /** Every parameter, in a fixed order. */
    List<NamedParameter> parameters() {
        return parameters;
    }

    /** The classifier's weight W (K, d). */
    NDArray classifierWeight() {
        return classifier.getParameters().get("weight").getArray();
    }

    /** The classifier's bias b (K). */
    NDArray classifierBias() {
        return classifier.getParameters().get("bias").getArray();
    }
}
