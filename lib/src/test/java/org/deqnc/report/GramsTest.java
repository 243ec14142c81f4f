package org.deqnc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.Table;

class GramsTest {

    @Test
    void cosineGramWorkedByHand() {
        Table t = Grams.cosine("g", new double[][] {{1, 0}, {0, 2}, {3, 3}, {0, 0}}, List.of("a", "b", "c", "z"));
        assertEquals(List.of("row", "a", "b", "c", "z"), t.columnNames());
        assertEquals(List.of("a", "b", "c", "z"), t.stringColumn("row").asList());
        assertEquals(1, t.doubleColumn("a").getDouble(0), 1e-15);
        assertEquals(0, t.doubleColumn("a").getDouble(1), 1e-15);
        assertEquals(Math.sqrt(0.5), t.doubleColumn("c").getDouble(0), 1e-15);
        assertEquals(Math.sqrt(0.5), t.doubleColumn("b").getDouble(2), 1e-15);
        assertTrue(Double.isNaN(t.doubleColumn("z").getDouble(0)), "a zero vector has no cosine");
    }

    @Test
    void normalisedGramDividesByTheDiagonal() {
        Table t = Grams.normalised("g", new double[][] {{4, -2}, {-2, 9}}, List.of("0", "1"));
        assertEquals(-2 / 6.0, t.doubleColumn("1").getDouble(0), 1e-15);
        assertEquals(1, t.doubleColumn("1").getDouble(1), 1e-15);
    }

    @Test
    void badShapesAndNamesAreOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Grams.normalised("g", new double[][] {{1, 2}, {3}}, List.of("a", "b")));
        assertTrue(e.getMessage().startsWith("gram:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grams.cosine("g", new double[][] {{1}, {2}}, List.of("a", "a")));
        assertTrue(e.getMessage().startsWith("names:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grams.cosine("g", new double[][] {{1}, {2}}, List.of("a")));
        assertTrue(e.getMessage().startsWith("names:"), e.getMessage());
    }
}
