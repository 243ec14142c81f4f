package org.deqnc.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.deqnc.train.ExperimentRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurm backend against a real Slurm: environment/test.sh starts a one-node cluster
 * (environment/slurm.sh), sets {@value #ENABLE}=1 and stops the cluster afterwards. Without that variable (a
 * developer's {@code mvn verify} without a cluster) the tests are skipped; with it, a cluster that does not answer
 * fails them with the reason.
 */
@EnabledIfEnvironmentVariable(named = SlurmSweepTest.ENABLE, matches = "1")
class SlurmSweepTest {

    static final String ENABLE = "DEQNC_SLURM_TESTS";
    private static final String ON_SLURM = "backend = slurm\nslurm.cpus_per_task = 1\nslurm.mem = 1G\n";

    @BeforeAll
    static void clusterAnswers() {
        String state;
        try {
            state = SlurmBackend.Command.run(List.of("sinfo", "-h", "-o", "%t")).strip();
        } catch (IllegalStateException e) {
            fail(ENABLE + "=1 but Slurm does not answer: " + e.getMessage());
            return;
        }
        assertTrue(state.equals("idle") || state.equals("mix") || state.equals("alloc"),
                ENABLE + "=1 but the test node is '" + state + "' (environment/slurm.sh start makes it idle)");
    }

    @Test
    void anArrayJobGivesTheLocalTableByteForByteWithFailedCellsReportedAndCountsWhileRunning(@TempDir Path dir)
            throws Exception {
        String axes = "seed = 1, 2\nweight_decay = 0, 1e30\n"; // weight decay 1e30 diverges at the first step
        SweepResult local = Sweep.run(Grid.parse(SweepTest.tinyGrid(dir.resolve("local"), 2) + axes));

        Grid grid = Grid.parse(SweepTest.tinyGrid(dir.resolve("slurm"), 2) + axes + ON_SLURM + "slurm.max_running = 1\n");
        SweepStatus submitted = Sweep.submit(grid, Sweep.Mode.RESUME);
        assertEquals(4, submitted.total());
        assertEquals(4, submitted.pending() + submitted.running(), submitted.toString());
        String script = Files.readString(grid.directory().resolve("slurm/array.sh"));
        assertTrue(script.contains("#SBATCH --cpus-per-task=1\n#SBATCH --mem=1G\n"), script);
        List<SweepStatus> seen = new ArrayList<>();
        SweepStatus s = submitted;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (s.pending() + s.running() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            s = Sweep.status(grid);
            seen.add(s);
            assertEquals(4, s.total(), s.toString());
            assertTrue(s.running() <= 1, "slurm.max_running = 1 throttles the array: " + s);
        }
        assertEquals(0, s.pending() + s.running(), "the job ended in time: " + s);
        assertTrue(seen.stream().anyMatch(x -> x.running() == 1 && x.pending() >= 1 && x.done() + x.failed() >= 1),
                "seen mid-way (one running, one waiting, one ended): " + seen);
        assertEquals(2, s.done(), s.toString());
        assertEquals(List.of(1, 3), s.failures().stream().map(f -> f.cell().index()).toList());
        SweepStatus.Failure f = s.failures().get(0);
        assertTrue(f.reason().contains("diverged"), f.reason());
        String lastLine = f.lastLogLines().get(f.lastLogLines().size() - 1);
        assertTrue(lastLine.startsWith("cell 1 (seed=1, weight_decay=1e30): failed: ") && lastLine.contains("diverged"),
                f.lastLogLines().toString());

        SweepResult collected = Sweep.collect(grid);
        assertArrayEquals(Files.readAllBytes(local.tableFile()), Files.readAllBytes(collected.tableFile()));
        assertArrayEquals(Files.readAllBytes(local.directory().resolve(SweepResult.SUMMARY_FILE)),
                Files.readAllBytes(collected.directory().resolve(SweepResult.SUMMARY_FILE)));
    }

    @Test
    void aCellCancelledMidRunResumesFromItsCheckpointOnResubmission(@TempDir Path dir) throws Exception {
        int epochs = 12;
        String axes = "seed = 5\n";
        SweepResult straight = Sweep.run(Grid.parse(SweepTest.tinyGrid(dir.resolve("straight"), epochs) + axes));

        Grid grid = Grid.parse(SweepTest.tinyGrid(dir.resolve("slurm"), epochs) + axes + ON_SLURM);
        Sweep.submit(grid, Sweep.Mode.RESUME);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> Sweep.run(grid));
        assertTrue(twice.getMessage().startsWith("sweep tiny: 1 cells are still queued or running on slurm"),
                twice.getMessage());
        assertEquals(1, SlurmBackend.jobs(grid.directory()).size(), "nothing submitted twice");
        Path cell = grid.cells().get(0).directory(grid.directory());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(cell.resolve("checkpoint.bin")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        String job = SlurmBackend.jobs(grid.directory()).keySet().iterator().next();
        SlurmBackend.Command.run(List.of("scancel", job)); // SIGTERM, as a time limit or a preemption sends
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!SlurmBackend.queue(grid.directory()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        SweepStatus cancelled = Sweep.status(grid);
        assertEquals(1, cancelled.failed(), cancelled.toString());
        int checkpointed = ExperimentRunner.metrics(cell).size();
        assertTrue(checkpointed >= 1 && checkpointed < epochs, "cancelled after " + checkpointed + " epochs");
        String log = Files.readString(cell.resolve(LocalBackend.LOG_FILE));
        assertTrue(log.contains("stop requested (SIGTERM)") && log.contains("stopped ("), log);
        assertTrue(cancelled.failures().get(0).reason().contains("submit the sweep again to resume it"),
                cancelled.toString());

        SweepResult resumed = Sweep.run(grid); // resubmits and waits for the array job
        assertTrue(resumed.allCompleted(), resumed.toString());
        log = Files.readString(cell.resolve(LocalBackend.LOG_FILE));
        assertTrue(log.contains("resuming in"), log);
        assertEquals(2, SlurmBackend.jobs(grid.directory()).size(), "one job per submission");
        assertArrayEquals(Files.readAllBytes(straight.tableFile()), Files.readAllBytes(resumed.tableFile()));
    }
}
