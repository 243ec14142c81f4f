package org.deqnc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.deqnc.solver.StopMode;
import org.junit.jupiter.api.Test;

/** {@link ConfigKey#choices()}: the values a key lists, which completion offers. */
class ConfigKeyChoicesTest {

    @Test
    void enumerableKeysListTheirValuesOthersNone() {
        assertEquals(List.of("abs", "rel"), ConfigKey.ofEnum("mode", StopMode.REL, StopMode.class, "d").choices());
        assertEquals(List.of("true", "false"), ConfigKey.ofBoolean("flag", true, "d").choices());
        assertEquals(List.of("x", "y"), ConfigKey.ofChoice("c", "x", () -> List.of("x", "y"), "d").choices());
        assertEquals(List.of("a", "b"), ConfigKey.ofList("l", List.of(), () -> List.of("a", "b"), "d").choices());
        assertEquals(List.of(), ConfigKey.ofList("free", List.of(), null, "d").choices());
        assertEquals(List.of(), ConfigKey.ofInt("n", 1, 0, 9, "d").choices());
        assertEquals(List.of(), ConfigKey.ofString("s", "v", "d").choices());
    }

    @Test
    void choicesFollowAGrowingRegistryAndSurviveRenaming() {
        List<String> registry = new ArrayList<>(List.of("p"));
        ConfigKey<String> key = ConfigKey.ofChoice("solver", "p", () -> registry, "d");
        registry.add("q, with comma");
        assertEquals(List.of("p", "q, with comma"), key.choices(), "read at call time, not parsed from text");
        assertEquals(List.of("p", "q, with comma"), key.renamed("b_solver", "other").choices());
    }
}
