package org.deqnc.bench;

import org.deqnc.config.ConfigKey;
import org.deqnc.config.ConfigSchema;
import org.deqnc.kernel.DeqKernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How fast an interrupt stops a running {@code %%experiment} in the java-deq kernel (goal: 200 ms):
 * each repeat starts a tiny synthetic run, waits for its first checkpoint, interrupts the kernel and
 * times until the cell has returned. Run with the bench module's class path (as environment/bench.sh does):
 * <pre>java -cp bench/target/classes:$(cat bench/target/bench.classpath) org.deqnc.bench.ExperimentInterruptBenchmark repeats=5</pre>
 * Prints {@code BENCH name=experiment_interrupt_ours median_ms=… spread_ms=… repeats=…}.
 */
public final class ExperimentInterruptBenchmark {

    private ExperimentInterruptBenchmark() {
    }

    static final ConfigKey<Integer> REPEATS = ConfigKey.ofInt("repeats", 5, 1, 1000, "interrupts timed");
    static final ConfigSchema SCHEMA = ConfigSchema.builder("ExperimentInterruptBenchmark").add(REPEATS).build();

    /** A run of about a second per epoch, 50 epochs: 4 synthetic classes in 16 dims, 72 samples in 3 batches. */
    private static String experiment(Path out) {
        return "dataset = synthetic\nsynthetic_per_class = 24\nsynthetic_test_per_class = 8\nK_A = 2\nR = 2\n"
                + "encoder_width = 16\ndeq.hidden = 16\ndeq.max_iter = 10\nbatch_size = 24\nlr = 0.05\n"
                + "model = deq\nepochs = 50\nout = " + out + "\n";
    }

    public static void main(String[] argv) throws Exception {
        int repeats = SCHEMA.parseArgs(String.join(" ", argv)).get(REPEATS);
        Path root = Files.createTempDirectory("deq-interrupt-bench");
        DeqKernel kernel = DeqKernel.builder().build();
        kernel.onStartup();
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            Path run = root.resolve("run" + i);
            String cell = "%%experiment bench" + i + "\n" + experiment(run);
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    kernel.eval(cell);
                } catch (RuntimeException expected) {
                    // the interrupt
                }
            });
            while (!Files.exists(run.resolve("checkpoint.bin"))) {
                Thread.sleep(2);
            }
            Thread.sleep(100 + 150L * i); // land at different points of the next epoch
            long t0 = System.nanoTime();
            kernel.interrupt();
            running.get(30, TimeUnit.SECONDS);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        kernel.onShutdown(false);
        System.out.println(new BenchLine("experiment_interrupt_ours", ms)
                .with("cores", String.valueOf(Runtime.getRuntime().availableProcessors())));
        System.exit(0);
    }
}
