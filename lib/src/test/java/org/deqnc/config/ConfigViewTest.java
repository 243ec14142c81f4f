package org.deqnc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deqnc.deq.Backward;
import org.deqnc.deq.DeqConfig;
import org.deqnc.train.Experiment;
import org.junit.jupiter.api.Test;

/** The typed base of every configuration ({@link ConfigView}), exercised through DeqConfig and Experiment. */
class ConfigViewTest {

    @Test
    void typedSetAndWithReachTheValue() {
        DeqConfig c = DeqConfig.builder().set(DeqConfig.HIDDEN, 128)
                .set(DeqConfig.FALLBACK, List.of("broyden", "picard")).build();
        assertEquals(128, c.hidden());
        assertEquals(List.of("broyden", "picard"), c.get(DeqConfig.FALLBACK));
        DeqConfig d = c.with(DeqConfig.BACKWARD, Backward.JFB);
        assertEquals(Backward.JFB, d.backward());
        assertEquals(128, d.hidden());
        assertEquals(Backward.IMPLICIT, c.backward(), "with() copies, the original is unchanged");
    }

    @Test
    void typedSetChecksTheValueAtOnce() {
        DeqConfig.Builder b = DeqConfig.builder();
        ConfigException e = assertThrows(ConfigException.class, () -> b.set(DeqConfig.HIDDEN, 0));
        assertEquals("deq: hidden must be an integer in [1, 65536], got '0'", e.getMessage());
        ConfigException w = assertThrows(ConfigException.class, () -> DeqConfig.defaults().with(DeqConfig.TOL, -1.0));
        assertTrue(w.getMessage().startsWith("deq: tol must be"), w.getMessage());
    }

    @Test
    void aKeyOfAnotherSchemaIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> DeqConfig.builder().set(Experiment.LR, 0.1));
        assertTrue(e.getMessage().startsWith("deq: key 'lr' is not a key of this schema"), e.getMessage());
        // same name, other schema: Experiment's seed is not DeqConfig's
        assertThrows(ConfigException.class, () -> DeqConfig.builder().set(Experiment.SEED, 3L));
        assertThrows(IllegalArgumentException.class, () -> DeqConfig.defaults().with(Experiment.SEED, 3L));
    }

    @Test
    void withRechecksCrossKeyRules() {
        Experiment e = Experiment.defaults();
        ConfigException x = assertThrows(ConfigException.class, () -> e.with(Experiment.K_A, 10));
        assertTrue(x.getMessage().contains("K_A must satisfy 1 <= K_A < K = 10"), x.getMessage());
    }

    @Test
    void embeddedDeqKeysAreReachedThroughExperimentDeq() {
        Experiment e = Experiment.builder().set(Experiment.deq(DeqConfig.HIDDEN), 8).build();
        assertEquals(8, e.deqConfig().hidden());
        assertEquals("8", e.asConfig().asText().get("deq.hidden"));
        assertThrows(ConfigException.class, () -> Experiment.deq(DeqConfig.SEED));
        assertThrows(ConfigException.class, () -> Experiment.deq(Experiment.LR));
    }

    @Test
    void equalityIsByTypeAndValues() {
        DeqConfig a = DeqConfig.builder().hidden(32).build();
        assertEquals(a, DeqConfig.parse("hidden=32"));
        assertEquals(a.hashCode(), DeqConfig.parse("hidden=32").hashCode());
        assertNotEquals(a, DeqConfig.parse("hidden=33"));
        assertEquals(a, a.toBuilder().build());
        assertEquals(DeqConfig.parse(a.toString()), a, "toString reads back");
    }
}
