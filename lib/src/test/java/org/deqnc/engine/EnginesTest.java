package org.deqnc.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EnginesTest {

    @Test
    void pytorchEngineLoadsOfflineAndComputes() {
        try (NDManager m = Engines.newManager()) {
            NDArray a = m.create(new double[] {1, 2, 3});
            assertEquals(14.0, a.mul(a).sum().getDouble(), 0.0);
        }
        assertEquals("true", System.getProperty(Engines.OFFLINE_KEY));
        assertTrue(Engines.describe().startsWith("PyTorch 2.7.1"), Engines.describe());
    }

    /** The values come from the parent pom's surefire environmentVariables: this fails if they stop reaching the JVM. */
    @Test
    void processEnvironmentReportsWhatTheTestJvmWasStartedWith() {
        assertEquals("ONEDNN_MAX_CPU_ISA=AVX2 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456"
                + " MALLOC_ARENA_MAX=2",
                Engines.processEnvironment());
    }

    @Test
    void defaultThreadsAreHalfTheCoresAndAtLeastOne() {
        assertEquals(1, Engines.defaultIntraOpThreads(1));
        assertEquals(1, Engines.defaultIntraOpThreads(2));
        assertEquals(1, Engines.defaultIntraOpThreads(3));
        assertEquals(2, Engines.defaultIntraOpThreads(4));
        assertEquals(8, Engines.defaultIntraOpThreads(16));
        assertEquals(32, Engines.defaultIntraOpThreads(64));
    }

    @Test
    void aThreadCountTheUserChoseIsKept() {
        assertEquals(OptionalInt.of(8), Engines.intraOpThreadsToSet(null, Map.of("PATH", "/usr/bin"), 16));
        assertEquals(OptionalInt.empty(), Engines.intraOpThreadsToSet("3", Map.of(), 16), "the JVM property");
        assertEquals(OptionalInt.empty(), Engines.intraOpThreadsToSet(null, Map.of("OMP_NUM_THREADS", "3"), 16));
        assertEquals(OptionalInt.empty(), Engines.intraOpThreadsToSet(null, Map.of("MKL_NUM_THREADS", "3"), 16));
    }

    /** The rule reaches libtorch: DJL reads the property when the engine loads (the test JVM sets no thread count). */
    @Test
    void theEngineRunsTheDefaultThreadCount() {
        assumeTrue(Engines.THREAD_ENVIRONMENT.stream().noneMatch(k -> System.getenv(k) != null),
                "the test JVM was started with a thread count in its environment");
        Engines.pytorch();
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(String.valueOf(Math.max(1, cores / 2)), System.getProperty(Engines.INTRA_OP_THREADS_KEY));
        assertEquals(Math.max(1, cores / 2), JniUtils.getNumThreads());
    }
}
