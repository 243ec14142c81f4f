package org.deqnc.sweep;

import java.util.ArrayList;
import java.util.List;

import org.deqnc.config.Config;
import org.deqnc.config.ConfigException;
import org.deqnc.config.ConfigKey;
import org.deqnc.train.Experiment;

/**
 * What each array task of the {@code slurm} backend asks the scheduler for, from the grid's {@code slurm.*}
 * settings (declared here once, part of {@link Grid#SCHEMA}). {@code default} leaves a choice to the cluster's
 * own default (partition, account, time limit). The defaults fit one cell of the paper profile: a GPU cell
 * feeds its data with a few cores and holds CIFAR in well under 16 GiB.
 */
record SlurmResources(int cpusPerTask, String memory, int gpus, String partition, String time, String account,
        int maxRunning) {

    static final ConfigKey<Integer> CPUS_PER_TASK = ConfigKey.ofInt("slurm.cpus_per_task", 4, 1, 1024,
            "slurm: --cpus-per-task of each cell (also its libtorch threads)");
    static final ConfigKey<String> MEMORY = ConfigKey.ofString("slurm.mem", "16G",
            "slurm: --mem of each cell (a number with an optional K, M, G or T suffix; MiB without one)");
    static final ConfigKey<Integer> GPUS = ConfigKey.ofInt("slurm.gpus", 0, 0, 64,
            "slurm: GPUs per cell, as --gres=gpu:N (0 asks for none)");
    static final ConfigKey<String> PARTITION = ConfigKey.ofString("slurm.partition", Experiment.DEFAULT,
            "slurm: --partition (default: the cluster's default partition)");
    static final ConfigKey<String> TIME = ConfigKey.ofString("slurm.time", Experiment.DEFAULT,
            "slurm: --time limit of each cell, e.g. 04:00:00 or 1-00:00:00 (default: the partition's); a cell stopped"
                    + " at its limit checkpoints and resumes on resubmission");
    static final ConfigKey<String> ACCOUNT = ConfigKey.ofString("slurm.account", Experiment.DEFAULT,
            "slurm: --account charged (default: the user's default account)");
    static final ConfigKey<Integer> MAX_RUNNING = ConfigKey.ofInt("slurm.max_running", 0, 0, 100_000,
            "slurm: at most this many cells of the grid run at once (--array=...%N; 0 = no limit)");

    static final List<ConfigKey<?>> KEYS = List.of(CPUS_PER_TASK, MEMORY, GPUS, PARTITION, TIME, ACCOUNT, MAX_RUNNING);

    /** The resources in a grid's settings; a malformed memory or time fails naming the key and the form. */
    static SlurmResources of(Config settings) {
        String memory = settings.get(MEMORY);
        if (!memory.matches("\\d+[KMGTkmgt]?")) {
            throw new ConfigException(MEMORY.name() + ": must be a number with an optional K, M, G or T suffix (e.g. 16G),"
                    + " got '" + memory + "'");
        }
        String time = settings.get(TIME);
        if (!time.equals(Experiment.DEFAULT) && !time.matches("(\\d+-)?\\d+(:\\d+){0,2}")) {
            throw new ConfigException(TIME.name() + ": must be minutes, HH:MM:SS or D-HH:MM:SS (or default), got '"
                    + time + "'");
        }
        for (ConfigKey<String> name : List.of(PARTITION, ACCOUNT)) { // one word on its #SBATCH line
            if (!settings.get(name).matches("[A-Za-z0-9_.,-]+")) {
                throw new ConfigException(name.name() + ": must be a Slurm name (letters, digits, '_', '.', '-';"
                        + " partitions separated by ','), got '" + settings.get(name) + "'");
            }
        }
                return new SlurmResources(settings.get(CPUS_PER_TASK), memory.toUpperCase(java.util.Locale.ROOT),
                settings.get(GPUS), settings.get(PARTITION), time, settings.get(ACCOUNT), settings.get(MAX_RUNNING));
    }

    /** The {@code #SBATCH} options other than the array, the job name and the output files. */
    List<String> sbatchOptions() {
        List<String> o = new ArrayList<>();
        o.add("--cpus-per-task=" + cpusPerTask);
        o.add("--mem=" + memory);
        if (gpus > 0) {
            o.add("--gres=gpu:" + gpus);
        }
        optional(o, "--partition=", partition);
        optional(o, "--time=", time);
        optional(o, "--account=", account);
        return o;
    }

    /** {@code --array}'s value for these cell indices: ranges where they are consecutive, then the throttle. */
    String array(List<Integer> indices) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < indices.size(); i++) {
            int start = indices.get(i);
            int end = start;
            while (i + 1 < indices.size() && indices.get(i + 1) == end + 1) {
                end = indices.get(++i);
            }
            b.append(b.length() == 0 ? "" : ",").append(start).append(end > start ? "-" + end : "");
        }
        return b + (maxRunning > 0 ? "%" + maxRunning : "");
    }

    private static void optional(List<String> options, String flag, String value) {
        if (!value.equals(Experiment.DEFAULT)) {
            options.add(flag + value);
        }
    }
}
