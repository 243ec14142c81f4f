package org.deqnc.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.deqnc.engine.Engines;
import org.deqnc.engine.HostKernels;
import org.deqnc.train.EpochMetrics;
import org.deqnc.train.Experiment;
import org.deqnc.train.ExperimentInterruptedException;
import org.deqnc.train.ExperimentRunner;
import org.deqnc.train.Progress;
import org.deqnc.train.ProgressListener;

/**
 * Runs one cell of a grid in this process: {@code java -cp <classpath> org.deqnc.sweep.RunCell <grid-file>
 * <cell-index>}. The cell's directory is {@code cells/<id>} beside the grid file. A completed cell is left as it
 * is; a cell with a checkpoint resumes from it (the metrics are then the bytes an uninterrupted run writes);
 * otherwise it trains from scratch. The outcome goes to the cell's {@code status.txt}, the exit code is 0 when
 * the cell completed and 1 when it failed, 2 for bad arguments, {@value #EXIT_STOPPED} when it was stopped
 * before its end (no status: the next run resumes it). Progress lines (one per epoch) go to standard output.
 *
 * <p>{@code SIGTERM} (a scheduler's time limit, {@code scancel}, preemption, the local backend stopping its
 * workers) interrupts the training, which stops before its next batch with the last epoch's checkpoint on disk;
 * the JVM waits up to {@value #STOP_GRACE_SECONDS} s for that (Slurm's default KillWait is 30 s) before it ends.
 *
 * <p>With {@value #EXIT_WITH_PARENT} the process ends when its standard input closes: the local backend keeps
 * a pipe open to each worker, so a killed kernel or JVM leaves no orphan training on.
 */
public final class RunCell {

    /** Flag: exit when standard input reaches end of file (the parent died). */
    public static final String EXIT_WITH_PARENT = "--exit-with-parent";
    /** Exit code of a cell stopped before its end (a signal, or the parent gone); it resumes on the next run. */
    public static final int EXIT_STOPPED = 3;
    static final int STOP_GRACE_SECONDS = 25;
    /**
     * The most epochs of a cell run with C1 alone. Measured on the quick mlp cells (docs/grids.md), C1 code
     * caught up with the default compilers' after about 45 (explicit) and 70 (DEQ) epochs; 30 keeps short of both.
     */
    static final int SHORT_RUN_EPOCHS = 30;

    private RunCell() {
    }

    public static void main(String[] args) {
        List<String> positional = new ArrayList<>(List.of(args));
        boolean watchParent = positional.remove(EXIT_WITH_PARENT);
        if (positional.size() != 2 || !positional.get(1).matches("\\d+")) {
            System.err.println("usage: java -cp <classpath> " + RunCell.class.getName()
                    + " <grid-file> <cell-index> [" + EXIT_WITH_PARENT + "]");
            System.exit(2);
        }
        if (watchParent) {
            exitWhenStdinCloses();
        }
        CountDownLatch ended = new CountDownLatch(1);
        Thread worker = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ended.getCount() > 0) { // a signal, not our own exit: stop at the next batch, keep the checkpoint
                System.out.println("sweep worker: stop requested (SIGTERM), stopping at the last checkpoint");
                worker.interrupt();
                try {
                    ended.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "deq-sweep-checkpoint-on-term"));
        int code = run(Path.of(positional.get(0)), Integer.parseInt(positional.get(1)));
        System.out.flush();
        ended.countDown();
        System.exit(code);
    }

    /** Runs cell {@code index} of the grid in {@code gridFile}; returns the exit code {@link #main} uses. */
    static int run(Path gridFile, int index) {
        Cell cell;
        try {
            List<Cell> cells = Grid.read(gridFile).cells();
            if (index >= cells.size()) {
                System.err.println("sweep: cell index must be in [0, " + (cells.size() - 1) + "], got " + index);
                return 2;
            }
            cell = cells.get(index);
        } catch (RuntimeException e) {
            System.err.println(Grid.firstLine(e));
            return 2;
        }
        if (!cell.valid()) {
            System.err.println(cell.label() + ": " + cell.error());
            return 1;
        }
        Path dir = cell.directory(gridFile.toAbsolutePath().getParent());
        CellStatus previous = CellStatus.read(dir);
        if (previous != null && previous.completed()) {
            System.out.println(cell.label() + ": already completed in " + dir);
            return 0;
        }
        CellStatus.clear(dir);
        ProgressListener log = new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                System.out.println(cell.label() + ": " + m);
            }
        };
        try {
            boolean resume = ExperimentRunner.hasCheckpoint(dir);
            System.out.println(cell.label() + ": " + (resume ? "resuming" : "starting") + " in " + dir);
            if (resume) {
                ExperimentRunner.resume(dir, log);
            } else {
                ExperimentRunner.run(cell.experiment(), dir, log);
            }
            CellStatus.ofCompleted().write(dir);
            System.out.println(cell.label() + ": completed");
            return 0;
        } catch (ExperimentInterruptedException e) {
            System.out.println(cell.label() + ": stopped (" + Grid.firstLine(e) + "); " + ExperimentRunner.metrics(dir)
                    .size() + " epochs checkpointed in " + dir + ", the next run resumes from there");
            return EXIT_STOPPED;
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            System.err.flush();
            System.out.println(cell.label() + ": failed: " + Grid.firstLine(e)); // the log's last line says why
            CellStatus.ofFailure(Grid.firstLine(e)).write(dir);
            return 1;
        }
    }

    /**
     * The command that runs cell {@code index} of {@code gridFile} in a fresh JVM: this JVM's java, the serial
     * garbage collector, for a {@link #shortRun} the C1 compiler alone (unless {@code JDK_JAVA_OPTIONS} sets a
     * tiered-compilation option, which then decides), the DJL settings it was started with and its Vector API
     * module ({@link HostKernels}); the class path comes from {@link #environment}.
     */
    public static List<String> command(Path gridFile, int index, boolean exitWithParent, boolean shortRun) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.awt.headless=true");
        // one GC thread, as in the kernel: G1's concurrent threads competed with libtorch's for the cores, and a
        // quick-profile cell ran 10-25 % longer with them (docs/grids.md)
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(compilerOptions(shortRun));
        if (ModuleLayer.boot().findModule(HostKernels.VECTOR_MODULE).isPresent()) {
            cmd.addAll(List.of("--add-modules", HostKernels.VECTOR_MODULE)); // the parent's SIMD loops, also here
        }
        for (String key : List.of(Engines.OFFLINE_KEY, Engines.CACHE_DIR_KEY, "ai.djl.default_engine")) {
            String v = System.getProperty(key);
            if (v != null) {
                cmd.add("-D" + key + "=" + v);
            }
        }
        cmd.add(RunCell.class.getName());
        cmd.add(gridFile.toAbsolutePath().toString());
        cmd.add(String.valueOf(index));
        if (exitWithParent) {
            cmd.add(EXIT_WITH_PARENT);
        }
        return cmd;
    }

    /**
     * The JIT options of a worker: for a short run C1 alone, unless {@code JDK_JAVA_OPTIONS} (which every {@code java}
     * reads) sets a tiered-compilation option of its own. The optimising compiler spends seconds compiling while a
     * short cell trains, more than its faster code saves before about 45 epochs (docs/grids.md).
     */
    static List<String> compilerOptions(boolean shortRun) {
        return shortRun && !System.getenv().getOrDefault("JDK_JAVA_OPTIONS", "").contains("Tiered")
                ? List.of("-XX:TieredStopAtLevel=1") : List.of();
    }

    /**
     * Whether a cell of {@code e} is short enough that its JVM should compile with C1 alone: at most
     * {@value #SHORT_RUN_EPOCHS} epochs (the quick profiles' 12, not the paper profiles' hundreds).
     */
    public static boolean shortRun(Experiment e) {
        return e.get(Experiment.EPOCHS) <= SHORT_RUN_EPOCHS;
    }

    /**
     * The environment a worker adds to its parent's: {@code CLASSPATH}, this JVM's class path (in the
     * environment rather than after {@code -cp}, so the command line stays short: Linux shows a process only the
     * first 4096 bytes of it, and tools that find workers by their main class read those); the project's
     * values of {@link Engines#PROCESS_ENVIRONMENT} where the parent has none; and {@code threads} intra-op
     * threads for libtorch (unless the parent chose), so workers sharing a machine do not oversubscribe it.
     */
    public static Map<String, String> environment(int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLASSPATH", System.getProperty("java.class.path"));
        Engines.RECOMMENDED_ENVIRONMENT.forEach((k, v) -> {
            if (System.getenv(k) == null) {
                env.put(k, v);
            }
        });
        for (String k : List.of("OMP_NUM_THREADS", "MKL_NUM_THREADS")) {
            if (System.getenv(k) == null) {
                env.put(k, String.valueOf(Math.max(1, threads)));
            }
        }
        return env;
    }

    private static void exitWhenStdinCloses() {
        Thread t = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent writes nothing; only the end of the stream matters
                }
            } catch (IOException e) {
                // a broken pipe is the same signal
            }
            System.err.println("sweep worker: parent process gone, stopping (the last checkpoint stays)");
            Runtime.getRuntime().halt(EXIT_STOPPED);
        }, "deq-sweep-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
