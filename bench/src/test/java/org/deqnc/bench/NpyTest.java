package org.deqnc.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsShapeAndValues() {
        float[] data = {1.5f, -2f, 0f, Float.MIN_VALUE, 3e38f, -0.25f};
        Path f = dir.resolve("a.npy");
        Npy.write(f, data, new long[] {2, 3});
        Npy.Array back = Npy.read(f);
        assertArrayEquals(new long[] {2, 3}, back.shape());
        assertArrayEquals(data, back.data());
    }

    /** The layout NumPy documents for format 1.0: magic, version, header length, header padded to 64 bytes. */
    @Test
    void headerFollowsTheNpyFormat() throws Exception {
        Path f = dir.resolve("v.npy");
        Npy.write(f, new float[] {7f}, new long[] {1});
        byte[] bytes = Files.readAllBytes(f);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }"), header);
        assertEquals(10 + headerLength + 4, bytes.length);
    }

    @Test
    void rejectsOtherDtypes() throws Exception {
        Path f = dir.resolve("d.npy");
        Npy.write(f, new float[] {1f, 2f}, new long[] {2});
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<f8'");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(f));
        assertEquals("npy: " + f + " must hold little-endian float32 ('<f4') in C order, got descr <f8", e.getMessage());
    }

    @Test
    void rejectsTruncatedData() throws Exception {
        Path f = dir.resolve("t.npy");
        Npy.write(f, new float[] {1f, 2f, 3f}, new long[] {3});
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(f));
        assertEquals("npy: " + f + " has shape [3] (3 floats) but 8 data bytes", e.getMessage());
    }

    @Test
    void missingFileNamesThePath() {
        Path f = dir.resolve("missing.npy");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith("npy: cannot read " + f + ": "), e.getMessage());
    }

    @Test
    void benchLineFollowsTheOutputContract() {
        BenchLine line = new BenchLine("deq_step_jfb_ours", new double[] {3, 1, 2, 10}).with("iters", 9.25)
                .with("impl", "ours");
        // median of {1, 2, 3, 10} is (2 + 3) / 2; spread is 10 - 1
        assertEquals("BENCH name=deq_step_jfb_ours median_ms=2.5000 spread_ms=9.0000 repeats=4 iters=9.250 impl=ours",
                line.toString());
    }
}
