package org.deqnc.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * One place that prepares DJL before its engine is first touched: offline mode (a misconfigured
 * classpath then fails fast instead of waiting on the network) and a stable native cache directory
 * (libtorch is ~430 MB once extracted; every run, test and kernel should share one copy).
 */
public final class Engines {

    /** System property and environment variable DJL reads for its cache root. */
    public static final String CACHE_DIR_KEY = "DJL_CACHE_DIR";
    public static final String OFFLINE_KEY = "ai.djl.offline";

    /**
     * Environment variables that change libtorch's results or speed and are read only at process start, so a
     * JVM cannot set them for itself (docs/cpu-notes.md): oneDNN's instruction set (its AVX-512 float32
     * convolutions are wrong on some CPUs, {@link ConvolutionCheck}) and glibc's thresholds for handing freed
     * memory back to the kernel (otherwise every fresh tensor page-faults).
     */
    public static final List<String> PROCESS_ENVIRONMENT = List.of("ONEDNN_MAX_CPU_ISA", "MALLOC_MMAP_THRESHOLD_",
            "MALLOC_TRIM_THRESHOLD_", "MALLOC_ARENA_MAX");

    /**
     * The values the project starts its JVMs with for {@link #PROCESS_ENVIRONMENT} (as the kernelspec, surefire and
     * bench.sh do): the values a JVM that this library starts (a sweep's worker) gets where its parent has none.
     */
    public static final Map<String, String> RECOMMENDED_ENVIRONMENT = recommendedEnvironment();

    private Engines() {
    }

    private static Map<String, String> recommendedEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ONEDNN_MAX_CPU_ISA", "AVX2");
        env.put("MALLOC_MMAP_THRESHOLD_", "33554432");
        env.put("MALLOC_TRIM_THRESHOLD_", "268435456");
        // one heap for every thread: the JVM's threads would otherwise get glibc's per-thread heaps, which it unmaps
        // whenever they empty, so tensors page-fault again on every step (docs/cpu-notes.md)
        env.put("MALLOC_ARENA_MAX", "1");
        return Collections.unmodifiableMap(env);
    }

    /** Where libtorch is extracted unless the user set {@code DJL_CACHE_DIR}: {@code ~/.cache/deq-nc/djl}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("deq-nc").resolve("djl");
    }

    /** Sets offline mode and the cache directory unless the user chose otherwise. Idempotent. */
    public static void configureDefaults() {
        if (System.getProperty(OFFLINE_KEY) == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty(OFFLINE_KEY, "true");
        }
        if (System.getProperty(CACHE_DIR_KEY) == null && System.getenv(CACHE_DIR_KEY) == null) {
            System.setProperty(CACHE_DIR_KEY, defaultCacheDir().toString());
        }
        if (System.getProperty("ai.djl.default_engine") == null) {
            System.setProperty("ai.djl.default_engine", "PyTorch");
        }
    }

    /** Name of the thread {@link #preloadInBackground()} starts; it ends when the engine is loaded. */
    public static final String PRELOAD_THREAD = "deq-engine-preload";

    /** Completes when a {@link #preloadInBackground()} load has ended; null when none was started. */
    private static volatile CompletableFuture<Void> preload;

    /**
     * Starts loading the PyTorch natives on a daemon thread and returns at once (the notebook kernel calls it once
     * online, its channels bound). The first load runs in native code for a few seconds and cannot be interrupted;
     * started here, it is done or under way before a cell needs it, and a cell that needs it sooner waits for it
     * interruptibly ({@link #pytorch()}). A failed load is not reported here: the cell's own load then reports it.
     * Idempotent.
     */
    public static synchronized void preloadInBackground() {
        if (preload != null) {
            return;
        }
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        preload = loaded;
        Thread t = new Thread(() -> {
            try {
                configureDefaults();
                Engine.getEngine("PyTorch");
            } catch (RuntimeException | LinkageError e) {
                // reported by the next pytorch() call, on the cell's thread, in the cell's words
            } finally {
                loaded.complete(null);
            }
        }, PRELOAD_THREAD);
        t.setDaemon(true);
        t.start();
    }

    /**
     * The PyTorch engine, configured as above; while a {@link #preloadInBackground()} load is under way, waits for
     * it and throws {@link ComputationInterruptedException} if this thread is interrupted meanwhile.
     */
    public static Engine pytorch() {
        configureDefaults();
        CompletableFuture<Void> loading = preload;
        if (loading != null && !loading.isDone()) {
            try {
                loading.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ComputationInterruptedException("PyTorch engine: interrupted while its natives load");
            } catch (ExecutionException e) {
                // never completed exceptionally; the load below reports any failure
            }
        }
        return Engine.getEngine("PyTorch");
    }

    /** A new root manager on the PyTorch engine's default device; close it when done. */
    public static NDManager newManager() {
        return pytorch().newBaseManager();
    }

    /** "PyTorch 2.7.1 on cpu()", for provenance records and kernel banners. */
    public static String describe() {
        Engine e = pytorch();
        return e.getEngineName() + " " + e.getVersion() + " on " + e.defaultDevice();
    }

    /** "ONEDNN_MAX_CPU_ISA=AVX2 MALLOC_MMAP_THRESHOLD_=unset ...": this process's {@link #PROCESS_ENVIRONMENT}. */
    public static String processEnvironment() {
        return PROCESS_ENVIRONMENT.stream().map(k -> k + "=" + (System.getenv(k) == null ? "unset" : System.getenv(k)))
                .collect(Collectors.joining(" "));
    }
}
