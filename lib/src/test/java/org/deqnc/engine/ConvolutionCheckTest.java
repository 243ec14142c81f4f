package org.deqnc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import org.deqnc.train.Experiment;
import org.deqnc.train.ExperimentResult;
import org.deqnc.train.ExperimentRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check that stands between PyTorch's oneDNN float32 convolutions and training: CNN runs that trained on wrong
 * input gradients (4-channel ResNet stages: off by 70 %, NaN at times, so "training diverged" at update 1 in some
 * runs) and the fix that covered only 8-channel layers. A wrong convolution is refused with the layer, the part
 * that is wrong and the remedies; a right one passes; a real network either trains or is refused, whichever this
 * CPU calls for.
 */
class ConvolutionCheckTest {

    private static final ConvolutionCheck.Shape2d FOUR = new ConvolutionCheck.Shape2d(4, 4, 3, 1, 1, 16, 16, true,
            false);

    /** PyTorch's convolution in the operands' type, its input gradient scaled by {@code inputGradientScale}. */
    private static NDArray[] convolution(NDArray x, NDArray w, NDArray g, long stride, long padding,
            double inputGradientScale) {
        NDArray[] r = ConvolutionCheck.conv2d(x, w, g, stride, padding);
        r[2] = r[2].mul(inputGradientScale);
        return r;
    }

    /**
     * A stand-in for the float32 convolution that is right on any CPU (float64, which PyTorch computes without
     * oneDNN, rounded to float32) except that its input gradient is scaled by {@code inputGradientScale}.
     */
    private static ConvolutionCheck.Convolution float64WithInputGradientScaled(double inputGradientScale) {
        return (x, w, g, stride, padding) -> {
            NDArray[] r = convolution(x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true),
                    g.toType(DataType.FLOAT64, true), stride, padding, inputGradientScale);
            NDArray[] out = new NDArray[3];
            for (int i = 0; i < 3; i++) {
                out[i] = r[i].toType(DataType.FLOAT32, true);
            }
            return out;
        };
    }

    @Test
    void anInputGradientOffByOnePercentIsRefusedNamingTheLayerThePartAndTheRemedies() {
        ConvolutionCheck.Errors e = ConvolutionCheck.measure(FOUR, float64WithInputGradientScaled(1.01));
        // every element off by exactly 1 %: the relative error is 0.01 up to float32 round-off
        assertEquals(0.01, e.inputGradient(), 1e-4);
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> ConvolutionCheck.requireWithin("encoder/04Conv2d", FOUR, e));
        String m = ex.getMessage();
        assertTrue(m.contains("layer encoder/04Conv2d (4 → 4 channels, 3x3 kernel, stride 1, padding 1, on 16x16)"), m);
        assertTrue(m.contains("in the input gradient"), m);
        assertTrue(m.contains("multiples of 8 with ONEDNN_MAX_CPU_ISA=AVX2") && m.contains("ONEDNN_MAX_CPU_ISA=SSE41"), m);
        assertTrue(!m.contains("\n"), "one line: " + m);
    }

    @Test
    void aNanInputGradientIsRefusedAndAnUnneededInputGradientIsNotLookedAt() {
        ConvolutionCheck.Errors nan = ConvolutionCheck.measure(FOUR, float64WithInputGradientScaled(Double.NaN));
        assertTrue(Double.isNaN(nan.worst()));
        String m = assertThrows(IllegalStateException.class, () -> ConvolutionCheck.requireWithin("stem", FOUR, nan))
                .getMessage();
        assertTrue(m.contains("relative error NaN in the input gradient"), m);
        // the first layer on the data: its input gradient is never used, so only value and weight gradient count
        ConvolutionCheck.Shape2d first = new ConvolutionCheck.Shape2d(3, 8, 3, 1, 1, 16, 16, false, false);
        ConvolutionCheck.Errors unused = ConvolutionCheck.measure(first, float64WithInputGradientScaled(Double.NaN));
        assertEquals(0.0, unused.inputGradient());
        ConvolutionCheck.requireWithin("stem", first, unused);
    }

    @Test
    void roundOffAloneIsAccepted() {
        ConvolutionCheck.Errors exact = ConvolutionCheck.measure(FOUR, float64WithInputGradientScaled(1));
        assertTrue(exact.worst() < 1e-6, exact.toString());
        ConvolutionCheck.requireWithin("float64", FOUR, exact);
    }

    /**
     * A channels-last layer is probed in channels-last order, where oneDNN runs other kernels than on row-major
     * tensors: their round-off differs (the same kernels would give the same bits), and the refusal names the order.
     */
    @Test
    void aChannelsLastLayerIsProbedInChannelsLastOrder() {
        ConvolutionCheck.Shape2d rowMajor = new ConvolutionCheck.Shape2d(16, 16, 3, 1, 1, 14, 14, true, false);
        ConvolutionCheck.Shape2d last = new ConvolutionCheck.Shape2d(16, 16, 3, 1, 1, 14, 14, true, true);
        ConvolutionCheck.Errors r = ConvolutionCheck.measure(rowMajor);
        ConvolutionCheck.Errors l = ConvolutionCheck.measure(last);
        System.out.println("16 -> 16 on 14x14, row-major " + r + ", channels-last " + l);
        assertTrue(r.worst() < 1e-5 && l.worst() < 1e-5, r + " " + l);
        assertNotEquals(r, l);
        String m = assertThrows(IllegalStateException.class, () -> ConvolutionCheck.requireWithin("encoder/04Conv2d",
                last, new ConvolutionCheck.Errors(0.5, 0, 0))).getMessage();
        assertTrue(m.contains("(16 → 16 channels, 3x3 kernel, stride 1, padding 1, on 14x14, channels-last)"), m);
    }

    private static Experiment cnn(Path out, int channels) {
        return Experiment.parse("dataset=synthetic synthetic_side=16 encoder=cnn encoder_width=" + channels + " deq.cell=conv deq.hidden="
                + channels + " model=deq deq.max_iter=10 lr=0.001 epochs=1 out=" + out);
    }

    /**
     * 8 and 4 channels through the runner: this CPU's float32 convolutions decide which trains and which is refused
     * (on the development machine with AVX2: 8 trains; 4 is refused at the conv cell, whose row-major 4-channel
     * convolutions are wrong, while the encoder's channels-last ones are right).
     */
    @Test
    void aCnnRunTrainsWhereItsConvolutionsAreRightAndIsOtherwiseRefusedBeforeTraining(@TempDir Path dir) {
        for (int channels : new int[] {8, 4}) {
            // the encoder's second layer on 16x16 images max-pooled to 8x8, then the cell's two convolutions on
            // the encoder's 4x4 maps
            List<ConvolutionCheck.Shape2d> run = List.of(
                    new ConvolutionCheck.Shape2d(channels, channels, 3, 1, 1, 8, 8, true, true),
                    new ConvolutionCheck.Shape2d(channels, channels, 3, 1, 1, 4, 4, true, false));
            double err = 0;
            for (ConvolutionCheck.Shape2d s : run) {
                double e = ConvolutionCheck.measure(s).worst();
                err = Double.isNaN(e) || Double.isNaN(err) ? Double.NaN : Math.max(err, e);
            }
            System.out.println(channels + " channels, float32 against float64, worst relative error " + err + " ("
                    + ConvolutionCheck.ISA_VARIABLE + "=" + System.getenv(ConvolutionCheck.ISA_VARIABLE) + ")");
            Experiment e = cnn(dir.resolve("c" + channels), channels);
            if (err <= ConvolutionCheck.TOLERANCE) {
                ExperimentResult r = ExperimentRunner.run(e);
                assertTrue(Double.isFinite(r.epochs().get(0).get("train_loss")));
            } else {
                String m = assertThrows(IllegalStateException.class, () -> ExperimentRunner.run(e)).getMessage();
                assertTrue(m.startsWith("convolution: PyTorch's float32 convolution is wrong on this CPU for layer "),
                        m);
            }
        }
    }
}
