package org.deqnc.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.deqnc.train.ExperimentRunnerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

/**
 * Grids of tiny runs in real worker JVMs: every cell in the tables, determinism across sweeps, failures that stay
 * in their cell, and a SIGKILLed worker whose cell resumes to the same bytes.
 */
class SweepTest {

    /**
     * The runner tests' tiny DEQ run ({@link ExperimentRunnerTest#tiny}) as the base of a two-worker grid, in batches
     * of 8 (9 per epoch) so that a cell lasts long enough to be killed in the middle.
     */
    static String tinyGrid(Path out, int epochs) {
        return Grid.builder().name("tiny").workers(2).out(out).base(ExperimentRunnerTest.tiny("deq", epochs, out))
                .set("batch_size", 8).build().format();
    }

    @Test
    void anAxisNamedLikeAMetricKeepsBothColumns(@TempDir Path dir) {
        // lr is both an experiment key and a per-epoch metric (the decayed rate): the tables hold both
        String base = tinyGrid(dir, 2).replaceAll("(?m)^lr = .*\n", "");
        SweepResult pending = SweepResult.read(Grid.parse(base + "lr = 0.01, 0.02\n"));
        for (Table t : List.of(pending.summary(), pending.table())) {
            assertTrue(t.columnNames().containsAll(List.of("lr", "epoch_lr", "train_loss")), t.columnNames().toString());
        }
        assertEquals(List.of(0.01, 0.02), pending.summary().doubleColumn("lr").asList());
        assertEquals("epoch_lr", pending.metricColumn("lr"));
        assertEquals("nc1", pending.metricColumn("nc1"));
    }

    @Test
    void everyCellIsInTheTablesBadCellsFailAloneAndSameSeedsGiveTheSameBytes(@TempDir Path dir) throws Exception {
        String axes = "seed = 1, 2\ndeq.solver = anderson, andersen\n";
        List<SweepProgress> reports = new ArrayList<>();
        SweepResult r = Sweep.run(Grid.parse(tinyGrid(dir.resolve("a"), 2) + axes), reports::add);

        assertEquals(4, r.outcomes().size());
        Table summary = r.summary();
        assertEquals(List.of(0, 1, 2, 3), summary.intColumn("cell").asList());
        assertEquals(List.of(1L, 1L, 2L, 2L), summary.longColumn("seed").asList());
        assertEquals(List.of("anderson", "andersen", "anderson", "andersen"), summary.stringColumn("deq.solver").asList());
        assertEquals(List.of("completed", "failed", "completed", "failed"), summary.stringColumn("status").asList());
        String error = summary.stringColumn("error").get(1);
        assertTrue(error.contains("deq.solver") && error.contains("andersen") && !error.contains("\n"), error);
        assertEquals(List.of(2, 0, 2, 0), summary.intColumn("epochs").asList());

        Table table = r.table();
        assertEquals(List.of(0, 0, 2, 2), table.intColumn("cell").asList());
        assertEquals(List.of(1, 2, 1, 2), table.intColumn("epoch").asList());
        assertTrue(table.columnNames().containsAll(List.of("cell", "seed", "deq.solver", "epoch", "train_loss", "nc1")));
        assertNotEquals(table.doubleColumn("train_loss").getDouble(1), table.doubleColumn("train_loss").getDouble(3),
                "another seed trains differently");
        SweepProgress last = reports.get(reports.size() - 1);
        assertEquals(new SweepProgress(4, 2, 2, 0, 4, 4, last.elapsed()), last);

        Path cell0 = r.outcomes().get(0).directory();
        for (String f : List.of("metrics.csv", "checkpoint.bin", "provenance.json", "status.txt", "log.txt")) {
            assertTrue(Files.exists(cell0.resolve(f)), f);
        }
        assertTrue(Files.exists(dir.resolve("a/grid.txt")) && Files.exists(dir.resolve("a/summary.csv")));

        // the same grid elsewhere: the same bytes, cell by cell and for the whole table
        SweepResult again = Sweep.run(Grid.parse(tinyGrid(dir.resolve("b"), 2) + axes));
        assertArrayEquals(Files.readAllBytes(cell0.resolve("metrics.csv")),
                Files.readAllBytes(again.outcomes().get(0).directory().resolve("metrics.csv")));
        assertArrayEquals(Files.readAllBytes(r.tableFile()), Files.readAllBytes(again.tableFile()));

        // running a finished grid again starts no worker and changes nothing
        long logSize = Files.size(cell0.resolve("log.txt"));
        SweepResult rerun = Sweep.run(Grid.parse(tinyGrid(dir.resolve("a"), 2) + axes));
        assertEquals(logSize, Files.size(cell0.resolve("log.txt")));
        assertArrayEquals(Files.readAllBytes(again.tableFile()), Files.readAllBytes(rerun.tableFile()));

        List<CellOutcome> found = r.cells("seed=2", "deq.solver=anderson");
        assertEquals(1, found.size());
        assertEquals(2, found.get(0).cell().index());
        assertEquals(List.of(0, 1), r.cells("seed=1").stream().map(o -> o.cell().index()).toList());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.cells("sed=1")).getMessage()
                .contains("an axis of seed, deq.solver"));
        var reloaded = r.run(found.get(0));
        assertEquals(table.doubleColumn("train_loss").getDouble(3), reloaded.last().get("train_loss"));

        Table spread = r.overSeeds("test_acc");
        assertEquals(List.of("deq.solver", "n", "not_completed", "test_acc_mean", "test_acc_std", "test_acc_min",
                "test_acc_max"), spread.columnNames());
        assertEquals(List.of("anderson", "andersen"), spread.stringColumn("deq.solver").asList());
        assertEquals(List.of(2, 0), spread.intColumn("n").asList());
        assertEquals(List.of(0, 2), spread.intColumn("not_completed").asList());
        double a = table.doubleColumn("test_acc").getDouble(1);
        double b = table.doubleColumn("test_acc").getDouble(3);
        assertEquals((a + b) / 2, spread.doubleColumn("test_acc_mean").getDouble(0), 1e-15);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), spread.doubleColumn("test_acc_std").getDouble(0), 1e-15);
        assertTrue(Double.isNaN(spread.doubleColumn("test_acc_mean").getDouble(1)), "no completed cell, no mean");
    }

    @Test
    void aWorkerKilledMidCellResumesToTheTableOfAnUninterruptedSweep(@TempDir Path dir) throws Exception {
        int epochs = 12;
        String axes = "seed = 3, 4\n";
        SweepResult straight = Sweep.run(Grid.parse(tinyGrid(dir.resolve("straight"), epochs) + axes));
        assertTrue(straight.allCompleted(), straight.toString());
        assertTrue(org.deqnc.provenance.Origin.seedsUsed().containsAll(List.of(3L, 4L)),
                "the seeds the workers ran with are in this process's provenance: " + org.deqnc.provenance.Origin.seedsUsed());

        Grid grid = Grid.parse(tinyGrid(dir.resolve("killed"), epochs) + axes);
        Path victim = grid.cells().get(0).directory(grid.directory());
        CompletableFuture<SweepResult> first = CompletableFuture.supplyAsync(() -> Sweep.run(grid));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(victim.resolve("checkpoint.bin")) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        ProcessHandle worker = ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("0")).orElse(false)
                        && p.info().commandLine().orElse("").contains(RunCell.class.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no worker of cell 0 found"));
        assertTrue(worker.destroyForcibly(), "SIGKILL sent"); // destroyForcibly is SIGKILL on Unix
        SweepResult killed = first.get(120, TimeUnit.SECONDS);
        CellOutcome lost = killed.outcomes().get(0);
        assertEquals(CellOutcome.Status.FAILED, lost.status(), "the kill landed mid-cell: " + lost);
        assertTrue(lost.error().startsWith("worker exited with code 137 (killed by signal 9) before the cell ended"),
                lost.error());
        assertTrue(killed.outcomes().get(1).completed(), "the other cell went on");
        int checkpointed = killed.summary().intColumn("epochs").getInt(0);
        assertTrue(checkpointed >= 1 && checkpointed < epochs, "killed after " + checkpointed + " epochs");

        SweepResult resumed = Sweep.run(grid);
        assertTrue(resumed.allCompleted(), resumed.toString());
        String log = Files.readString(victim.resolve("log.txt"));
        assertTrue(log.contains("resuming in"), log);
        assertArrayEquals(Files.readAllBytes(straight.tableFile()), Files.readAllBytes(resumed.tableFile()));
        assertFalse(ProcessHandle.current().children().anyMatch(p -> p.info().commandLine().orElse("")
                .contains(RunCell.class.getName())), "no worker left");

        // kill -9 of the process that runs the sweep (a kernel, a script): its workers stop, a rerun continues
        Grid orphaned = Grid.parse(tinyGrid(dir.resolve("parent-killed"), epochs) + axes);
        Path gridFile = Files.writeString(dir.resolve("parent-killed.grid"), orphaned.format());
        // started as the test JVM was (with the Vector API module: the sums then round alike, and the table
        // matches the one straight's workers wrote byte for byte)
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", org.deqnc.engine.HostKernels.VECTOR_MODULE, Sweep.class.getName(), gridFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("parent.log").toFile());
        pb.environment().putAll(RunCell.environment(1));
        Process parent = pb.start();
        Path firstCell = orphaned.cells().get(0).directory(orphaned.directory());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(firstCell.resolve("checkpoint.bin")) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        List<ProcessHandle> workers = parent.descendants().toList();
        assertEquals(2, workers.size(), "two workers run: " + Files.readString(dir.resolve("parent.log")));
        parent.destroyForcibly().waitFor();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(workers.stream().anyMatch(ProcessHandle::isAlive), "the workers ended with their parent");
        assertTrue(org.deqnc.train.ExperimentRunner.metrics(firstCell).size() < epochs, "the kill landed mid-cell");
        SweepResult continued = Sweep.run(orphaned);
        assertArrayEquals(Files.readAllBytes(straight.tableFile()), Files.readAllBytes(continued.tableFile()));
    }

    /**
     * Workers of short cells (the quick profiles' 12 epochs) compile with C1 alone, which ran a quick grid in about two
     * thirds of the time; longer ones (the paper profiles' hundreds) keep the default compilers; every worker runs the
     * serial collector. The sweeps above run their tiny cells that way, end to end.
     */
    @Test
    void shortCellsCompileWithC1AloneLongOnesWithBothCompilersAndAllWithTheSerialCollector() {
        assertTrue(RunCell.shortRun(org.deqnc.train.Experiment.parse("epochs=12")));
        assertTrue(RunCell.shortRun(org.deqnc.train.Experiment.parse("epochs=30")));
        assertFalse(RunCell.shortRun(org.deqnc.train.Experiment.parse("epochs=31")));
        assertFalse(RunCell.shortRun(org.deqnc.train.Experiment.parse("epochs=350")));
        Path grid = Path.of("grid.txt");
        boolean userChose = System.getenv().getOrDefault("JDK_JAVA_OPTIONS", "").contains("Tiered");
        assertEquals(!userChose, RunCell.command(grid, 0, false, true).contains("-XX:TieredStopAtLevel=1"));
        List<String> full = RunCell.command(grid, 0, false, false);
        assertFalse(full.contains("-XX:TieredStopAtLevel=1"), full.toString());
        assertTrue(full.contains("-XX:+UseSerialGC"), full.toString());
    }
}
