package org.deqnc.magic;

import org.deqnc.kernel.CellError;
import org.deqnc.kernel.KernelHarness;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.deqnc.kernel.KernelHarness.html;
import static org.deqnc.kernel.KernelHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code %%experiment} in an in-process kernel on tiny synthetic data: outputs, the result variable, interrupt and resume. */
class ExperimentMagicTest {

    static KernelHarness nb;

    @BeforeAll
    static void start() {
        nb = new KernelHarness();
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    /** A tiny run of about a second per epoch: 4 classes in 16 dims, 72 imbalanced training samples in 3 batches. */
    static String tiny(int epochs, Path out) {
        return "dataset = synthetic\nsynthetic_per_class = 24\nsynthetic_test_per_class = 8\nK_A = 2\nR = 2\n"
                + "encoder_width = 16\ndepth = 2\ndeq.hidden = 16\ndeq.max_iter = 10\nbatch_size = 24\nlr = 0.05\n"
                + "model = deq\nepochs = " + epochs + "\nout = " + out + "\n";
    }

    @Test
    void runsWithProgressAndLiveChartAndStoresTheResult(@TempDir Path dir) {
        List<DisplayData> out = nb.displayed("%%experiment first\n" + tiny(2, dir.resolve("first")));
        // progress bar and live chart are shown once each (then updated in place), then the result and its chart
        assertEquals(4, out.size(), out.toString());
        assertTrue(html(out.get(0)).contains("<progress"), html(out.get(0)));
        assertTrue(out.get(0).hasDisplayId() && out.get(1).hasDisplayId());
        assertTrue(out.get(1).hasDataForType(MIMEType.IMAGE_PNG), "live chart is a static picture");
        assertTrue(text(out.get(2)).startsWith("first (deq, 2 epochs)"), text(out.get(2)));
        assertTrue(html(out.get(2)).contains("<table"), html(out.get(2)));
        assertTrue(text(out.get(3)).startsWith("Chart 'first: metrics per epoch' (line"), text(out.get(3)));
        assertEquals("2", text(nb.eval("first.epochs().size()")));
        assertTrue(Files.exists(dir.resolve("first/metrics.csv")));
        String report = text(nb.displayed("%nc first").get(0));
        assertTrue(report.startsWith("NC report: N=72 K=4"), report); // 2 x 24 majority + 2 x 12 minority samples (R = 2)
    }

    @Test
    void interruptStopsTheRunLeavesACheckpointAndResumeFinishes(@TempDir Path dir) throws Exception {
        String worker = text(nb.eval("Thread.currentThread().getName()"));
        Path run = dir.resolve("slow");
        String cell = "%%experiment slow\n" + tiny(3, run);
        CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
            try {
                nb.eval(cell);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Path checkpoint = run.resolve("checkpoint.bin");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(checkpoint) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(Files.exists(checkpoint), "the first epoch was checkpointed");
        nb.kernel().interrupt();
        Throwable t = running.get(60, TimeUnit.SECONDS); // a bound against hanging, not a latency
        assertInstanceOf(CellError.class, t);
        assertEquals("Interrupted", ((CellError) t).ename());
        // The run itself stopped: the kernel abandons a cell that ignores an interrupt and starts a new worker
        // thread, so the next cell running on the same worker shows that the run returned. (Its latency is a
        // timing, measured by org.deqnc.bench.ExperimentInterruptBenchmark, not asserted here.)
        assertEquals(worker, text(nb.eval("Thread.currentThread().getName()")), "the cell's worker was not abandoned");
        assertTrue(Files.exists(checkpoint));
        assertTrue(Files.readString(run.resolve("provenance.json")).contains("\"status\": \"interrupted\""));
        assertEquals("2", text(nb.eval("1 + 1")), "the kernel goes on");

        nb.displayed("%%experiment slow resume\n" + tiny(3, run));
        assertEquals("3", text(nb.eval("slow.epochs().size()")));
    }
}
