package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.pytorch.jni.JniUtils;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.deqnc.engine.ConvolutionCheck;
import org.deqnc.engine.Engines;
import org.deqnc.engine.MemoryFormat;
import org.junit.jupiter.api.Test;

/**
 * The encoders: ResNet-18 layout by parameter count, CNN feature maps into a conv-cell DEQ, and the convolutions
 * each runs, as the build checks them against float64.
 */
class NetworkTest {

    @Test
    void resnet18EncoderHasTheCifarResNet18ParameterCount() {
        Experiment e = Experiment.parse("dataset=cifar10 encoder=resnet18 encoder_width=64 deq.hidden=16");
        boolean grad = JniUtils.isGradMode();
        try (NDManager m = Engines.newManager()) {
            JniUtils.setGradMode(false);
            Network net = Network.build(e, new int[] {3, 32, 32}, 10, m);
            long trainable = net.parameters().stream().filter(p -> p.name().startsWith("encoder/"))
                    .filter(p -> p.parameter().requiresGradient()).mapToLong(p -> p.parameter().getArray().size())
                    .sum();
            // By hand (3x3 convs without bias, batch norm gamma+beta): stem 3*64*9 + 128 = 1,856; stage 1
            // 4*64*64*9 + 4*128 = 147,968; stage 2 64*128*9 + 3*128*128*9 + 64*128 + 5*256 = 525,568; stage 3
            // 128*256*9 + 3*256*256*9 + 128*256 + 5*512 = 2,099,712; stage 4 256*512*9 + 3*512*512*9 + 256*512
            // + 5*1024 = 8,393,728. Sum 11,168,832 = the CIFAR ResNet-18's often quoted 11,173,962 minus its
            // 512*10 + 10 classifier.
            assertEquals(11_168_832L, trainable);
            try (NDManager s = m.newSubManager()) {
                Network.Output out = net.forward(s.randomNormal(new Shape(2, 3, 32, 32)), false);
                assertEquals(new Shape(2, 16), out.features().getShape()); // 512 maps pooled, then the mlp cell
                assertEquals(new Shape(2, 10), out.logits().getShape());
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Test
    void cnnEncoderFeedsAConvCellDeqAndPoolsItsFixedPoint() {
        Experiment e = Experiment.parse("dataset=synthetic encoder=cnn encoder_width=8 model=deq deq.cell=conv "
                + "deq.hidden=8 deq.max_iter=10 K_A=2");
        boolean grad = JniUtils.isGradMode();
        try (NDManager m = Engines.newManager()) {
            JniUtils.setGradMode(false);
            Network net = Network.build(e, new int[] {1, 8, 8}, 4, m);
            Network.Output out = net.forward(m.randomNormal(new Shape(5, 1, 8, 8)), false);
            // 8x8 -> two 2x2 max-pools -> 2x2 maps of 8 DEQ channels -> pooled to 8 features
            assertEquals(new Shape(5, 8), out.features().getShape());
            assertEquals(new Shape(5, 4), out.logits().getShape());
            assertTrue(net.deq().lastForwardStats().iterations() <= 10);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Test
    void encodersListEveryConvolutionTheyRunWithItsInputSize() {
        try (NDManager m = Engines.newManager()) {
            Shape image = new Shape(2, 3, 32, 32);
            ai.djl.nn.Block resnet = Network.encoder(EncoderKind.RESNET18, 8);
            resnet.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, image);
            Map<String, ConvolutionCheck.Shape2d> convs = Network.convolutions(resnet, "encoder", image, false);
            // By hand: the stem, then per stage two basic blocks of two 3x3 convs, the first block of stages 2-4
            // with stride 2 and a 1x1 stride-2 shortcut; widths 8, 16, 32, 64 on 32, 32->16, 16->8, 8->4 maps
            assertEquals(1 + 2 * 2 + 3 * (2 * 2 + 1), convs.size());
            List<ConvolutionCheck.Shape2d> distinct = List.copyOf(new LinkedHashSet<>(convs.values()));
            assertEquals(List.of(
                    conv(3, 8, 3, 1, 32, false), conv(8, 8, 3, 1, 32, true),
                    conv(8, 16, 3, 2, 32, true), conv(16, 16, 3, 1, 16, true), conv(8, 16, 1, 2, 32, true),
                    conv(16, 32, 3, 2, 16, true), conv(32, 32, 3, 1, 8, true), conv(16, 32, 1, 2, 16, true),
                    conv(32, 64, 3, 2, 8, true), conv(64, 64, 3, 1, 4, true), conv(32, 64, 1, 2, 8, true)), distinct);
            // named as their weights are, so a refusal points at a parameter the user can find
            assertTrue(convs.containsKey("encoder/01Conv2d"), convs.keySet().toString());
            assertTrue(convs.containsKey("encoder/06SequentialBlock_01ParallelBlock_02SequentialBlock_01Conv2d"),
                    convs.keySet().toString());

            Shape digits = new Shape(2, 1, 28, 28);
            ai.djl.nn.Block cnn = Network.encoder(EncoderKind.CNN, 16);
            cnn.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, digits);
            assertEquals(
                    List.of(channelsLast(conv(1, 16, 3, 1, 28, false)), channelsLast(conv(16, 16, 3, 1, 14, true))),
                    List.copyOf(Network.convolutions(cnn, "encoder", digits, true).values()));
        }
    }

    /** The CNN encoder runs channels-last: the same maps as on the row-major images, up to float32 round-off. */
    @Test
    void cnnEncoderGivesTheSameMapsOnChannelsLastImages() {
        try (NDManager m = Engines.newManager()) {
            for (long channels : new long[] {1, 3}) {
                Shape images = new Shape(4, channels, 16, 16);
                Block cnn = Network.encoder(EncoderKind.CNN, 8);
                cnn.initialize(m, DataType.FLOAT32, images);
                ParameterStore store = new ParameterStore(m, false);
                NDArray x = m.randomNormal(images);
                NDArray rowMajor = cnn.forward(store, new NDList(x), false).head();
                NDArray last = cnn.forward(store, new NDList(MemoryFormat.channelsLast(x)), false).head();
                assertEquals(new Shape(4, 8, 4, 4), last.getShape());
                float[] a = rowMajor.toFloatArray();
                float[] b = last.toFloatArray();
                double worst = 0;
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                }
                assertTrue(worst < 1e-5, channels + " input channels: max difference " + worst);
            }
        }
    }

    private static ConvolutionCheck.Shape2d conv(long in, long out, long kernel, long stride, long size,
            boolean inputGradient) {
        return new ConvolutionCheck.Shape2d(in, out, kernel, stride, kernel / 2, size, size, inputGradient, false);
    }

    private static ConvolutionCheck.Shape2d channelsLast(ConvolutionCheck.Shape2d s) {
        return new ConvolutionCheck.Shape2d(s.inChannels(), s.outChannels(), s.kernel(), s.stride(), s.padding(),
                s.height(), s.width(), s.inputGradient(), true);
    }
}
