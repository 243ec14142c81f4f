package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

import org.deqnc.engine.Engines;
import org.junit.jupiter.api.Test;

/** The encoders: ResNet-18 layout by parameter count, CNN feature maps into a conv-cell DEQ. */
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
                + "deq.hidden=6 deq.max_iter=10 K_A=2");
        boolean grad = JniUtils.isGradMode();
        try (NDManager m = Engines.newManager()) {
            JniUtils.setGradMode(false);
            Network net = Network.build(e, new int[] {1, 8, 8}, 4, m);
            Network.Output out = net.forward(m.randomNormal(new Shape(5, 1, 8, 8)), false);
            // 8x8 -> two 2x2 max-pools -> 2x2 maps of 6 DEQ channels -> pooled to 6 features
            assertEquals(new Shape(5, 6), out.features().getShape());
            assertEquals(new Shape(5, 4), out.logits().getShape());
            assertTrue(net.deq().lastForwardStats().iterations() <= 10);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
