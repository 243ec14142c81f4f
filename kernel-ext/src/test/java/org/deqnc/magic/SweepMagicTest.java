package org.deqnc.magic;

import org.deqnc.kernel.CellError;
import org.deqnc.kernel.KernelHarness;
import org.deqnc.sweep.RunCell;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
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

/** {@code %%sweep} in an in-process kernel: a tiny grid in worker JVMs, its result variable, help and interrupt. */
class SweepMagicTest {

    static KernelHarness nb;

    @BeforeAll
    static void start() {
        nb = new KernelHarness();
    }

    @AfterAll
    static void stop() {
        nb.close();
    }

    /** {@link ExperimentMagicTest#tiny}'s run (a DEQ on tiny synthetic images) as a grid's base, two workers. */
    static String grid(Path out, int epochs) {
        return ExperimentMagicTest.tiny(epochs, out) + "workers = 2\n";
    }

    @Test
    void runsTheGridWithOneProgressBarAndStoresTheResult(@TempDir Path dir) {
        List<DisplayData> out = nb.displayed("%%sweep grid\n" + grid(dir, 1) + "deq.solver = anderson, picard\nseed = 1, x\n");
        assertEquals(2, out.size(), out.toString());
        assertTrue(html(out.get(0)).contains("<progress"), html(out.get(0)));
        assertTrue(text(out.get(0)).startsWith("grid: 4 cells ["), text(out.get(0)));
        String summary = text(out.get(1));
        assertTrue(summary.startsWith("sweep grid: 4 cells, 2 completed, 2 failed in " + dir), summary);
        assertTrue(summary.contains("cell 1 (deq.solver=anderson, seed=x): failed (experiment: seed must be"), summary);
        assertTrue(html(out.get(1)).contains("<table"), html(out.get(1)));
        assertEquals("2", text(nb.eval("grid.table().rowCount()")));
        assertEquals("[anderson, picard]", text(nb.eval("grid.table().stringColumn(\"deq.solver\").asList()")));
        assertTrue(Files.exists(dir.resolve("results.csv")));
    }

    @Test
    void javaApiRunInACellShowsTheMagicsProgressBar(@TempDir Path dir) {
        String body = "name = api\n" + grid(dir, 1) + "seed = 1, 2\n";
        List<DisplayData> out = nb.displayed("org.deqnc.sweep.SweepResult api = org.deqnc.sweep.Sweep.run("
                + "org.deqnc.sweep.Grid.parse(\"\"\"\n" + body + "\"\"\"));");
        assertEquals(1, out.size(), out.toString());
        assertTrue(html(out.get(0)).contains("<progress"), html(out.get(0)));
        assertTrue(out.get(0).hasDisplayId(), "updated in place");
        assertTrue(text(out.get(0)).startsWith("api: 2 cells ["), text(out.get(0)));
        assertEquals("2", text(nb.eval("api.completedCount()")));
    }

    @Test
    void interruptStopsEveryWorkerAndTheKernelGoesOn(@TempDir Path dir) throws Exception {
        String cell = "%%sweep slow\n" + grid(dir, 200) + "seed = 1, 2\n";
        CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
            try {
                nb.eval(cell);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (workers() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, workers(), "both cells started");
        nb.kernel().interrupt();
        Throwable t = running.get(30, TimeUnit.SECONDS);
        assertInstanceOf(CellError.class, t);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, workers(), "no orphan worker");
        assertEquals("2", text(nb.eval("1 + 1")), "the kernel goes on");
    }

    @Test
    void statusCountsTheCellsAndCollectsWhatCompleted(@TempDir Path dir) {
        String body = grid(dir, 1) + "seed = 1, x\n";
        List<DisplayData> before = nb.displayed("%%sweep st status\n" + body);
        assertTrue(text(before.get(0)).startsWith("sweep st: 2 cells: 1 pending, 0 running, 0 done, 1 failed\n"
                + "cell 1 (seed=x): failed (experiment: seed must be"), text(before.get(0)));
        assertEquals("0", text(nb.eval("st.table().rowCount()")));
        nb.displayed("%%sweep st\n" + body);
        List<DisplayData> after = nb.displayed("%%sweep st status\n" + body);
        assertTrue(text(after.get(0)).startsWith("sweep st: 2 cells: 0 pending, 0 running, 1 done, 1 failed"),
                text(after.get(0)));
        assertTrue(html(after.get(0)).contains("<table"), html(after.get(0)));
        assertEquals("1", text(nb.eval("st.table().rowCount()")));
    }

    @Test
    void helpAndCompletion() {
        String help = text(nb.displayed("%help sweep").get(0));
        assertTrue(help.contains("Syntax: %%sweep VAR [resume|fresh|submit|status]"), help);
        assertTrue(help.contains("org.deqnc.sweep.RunCell"), help);
        assertTrue(help.contains("workers"), help);
        assertEquals(List.of("sweep"), nb.kernel().complete("%%swe", 5).getReplacements());
        assertEquals(List.of("fresh", "resume", "status", "submit"), nb.kernel().complete("%%sweep s ", 10)
                .getReplacements());
    }

    private static long workers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(RunCell.class.getName())).count();
    }
}
