package org.deqnc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/**
 * Changing the memory order of feature maps keeps every value at its (n, c, h, w) index, with one channel (where it
 * is a view) and with several (where it copies), and back again.
 */
class MemoryFormatTest {

    @Test
    void channelsLastAndBackKeepEveryValueAtItsIndex() {
        try (NDManager m = Engines.newManager()) {
            for (long channels : new long[] {1, 3}) {
                // value = 1000 n + 100 c + 10 h + w: a value out of place shows which index moved
                Shape shape = new Shape(2, channels, 3, 4);
                float[] expected = new float[Math.toIntExact(shape.size())];
                int i = 0;
                for (int n = 0; n < 2; n++) {
                    for (int c = 0; c < channels; c++) {
                        for (int h = 0; h < 3; h++) {
                            for (int w = 0; w < 4; w++) {
                                expected[i++] = 1000 * n + 100 * c + 10 * h + w;
                            }
                        }
                    }
                }
                NDArray maps = m.create(expected, shape);
                NDArray last = MemoryFormat.channelsLast(maps);
                assertEquals(shape, last.getShape());
                assertArrayEquals(expected, last.toFloatArray(), channels + " channels");
                NDArray back = MemoryFormat.rowMajor(last);
                assertEquals(shape, back.getShape());
                assertArrayEquals(expected, back.toFloatArray(), channels + " channels, back");
                // an elementwise op on the channels-last maps keeps the indices too
                assertArrayEquals(maps.mul(2).toFloatArray(), MemoryFormat.rowMajor(last.mul(2)).toFloatArray());
            }
        }
    }

    @Test
    void onlyFeatureMapsAreAccepted() {
        try (NDManager m = Engines.newManager()) {
            NDArray flat = m.zeros(new Shape(2, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryFormat.channelsLast(flat));
            assertEquals("feature maps: expected shape (N, C, H, W), got (2, 3)", e.getMessage());
        }
    }
}
