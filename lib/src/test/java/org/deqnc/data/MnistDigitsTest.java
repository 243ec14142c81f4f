package org.deqnc.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDigitsTest {

    /** Digit d gets d + 1 images; image k of digit d has every pixel 0 but pixel k = 0.5 and pixel 783 = d/10. */
    private static void writeDigits(Path dir) throws Exception {
        for (int d = 0; d < 10; d++) {
            StringBuilder s = new StringBuilder("{ \"data\": [");
            for (int k = 0; k <= d; k++) {
                for (int i = 0; i < 784; i++) {
                    double v = i == k ? 0.5 : i == 783 ? d / 10.0 : 0;
                    s.append(k == 0 && i == 0 ? "" : ",").append(v == 0 ? "0" : String.valueOf(v));
                }
            }
            Files.writeString(dir.resolve(d + ".json"), s.append("]}\n").toString());
        }
    }

    @Test
    void readsTheNpmPackagesFormat(@TempDir Path dir) throws Exception {
        writeDigits(dir);
        LabeledData data = MnistDigits.load(dir);
        assertEquals(55, data.size());
        assertArrayEquals(new int[]{1, 28, 28}, data.sampleShape());
        assertArrayEquals(new int[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, data.classCounts());
        // the third image of digit 4: labels 0 (1), 1 (2), 2 (3), 3 (4) come first, so index 10 + 2
        float[] x = data.sample(12);
        assertEquals(4, data.label(12));
        assertEquals(0.5f, x[2]);
        assertEquals(0.4f, x[783]);
        assertEquals(0f, x[0]);
    }

    @Test
    void missingFilesNameTheInstallCommand(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistDigits.load(dir));
        assertTrue(e.getMessage().contains("data-scripts/fetch-mnist.sh") && e.getMessage().contains("0.json"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void badContentIsRejected(@TempDir Path dir) throws Exception {
        writeDigits(dir);
        Files.writeString(dir.resolve("3.json"), "{ \"data\": [" + String.join(",", Collections.nCopies(784, "2")) + "]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MnistDigits.load(dir)).getMessage().contains("outside [0, 1]"));
        Files.writeString(dir.resolve("3.json"), "{ \"data\": [0,0,0]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MnistDigits.load(dir)).getMessage().contains("multiple of 784"));
        Files.writeString(dir.resolve("3.json"), "[1, 2]");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MnistDigits.load(dir)).getMessage().contains("not an mnist"));
    }
}
