package org.deqnc.config;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSchemaTest {

    enum Mode { ABS, REL }

    static final ConfigKey<Integer> MAX_ITER = ConfigKey.ofInt("max_iter", 30, 1, 1000, "iteration cap");
    static final ConfigKey<Double> TOL = ConfigKey.ofDouble("tol", 1e-4, ConfigKey.Range.positive(), "tolerance");
    static final ConfigKey<Mode> MODE = ConfigKey.ofEnum("stop_mode", Mode.REL, Mode.class, "residual kind");
    static final ConfigKey<Boolean> FINAL = ConfigKey.ofBoolean("return_final", false, "last iterate");
    static final ConfigKey<String> SOLVER = ConfigKey.ofChoice("solver", "anderson",
            () -> List.of("picard", "anderson", "broyden"), "solver name");
    static final ConfigKey<List<String>> FALLBACK = ConfigKey.ofList("fallback", List.of(),
            () -> List.of("picard", "anderson", "broyden"), "chain");
    static final ConfigKey<String> NAME = ConfigKey.ofString("name", "run", "a label");

    static final ConfigSchema SCHEMA = ConfigSchema.builder("test")
            .add(MAX_ITER).add(TOL).add(MODE).add(FINAL).add(SOLVER).add(FALLBACK).add(NAME).build();

    @Test
    void parsesArgsBodyAndMapToTheSameConfig() {
        Config a = SCHEMA.parseArgs("max_iter=50 tol=1e-6 stop_mode=abs fallback=broyden,picard name='a b'");
        Config b = SCHEMA.parseBody("""
                # solver settings
                max_iter = 50
                tol = 1e-6   # tighter than the default
                stop_mode = abs

                fallback = broyden, picard
                name = a b
                """);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_iter", 50);
        m.put("tol", 1e-6);
        m.put("stop_mode", Mode.ABS);
        m.put("fallback", List.of("broyden", "picard"));
        m.put("name", "a b");
        Config c = SCHEMA.parse(m);
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(50, a.get(MAX_ITER));
        assertEquals(1e-6, a.get(TOL));
        assertEquals(Mode.ABS, a.get(MODE));
        assertEquals(List.of("broyden", "picard"), a.get(FALLBACK));
        assertEquals("a b", a.get(NAME));
        assertEquals("anderson", a.get(SOLVER));
        assertTrue(a.isDefault("solver"));
        assertFalse(a.isDefault("tol"));
    }

    @Test
    void spacesAroundEqualsAreAcceptedOnOneLine() {
        assertEquals(7, SCHEMA.parseArgs("max_iter = 7").get(MAX_ITER));
        assertEquals(7, SCHEMA.parseArgs("max_iter =7").get(MAX_ITER));
    }

    @Test
    void toStringEchoesEffectiveConfigAndParsesBack() {
        Config a = SCHEMA.parseArgs("tol=1e-6 solver=broyden");
        assertEquals("max_iter=30 tol=1e-6 stop_mode=rel return_final=false solver=broyden fallback=none name=run",
                a.toString());
        assertEquals(a, SCHEMA.parseArgs(a.toString()));
        String table = a.table();
        assertTrue(table.contains("\ntol           1e-6     set\n"), table);
        assertTrue(table.contains("\nmax_iter      30       default\n"), table);
    }

    @Test
    void unknownKeySuggestsNearestAndListsAccepted() {
        ConfigException e = assertThrows(ConfigException.class, () -> SCHEMA.parseArgs("maxiter=5"));
        assertEquals("test: unknown key 'maxiter' (did you mean 'max_iter'?); accepted keys: max_iter, tol, "
                + "stop_mode, return_final, solver, fallback, name", e.getMessage());
        ConfigException far = assertThrows(ConfigException.class, () -> SCHEMA.parseArgs("zzzzzzzz=1"));
        assertEquals("test: unknown key 'zzzzzzzz'; accepted keys: max_iter, tol, stop_mode, return_final, solver, "
                + "fallback, name", far.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndWhatItAccepts() {
        assertMessage("test: max_iter must be an integer in [1, 1000], got '0'", "max_iter=0");
        assertMessage("test: max_iter must be an integer in [1, 1000], got 'ten'", "max_iter=ten");
        assertMessage("test: tol must be a number in (0, inf), got '-1'", "tol=-1");
        assertMessage("test: tol must be a number in (0, inf), got 'NaN'", "tol=NaN");
        assertMessage("test: stop_mode must be one of abs, rel, got 'rell' (did you mean 'rel'?)", "stop_mode=rell");
        assertMessage("test: return_final must be true or false, got 'yes'", "return_final=yes");
        assertMessage("test: solver must be one of picard, anderson, broyden, got 'andersen' (did you mean "
                + "'anderson'?)", "solver=andersen");
        assertMessage("test: fallback must be a comma-separated list of picard, anderson, broyden (or none), got "
                + "'anderson,brodyen' ('brodyen' is not one of them; did you mean 'broyden'?)",
                "fallback=anderson,brodyen");
        assertMessage("test: expected key=value, got 'tol'", "tol");
        assertMessage("test: key 'tol' given twice", "tol=1 tol=2");
        assertMessage("test: unbalanced quote in 'name='abc'", "name='abc");
    }

    @Test
    void withOverridesValidates() {
        Config a = SCHEMA.defaults().with("max_iter", 9);
        assertEquals(9, a.get(MAX_ITER));
        assertThrows(ConfigException.class, () -> a.with("max_iter", 0));
        assertThrows(ConfigException.class, () -> a.with("mx_iter", 3));
    }

    @Test
    void keysFromAnotherSchemaAreRejected() {
        ConfigKey<Integer> other = ConfigKey.ofInt("max_iter", 30, 1, 1000, "iteration cap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SCHEMA.defaults().get(other));
        assertEquals("test: key 'max_iter' is from another schema", e.getMessage());
    }

    @Test
    void helpListsEveryKey() {
        String help = SCHEMA.help();
        assertTrue(help.startsWith("key"), help);
        assertTrue(help.contains("\nstop_mode     rel       one of abs, rel "), help);
    }

    @Test
    void levenshteinDistanceByHand() {
        assertEquals(3, DidYouMean.distance("kitten", "sitting"));
        assertEquals(1, DidYouMean.distance("maxiter", "max_iter"));
        assertEquals(0, DidYouMean.distance("TOL", "tol"));
    }

    private static void assertMessage(String expected, String args) {
        ConfigException e = assertThrows(ConfigException.class, () -> SCHEMA.parseArgs(args));
        assertEquals(expected, e.getMessage());
    }
}
