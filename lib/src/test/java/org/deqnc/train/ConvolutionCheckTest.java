package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNN run of issue 6 ("training diverged: the gradient of encoder/01Conv2d_weight ... at update 1"): PyTorch's
 * oneDNN float32 convolution input gradient is wrong on AVX-512 CPUs unless ONEDNN_MAX_CPU_ISA=AVX2 is set. Either
 * the float32 gradient agrees with float64 here and the run trains, or the runner refuses up front with the remedy,
 * instead of failing (or, worse, training on wrong gradients) later.
 */
class ConvolutionCheckTest {

    private static Experiment cnn(Path out) {
        return Experiment.parse("dataset=synthetic encoder=cnn encoder_width=8 deq.cell=conv deq.hidden=8 "
                + "model=explicit depth=2 lr=0.001 epochs=1 out=" + out);
    }

    @Test
    void cnnRunTrainsWhenConvolutionGradientsAreRightAndOtherwiseRefusesWithTheRemedy(@TempDir Path dir) {
        double err = ConvolutionCheck.worstRelativeError();
        System.out.println("float32 vs float64 convolution input gradient, worst relative error: " + err
                + " (" + ConvolutionCheck.ISA_VARIABLE + "=" + System.getenv(ConvolutionCheck.ISA_VARIABLE) + ")");
        if (err <= ConvolutionCheck.TOLERANCE) {
            ExperimentResult r = ExperimentRunner.run(cnn(dir));
            assertTrue(Double.isFinite(r.epochs().get(0).get("train_loss")));
        } else {
            IllegalStateException ex = assertThrows(IllegalStateException.class, () -> ExperimentRunner.run(cnn(dir)));
            assertTrue(ex.getMessage().contains("ONEDNN_MAX_CPU_ISA=AVX2"), ex.getMessage());
        }
    }
}
