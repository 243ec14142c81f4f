package org.deqnc.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.deqnc.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sbatch options a grid's slurm.* settings turn into, and the errors for bad ones; no scheduler needed. */
class SlurmResourcesTest {

    private static SlurmResources of(String settings) {
        return SlurmResources.of(Grid.parse("dataset = gmm\n" + settings).settings());
    }

    @Test
    void defaultsAskForFourCoresAnd16GAndLeaveTheRestToTheCluster() {
        SlurmResources r = of("");
        assertEquals(List.of("--cpus-per-task=4", "--mem=16G"), r.sbatchOptions());
        assertEquals("0-3", r.array(List.of(0, 1, 2, 3)));
    }

    @Test
    void everySettingBecomesItsOption() {
        SlurmResources r = of("slurm.cpus_per_task = 8\nslurm.mem = 32g\nslurm.gpus = 1\nslurm.partition = gpu\n"
                + "slurm.time = 1-12:00:00\nslurm.account = nc-lab\nslurm.max_running = 3\n");
        assertEquals(List.of("--cpus-per-task=8", "--mem=32G", "--gres=gpu:1", "--partition=gpu", "--time=1-12:00:00",
                "--account=nc-lab"), r.sbatchOptions());
        assertEquals("0-2,5,7-8%3", r.array(List.of(0, 1, 2, 5, 7, 8)), "ranges where consecutive, then the throttle");
        assertEquals("4%3", r.array(List.of(4)));
    }

    @Test
    void badValuesFailTheGridNamingTheKey() {
        ConfigException mem = assertThrows(ConfigException.class, () -> of("slurm.mem = lots\n"));
        assertEquals("slurm.mem: must be a number with an optional K, M, G or T suffix (e.g. 16G), got 'lots'",
                mem.getMessage());
        ConfigException time = assertThrows(ConfigException.class, () -> of("slurm.time = two hours\n"));
        assertTrue(time.getMessage().startsWith("slurm.time: must be minutes, HH:MM:SS or D-HH:MM:SS"), time.getMessage());
        ConfigException partition = assertThrows(ConfigException.class, () -> of("slurm.partition = gpu a100\n"));
        assertEquals("slurm.partition: must be a Slurm name (letters, digits, '_', '.', '-'; partitions separated by"
                + " ','), got 'gpu a100'", partition.getMessage());
        ConfigException backend = assertThrows(ConfigException.class, () -> of("backend = slurn\n"));
        assertTrue(backend.getMessage().contains("local, slurm") && backend.getMessage().contains("slurm"),
                backend.getMessage());
        ConfigException typo = assertThrows(ConfigException.class, () -> of("slurm.cpus = 2\n"));
        assertTrue(typo.getMessage().contains("slurm.cpus_per_task"), typo.getMessage());
    }

    @Test
    void submitNeedsASchedulerBackend(@TempDir Path dir) {
        Grid local = Grid.parse("dataset = gmm\nout = " + dir + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sweep.submit(local,
                Sweep.Mode.RESUME));
        assertTrue(e.getMessage().startsWith("submit: needs backend = slurm"), e.getMessage());
        SweepStatus s = Sweep.status(local);
        assertEquals(1, s.pending());
        assertEquals("sweep sweep: 1 cells: 1 pending, 0 running, 0 done, 0 failed", s.toString());
    }
}
