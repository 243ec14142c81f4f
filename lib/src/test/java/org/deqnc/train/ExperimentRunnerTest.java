package org.deqnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end runs on tiny synthetic data: reproducibility, resume equivalence and interrupts. */
public class ExperimentRunnerTest {

    /**
     * A few seconds per run: 4 classes in 16 dims, 72 imbalanced training samples (3 batches), 32 test samples.
     * Public for the grid runner's tests, which sweep over it.
     */
    public static Experiment tiny(String model, int epochs, Path out) {
        return Experiment.parse("""
                dataset = gmm
                synthetic_per_class = 24
                synthetic_test_per_class = 8
                K_A = 2
                R = 2
                encoder_width = 16
                depth = 2
                deq.hidden = 16
                deq.max_iter = 10
                batch_size = 24
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

    /**
     * Both optimisers: the checkpoint must carry SGD's momentum buffers, and Adam's two moments and update count
     * (a restored Adam that restarted its bias correction at update 1 would take larger steps than the straight run).
     */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void resumeAfterTwoEpochsEqualsStraightRun(String optimizer, @TempDir Path dir) throws IOException {
        // lr 0.005 for Adam: its steps are about lr per weight, SGD's 0.05 would be large for it
        String lr = optimizer.equals("adam") ? "0.005" : "0.05";
        byte[] straight = metrics(ExperimentRunner.run(tiny("deq", 4, dir.resolve("straight"))
                .with("optimizer", optimizer).with("lr", lr)));
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
                () -> ExperimentRunner.run(tiny("deq", 4, stopped).with("optimizer", optimizer).with("lr", lr),
                        stopAfterTwo));
        assertEquals(2, ex.epochsDone());
        assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt flag is consumed");
        ExperimentResult resumed = ExperimentRunner.resume(stopped);
        assertEquals(4, resumed.epochs().size());
        assertArrayEquals(straight, metrics(resumed));
    }

    /** Interrupts the training thread at one train batch of one epoch (both 1-based) and counts later callbacks. */
    private static final class InterruptAt implements ProgressListener {
        private final int epoch;
        private final int batch;
        int callbacksAfter = -1;

        InterruptAt(int epoch, int batch) {
            this.epoch = epoch;
            this.batch = batch;
        }

        @Override
        public void onProgress(Progress p) {
            if (callbacksAfter >= 0) {
                callbacksAfter++;
            } else if (p.phase().equals("train") && p.epoch() == epoch && p.batch() == batch) {
                Thread.currentThread().interrupt();
                callbacksAfter = 0;
            }
        }
    }

    @Test
    void interruptMidEpochStopsBeforeTheNextBatchAndLeavesAUsableCheckpoint(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        InterruptAt stop = new InterruptAt(2, 2);
        ExperimentInterruptedException ex = assertThrows(ExperimentInterruptedException.class,
                () -> ExperimentRunner.run(tiny("explicit", 3, out), stop));
        assertEquals(0, stop.callbacksAfter, "no batch after the interrupt");
        assertEquals(1, ex.epochsDone());
        assertTrue(ex.getMessage().contains("interrupted in train batch 3/3 of epoch 2"), ex.getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
        // the checkpoint holds epoch 1 only; the metrics file too
        assertEquals(2, Files.readAllLines(out.resolve(ExperimentRunner.METRICS_FILE)).size());
        assertTrue(Files.readString(out.resolve("provenance.json")).contains("\"status\": \"interrupted\""));
        // a process killed while writing the next checkpoint leaves a temporary file beside the complete one
        Files.write(out.resolve("checkpoint.bin.tmp"), new byte[] {1, 2, 3});
        ExperimentResult resumed = ExperimentRunner.resume(out);
        byte[] straight = metrics(ExperimentRunner.run(tiny("explicit", 3, dir.resolve("straight"))));
        assertArrayEquals(straight, metrics(resumed));
    }

    @Test
    void cancelFlagAndInterruptFromAnotherThreadBothStopTheRun(@TempDir Path dir) throws Exception {
        AtomicBoolean cancel = new AtomicBoolean();
        ProgressListener cancelling = new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
                if (p.epoch() == 1 && p.phase().equals("eval-test")) {
                    cancel.set(true);
                }
            }

            @Override
            public boolean cancelRequested() {
                return cancel.get();
            }
        };
        ExperimentInterruptedException ex = assertThrows(ExperimentInterruptedException.class,
                () -> ExperimentRunner.run(tiny("deq", 3, dir.resolve("c")), cancelling));
        assertEquals(0, ex.epochsDone(), ex.getMessage());
        assertTrue(ex.getMessage().contains("nothing is checkpointed"), ex.getMessage());

        // a notebook interrupt arrives on another thread at an arbitrary moment
        Path out = dir.resolve("t");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch secondEpoch = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                ExperimentRunner.run(tiny("deq", 50, out), new ProgressListener() {
                    @Override
                    public void onProgress(Progress p) {
                        if (p.epoch() == 2) {
                            secondEpoch.countDown();
                        }
                    }
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        while (!secondEpoch.await(100, TimeUnit.MILLISECONDS) && worker.isAlive()) {
            // wait for the worker to reach epoch 2, or to fail
        }
        assertEquals(null, thrown.get(), "the run failed before the interrupt");
        worker.interrupt();
        worker.join(60_000);
        assertFalse(worker.isAlive());
        ExperimentInterruptedException stopped = assertInstanceOf(ExperimentInterruptedException.class, thrown.get());
        assertTrue(stopped.epochsDone() >= 1 && stopped.epochsDone() < 50, stopped.getMessage());
        // the checkpoint restores: the resumed run starts at the next epoch (stopped again at its first batch)
        InterruptAt again = new InterruptAt(stopped.epochsDone() + 1, 1);
        ExperimentInterruptedException second = assertThrows(ExperimentInterruptedException.class,
                () -> ExperimentRunner.resume(out, again));
        assertEquals(stopped.epochsDone(), second.epochsDone());
    }
}
