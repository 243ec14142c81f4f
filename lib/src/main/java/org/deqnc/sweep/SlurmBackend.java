package org.deqnc.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.deqnc.train.AtomicFiles;

/**
 * Runs cells as one {@code sbatch --array} job per submission: array task {@code i} runs cell {@code i} with the
 * plain {@link RunCell#command} (no parent to watch), its output appended to the cell's {@code log.txt}, all in the
 * grid's sweep directory, which the compute nodes must see (a shared file system, as on every cluster); so must
 * the java and the jars this JVM runs. Resources come from {@link SlurmResources}. The batch script and the
 * scheduler's own output go to {@code slurm/} of the sweep directory, and every submitted job id (with its cells)
 * is appended to {@value #JOBS_FILE} there, so a later process (a notebook after a restart, the command line) can
 * ask the scheduler where the cells stand ({@link #queue}).
 */
final class SlurmBackend implements SweepBackend {

    static final String NAME = "slurm";
    /** Subdirectory of the sweep directory with the batch script, the job list and the scheduler's output. */
    static final String DIR = "slurm";
    static final String JOBS_FILE = "jobs.txt";
    static final String SCRIPT_FILE = "array.sh";
    private static final long QUEUE_POLL_MS = 1_000;
    private static final long CANCEL_WAIT_MS = 60_000;

    @Override
    public String name() {
        return NAME;
    }

    /** Submits the cells as one array job and returns at once; {@code workers} is not used (see slurm.max_running). */
    @Override
    public Execution start(Path gridFile, List<Cell> cells, int workers) {
        Path file = gridFile.toAbsolutePath();
        Grid grid = Grid.read(file);
        Path sweepDir = file.getParent();
        SlurmResources resources = SlurmResources.of(grid.settings());
        List<Integer> indices = cells.stream().map(Cell::index).sorted().toList();
        try {
            Files.createDirectories(sweepDir.resolve(DIR));
            for (Cell c : cells) {
                Files.createDirectories(c.directory(sweepDir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(sweepDir + ": cannot create the cell directories: " + e.getMessage(), e);
        }
        Path script = sweepDir.resolve(DIR).resolve(SCRIPT_FILE);
        AtomicFiles.writeString(script, script(grid, file, resources));
        List<String> sbatch = List.of("sbatch", "--parsable", "--array=" + resources.array(indices), script.toString());
        String out = Command.run(sbatch).strip();
        String jobId = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
        if (!jobId.matches("\\d+")) {
            throw new IllegalStateException("sbatch: expected a job id, got '" + out + "'");
        }
        append(sweepDir.resolve(DIR).resolve(JOBS_FILE), jobId + " " + indices.stream().map(String::valueOf)
                .collect(Collectors.joining(",")) + "\n");
        return new SlurmExecution(jobId);
    }

    /** The batch script: the resources, then the cell of this array task in the plain java command. */
    private static String script(Grid grid, Path gridFile, SlurmResources resources) {
        Path sweepDir = gridFile.getParent();
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        b.append("#SBATCH --job-name=deqnc-").append(grid.name()).append('\n');
        b.append("#SBATCH --output=").append(sweepDir.resolve(DIR)).append("/%A_%a.out\n");
        resources.sbatchOptions().forEach(o -> b.append("#SBATCH ").append(o).append('\n'));
        b.append("# deq-nc sweep ").append(grid.name()).append(": array task i runs cell i of ").append(gridFile)
                .append("\nset -eu\n");
        b.append("CELLS=(").append(grid.cells().stream().map(c -> c.valid() ? c.id() : "-")
                .collect(Collectors.joining(" "))).append(")\n");
        // per cell, as the local backend chooses them: C1 alone for short runs (RunCell.shortRun)
        b.append("JIT=(").append(grid.cells().stream().map(c -> quote(String.join(" ",
                RunCell.compilerOptions(c.valid() && RunCell.shortRun(c.experiment())))))
                .collect(Collectors.joining(" "))).append(")\n");
        RunCell.environment(resources.cpusPerTask())
                .forEach((k, v) -> b.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        b.append("cd ").append(quote(sweepDir.toString())).append('\n');
        b.append("LOG=\"cells/${CELLS[$SLURM_ARRAY_TASK_ID]}/").append(LocalBackend.LOG_FILE).append("\"\n");
        b.append("echo \"slurm job ${SLURM_JOB_ID} (array ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}) on $(hostname)\""
                + " >> \"$LOG\"\n");
        // exec: the scheduler's SIGTERM (scancel, time limit, preemption) reaches the JVM, which checkpoints
        List<String> cmd = new ArrayList<>(RunCell.command(gridFile, 0, false, false));
        cmd.remove(cmd.size() - 1);
        // the cell's JIT options unquoted after java: none, or one word
        b.append("exec ").append(quote(cmd.get(0))).append(" ${JIT[$SLURM_ARRAY_TASK_ID]} ")
                .append(cmd.subList(1, cmd.size()).stream().map(SlurmBackend::quote).collect(Collectors.joining(" ")))
                .append(" \"$SLURM_ARRAY_TASK_ID\" >> \"$LOG\" 2>&1\n");
        return b.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The jobs submitted for the sweep in {@code sweepDir}: job id to its cell indices, oldest first. */
    static Map<String, List<Integer>> jobs(Path sweepDir) {
        Path file = sweepDir.resolve(DIR).resolve(JOBS_FILE);
        Map<String, List<Integer>> jobs = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return jobs;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2) {
                    List<Integer> cells = new ArrayList<>();
                    for (String i : parts[1].split(",")) {
                        cells.add(Integer.parseInt(i));
                    }
                    jobs.put(parts[0], cells);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return jobs;
    }

    /**
     * The cells of the sweep's jobs that the scheduler still holds, cell index to its state as {@code squeue}
     * names it (PENDING, RUNNING, COMPLETING, ...); empty without any submitted job (squeue is then not asked).
     */
    static Map<Integer, String> queue(Path sweepDir) {
        Map<String, List<Integer>> jobs = jobs(sweepDir);
        return jobs.isEmpty() ? Map.of() : queue(jobs.keySet());
    }

    private static Map<Integer, String> queue(Set<String> jobIds) {
        Map<Integer, String> states = new TreeMap<>();
        String out;
        try {
            out = Command.run(List.of("squeue", "-h", "-r", "-j", String.join(",", jobIds), "-o", "%F|%K|%T"));
        } catch (IllegalStateException e) {
            if (e.getMessage().contains("Invalid job id")) {
                return states; // every job has ended and been purged from the controller
            }
            throw e;
        }
        for (String line : out.split("\\R")) {
            String[] f = line.strip().split("\\|");
            if (f.length == 3 && f[1].matches("\\d+")) {
                states.put(Integer.parseInt(f[1]), f[2]);
            }
        }
        return states;
    }

    /** What {@code sacct} says of the job's tasks that did not complete, or nothing where accounting is off. */
    private static Map<Integer, String> accounting(String jobId) {
        Map<Integer, String> why = new LinkedHashMap<>();
        String out;
        try {
            out = Command.run(List.of("sacct", "-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,ExitCode"));
        } catch (IllegalStateException e) {
            return why; // no accounting storage on this cluster: the cells' own files tell the rest
        }
        for (String line : out.split("\\R")) {
            String[] f = line.strip().split("\\|");
            if (f.length == 3 && f[0].matches("\\d+_\\d+") && !f[1].startsWith("COMPLETED")) {
                why.put(Integer.parseInt(f[0].substring(f[0].indexOf('_') + 1)),
                        "slurm task " + f[0] + " ended " + f[1] + " (exit " + f[2] + ")");
            }
        }
        return why;
    }

    private static final class SlurmExecution implements Execution {
        private final String jobId;
        private Map<Integer, String> states;
        private long checkedAt;

        SlurmExecution(String jobId) {
            this.jobId = jobId;
        }

        @Override
        public synchronized boolean await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (refresh().isEmpty()) {
                    return true;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                Thread.sleep(Math.min(left, QUEUE_POLL_MS));
            }
        }

        /** The job's queued and running tasks, asking the scheduler at most once a second. */
        private Map<Integer, String> refresh() {
            if (states == null || System.nanoTime() - checkedAt > TimeUnit.MILLISECONDS.toNanos(QUEUE_POLL_MS)) {
                states = queue(Set.of(jobId));
                checkedAt = System.nanoTime();
            }
            return states;
        }

        @Override
        public synchronized Set<Integer> running() {
            Set<Integer> running = new TreeSet<>();
            refresh().forEach((cell, state) -> {
                if (state.equals("RUNNING") || state.equals("COMPLETING")) {
                    running.add(cell);
                }
            });
            return running;
        }

        @Override
        public Map<Integer, String> lost() {
            return accounting(jobId);
        }

        @Override
        public synchronized void cancel() {
            Command.run(List.of("scancel", jobId));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CANCEL_WAIT_MS);
            while (!queue(Set.of(jobId)).isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(QUEUE_POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs a scheduler command and returns its standard output; a failure names the command and its message. */
    static final class Command {
        private Command() {
        }

        static String run(List<String> command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
                p.getOutputStream().close();
                byte[] err;
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                err = p.getErrorStream().readAllBytes();
                int code = p.waitFor();
                if (code != 0) {
                    throw new IllegalStateException(command.get(0) + " failed (exit " + code + "): "
                            + new String(err, StandardCharsets.UTF_8).strip());
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException(command.get(0) + ": cannot run it (" + e.getMessage()
                        + "); the slurm backend needs the Slurm client commands on the PATH", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(command.get(0) + ": interrupted", e);
            }
        }
    }
}
