package org.deqnc.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deqnc.config.ConfigException;
import org.deqnc.train.ModelKind;
import org.junit.jupiter.api.Test;

/** Declaring and expanding grids: order, validation, the canonical text, cell ids. No training. */
class GridTest {

    private static final String BODY = """
            name = imb
            dataset = gmm   # vectors
            epochs = 2
            model = explicit, deq
            K_A = 1, 2
            seed = 1, 2, 3
            """;

    @Test
    void axesExpandFirstSlowestInDeclarationOrder() {
        List<Cell> cells = Grid.parse(BODY).cells();
        assertEquals(12, cells.size());
        assertEquals(Map.of("model", "explicit", "K_A", "1", "seed", "1"), cells.get(0).axisValues());
        assertEquals(Map.of("model", "explicit", "K_A", "1", "seed", "2"), cells.get(1).axisValues());
        assertEquals(Map.of("model", "explicit", "K_A", "2", "seed", "1"), cells.get(3).axisValues());
        assertEquals(Map.of("model", "deq", "K_A", "1", "seed", "1"), cells.get(6).axisValues());
        assertEquals(List.of("model", "K_A", "seed"), List.copyOf(cells.get(11).axisValues().keySet()));
        for (int i = 0; i < cells.size(); i++) {
            assertEquals(i, cells.get(i).index());
            assertTrue(cells.get(i).valid(), cells.get(i).toString());
        }
        Cell last = cells.get(11);
        assertEquals(ModelKind.DEQ, last.experiment().model());
        assertEquals(2, last.experiment().kA());
        assertEquals(3, last.experiment().seed());
        assertEquals(2, last.experiment().epochs());
        assertEquals("imb-" + last.id(), last.experiment().name());
        assertEquals(Path.of("out", "sweeps", "imb", "cells", last.id()), last.directory(Grid.parse(BODY).directory()));
    }

    @Test
    void builderDeclaresTheSameGridAsTheBody() {
        Grid built = Grid.builder().name("imb").set("dataset", "gmm").set("epochs", 2)
                .axis("model", ModelKind.EXPLICIT, ModelKind.DEQ).axis("K_A", 1, 2).axis("seed", 1, 2, 3).build();
        assertEquals(Grid.parse(BODY), built);
        assertEquals(Grid.parse(BODY).cells(), built.cells());
    }

    @Test
    void canonicalTextParsesBackToAnEqualGrid() {
        Grid g = Grid.parse(BODY + "workers = 3\ndeq.fallback = none | broyden,picard\n");
        Grid again = Grid.parse(g.format());
        assertEquals(g, again);
        assertEquals(3, again.workers());
        assertEquals(List.of("none", "broyden,picard"), again.axes().get("deq.fallback"));
        assertEquals(24, again.cells().size());
    }

    @Test
    void cellIdsDependOnTheConfigurationOnlySoAGrownGridKeepsItsCells() {
        Grid small = Grid.parse(BODY);
        Grid grown = Grid.parse(BODY.replace("seed = 1, 2, 3", "seed = 1, 2, 3, 4").replace("imb", "other"));
        Cell a = small.cells().get(1); // explicit, K_A 1, seed 2
        Cell b = grown.cells().get(1);
        assertEquals(a.axisValues(), b.axisValues());
        assertEquals(a.id(), b.id());
        assertNotEquals(small.cells().get(0).id(), small.cells().get(1).id());
        assertEquals(12, small.cells().stream().map(Cell::id).distinct().count());
    }

    @Test
    void aBadAxisValueInvalidatesOnlyItsCellsWithOneLine() {
        List<Cell> cells = Grid.parse("dataset = gmm\nK_A = 2, 4\ndeq.solver = anderson, andersen\n").cells();
        assertEquals(4, cells.size());
        assertTrue(cells.get(0).valid());
        Cell badSolver = cells.get(1);
        assertFalse(badSolver.valid());
        assertNull(badSolver.id());
        assertTrue(badSolver.error().contains("deq.solver") && badSolver.error().contains("did you mean 'anderson'"),
                badSolver.error());
        Cell badKa = cells.get(2); // K_A = 4 with K = 4 classes
        assertTrue(badKa.error().startsWith("experiment: K_A must satisfy 1 <= K_A < K = 4"), badKa.error());
        cells.stream().filter(c -> !c.valid()).forEach(c -> assertFalse(c.error().contains("\n")));
    }

    @Test
    void gridWideMistakesFailTheDeclarationWithOneLine() {
        String unknown = assertThrows(ConfigException.class, () -> Grid.parse("dataset = gmm\nK_a = 1, 2\n")).getMessage();
        assertTrue(unknown.startsWith("sweep: unknown key 'K_a' (did you mean 'K_A'?); accepted keys: name, out,"), unknown);
        String fixed = assertThrows(ConfigException.class, () -> Grid.parse("epochs = many\nseed = 1, 2")).getMessage();
        assertTrue(fixed.contains("epochs") && fixed.contains("many"), fixed);
        assertTrue(assertThrows(ConfigException.class, () -> Grid.parse("workers = 1, 2")).getMessage()
                .contains("'workers' is a sweep setting and takes one value"));
        assertTrue(assertThrows(ConfigException.class, () -> Grid.parse("seed = 1,,2")).getMessage()
                .contains("empty value"));
        assertTrue(assertThrows(ConfigException.class, () -> Grid.parse("seed = 1\nseed = 2")).getMessage()
                .contains("given twice"));
        assertTrue(assertThrows(ConfigException.class, () -> Grid.parse("name = a b")).getMessage()
                .contains("name must be"));
        assertTrue(assertThrows(ConfigException.class, () -> Grid.parse("backend = slurmm")).getMessage()
                .contains("backend"));
        for (String m : List.of(unknown, fixed)) {
            assertFalse(m.contains("\n"), m);
        }
    }

    @Test
    void withoutAxesTheGridIsOneCell() {
        List<Cell> cells = Grid.parse("dataset = gmm\nepochs = 1").cells();
        assertEquals(1, cells.size());
        assertEquals("cell 0", cells.get(0).label());
    }
}
