package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs on tiny synthetic data: reproducibility, resume equivalence and interrupts. */
class ExperimentRunnerTest {

    /** A few seconds per run: 4 classes, 16 dims, 32 + 16 samples per class, small layers. */
    private static Experiment tiny(String model, int epochs, Path out) {
        return Experiment.parse("""
                dataset = synthetic
                synthetic_per_class = 32
                synthetic_test_per_class = 16
                K_A = 2
                R = 2
                encoder_width = 16
                depth = 2
                deq.hidden = 16
                deq.max_iter = 15
                batch_size = 16
                lr = 0.05
                """ + "model = " + model + "\nepochs = " + epochs + "\nout = " + out + "\n");
    }

    private static byte[] metrics(ExperimentResult r) throws IOException {
        return Files.readAllBytes(r.metricsCsv());
    }

    @Test
    void sameSeedGivesByteIdenticalMetricsAndOtherSeedDiffers(@TempDir Path dir) throws IOException {
        byte[] a = metrics(ExperimentRunner.run(tiny("deq", 2, dir.resolve("a"))));
        byte[] b = metrics(ExperimentRunner.run(tiny("deq", 2, dir.resolve("b"))));
        assertArrayEquals(a, b);
        byte[] c = metrics(ExperimentRunner.run(tiny("deq", 2, dir.resolve("c")).with("seed", 7)));
        assertNotEquals(new String(a), new String(c));
    }

    @Test
    void resumeAfterTwoEpochsEqualsStraightRun(@TempDir Path dir) throws IOException {
        byte[] straight = metrics(ExperimentRunner.run(tiny("deq", 4, dir.resolve("straight"))));
        // stop after two epochs: interrupt from the listener once epoch 2 is checkpointed
        Path stopped = dir.resolve("stopped");
        ProgressListener stopAfterTwo = new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                if (m.epoch() == 2) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ExperimentInterruptedException ex = assertThrows(ExperimentInterruptedException.class,
                () -> ExperimentRunner.run(tiny("deq", 4, stopped), stopAfterTwo));
        assertEquals(2, ex.epochsDone());
        assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt flag is consumed");
        ExperimentResult resumed = ExperimentRunner.resume(stopped);
        assertEquals(4, resumed.epochs().size());
        assertEquals(new String(straight), new String(metrics(resumed)));
    }
}
