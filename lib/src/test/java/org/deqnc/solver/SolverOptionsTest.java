package org.deqnc.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deqnc.config.ConfigException;
import org.deqnc.config.ConfigKey;
import org.deqnc.deq.DeqConfig;
import org.junit.jupiter.api.Test;

/** The one schema of solver options: its defaults, its checks, and that DeqConfig embeds it. */
class SolverOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        SolverOptions d = SolverOptions.defaults();
        assertEquals(1e-4, d.tol());
        assertEquals(30, d.maxIter());
        assertEquals(StopMode.REL, d.stopMode());
        assertFalse(d.returnFinal());
        assertEquals(5, d.m());
        assertEquals(1.0, d.beta());
        assertEquals(1e-4, d.lam());
        assertEquals(1.0, d.tau());
        assertTrue(d.lineSearch());
        assertEquals(1000.0, d.blowupFactor());
        assertFalse(d.requireConverged());
        assertEquals(d, SolverOptions.builder().build());
    }

    @Test
    void setterChecksItsValueAtOnce() {
        SolverOptions.Builder b = SolverOptions.builder();
        assertEquals("solver: beta must be a number in (0, 1], got '0'",
                assertThrows(ConfigException.class, () -> b.beta(0)).getMessage());
        assertThrows(ConfigException.class, () -> b.blowupFactor(1));
        assertThrows(ConfigException.class, () -> b.maxIter(0));
        assertEquals(0.5, SolverOptions.parse("tau=0.5").tau());
        assertEquals(7, SolverOptions.defaults().toBuilder().m(7).build().m());
    }

    @Test
    void deqConfigEmbedsTheSameKeys() {
        for (ConfigKey<?> k : SolverOptions.SCHEMA.keys()) {
            if (k != SolverOptions.BLOWUP_FACTOR) {
                assertSame(k, DeqConfig.SCHEMA.key(k.name()).orElseThrow(), k.name());
            }
        }
    }

    @Test
    void forwardOptionsCarryEveryKeyAndBackwardOnlyTheKnobs() {
        DeqConfig c = DeqConfig.parse("m=7 beta=0.5 lam=0.01 tau=0.3 tol=1e-6 max_iter=99 stop_mode=abs return_final=true "
                + "line_search=false require_converged=true b_tol=1e-3 b_max_iter=12 b_stop_mode=rel");
        SolverOptions f = c.forwardOptions();
        assertEquals(SolverOptions.parse("m=7 beta=0.5 lam=0.01 tau=0.3 tol=1e-6 max_iter=99 stop_mode=abs "
                + "return_final=true line_search=false require_converged=true"), f);
        SolverOptions b = c.backwardOptions();
        assertEquals(SolverOptions.parse("m=7 beta=0.5 lam=0.01 tau=0.3 tol=1e-3 max_iter=12 stop_mode=rel "
                + "line_search=false"), b);
        assertFalse(b.returnFinal());
        assertFalse(b.requireConverged());
    }
}
