package org.deqnc.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                + " MALLOC_ARENA_MAX=1",
                Engines.processEnvironment());
    }
}
