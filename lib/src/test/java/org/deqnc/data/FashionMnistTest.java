package org.deqnc.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FashionMnistTest {

    @TempDir
    Path dir;

    /** An IDX file as the format describes it: 0, 0, type, rank, big-endian sizes, then the bytes. */
    static byte[] idx(int type, int[] dims, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(values);
        return b.array();
    }

    static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        if (!gzip) {
            Files.write(file, bytes);
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        Files.write(file, out.toByteArray());
    }

    /** n images where pixel (r, c) of image i is (i + r + c) mod 256, and labels i mod 10. */
    private void writeSplit(String prefix, int n, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    pixels[i * 784 + r * 28 + c] = (byte) ((i + r + c) % 256);
                }
            }
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        String ext = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), idx(0x08, new int[] {n, 28, 28}, pixels), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), idx(0x08, new int[] {n}, labels), gzip);
    }

    @Test
    void readsGzippedAndPlainFilesWithPixelsScaledToUnitInterval() throws IOException {
        writeSplit("train", 25, true);
        writeSplit("t10k", 12, false);
        LabeledData train = FashionMnist.load(dir, Split.TRAIN);
        LabeledData test = FashionMnist.load(dir, Split.TEST);
        assertEquals(25, train.size());
        assertEquals(12, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.sampleShape());
        // image 7, pixel (3, 5): (7 + 3 + 5) / 255, row-major
        assertEquals(15 / 255f, train.sample(7)[3 * 28 + 5], 0f);
        // image 20, pixel (27, 27): (20 + 54) mod 256 = 74
        assertEquals(74 / 255f, train.sample(20)[783], 0f);
        assertEquals(3, train.label(13));
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 2, 2, 2, 2, 2}, train.classCounts());
        assertEquals("Ankle boot", train.classNames().get(9));
        assertTrue(train.source().contains("train-images-idx3-ubyte.gz"), train.source());
    }

    @Test
    void systemPropertyChoosesTheDirectory() throws IOException {
        writeSplit("t10k", 4, true);
        String previous = System.getProperty(FashionMnist.DIR_PROPERTY);
        System.setProperty(FashionMnist.DIR_PROPERTY, dir.toString());
        try {
            assertEquals(dir, FashionMnist.directory());
            assertEquals(4, DataSources.get("fashion-mnist").load(DataOptions.defaults(), Split.TEST).size());
        } finally {
            if (previous == null) {
                System.clearProperty(FashionMnist.DIR_PROPERTY);
            } else {
                System.setProperty(FashionMnist.DIR_PROPERTY, previous);
            }
        }
    }

    @Test
    void missingDirectoryNamesTheDebianPackageAndTheSetting() {
        Path absent = dir.resolve("nowhere");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(absent, Split.TRAIN));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains(FashionMnist.DIR_PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void missingFileNamesBothAcceptedNames() throws IOException {
        writeSplit("train", 3, true);
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains("neither train-labels-idx1-ubyte.gz nor train-labels-idx1-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void rejectsWrongMagicTypeRankTruncationAndTrailingBytes() throws IOException {
        Path f = dir.resolve("x.idx");
        Files.write(f, new byte[] {1, 0, 8, 1, 0, 0, 0, 1, 5});
        assertMessage(f, 1, "not an IDX file");
        Files.write(f, idx(0x0D, new int[] {1}, new byte[4]));   // 0x0D = float in the IDX spec
        assertMessage(f, 1, "type code must be 0x08");
        Files.write(f, idx(0x08, new int[] {2, 2}, new byte[4]));
        assertMessage(f, 1, "expected an IDX tensor of rank 1");
        Files.write(f, idx(0x08, new int[] {5}, new byte[3]));
        assertMessage(f, 1, "truncated");
        Files.write(f, idx(0x08, new int[] {2}, new byte[3]));
        assertMessage(f, 1, "trailing bytes");
        write(f, idx(0x08, new int[] {5}, new byte[3]), true);
        assertMessage(f, 1, "truncated");
    }

    private static void assertMessage(Path f, int rank, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxFile.read(f, rank));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void rejectsWrongImageSizeCountMismatchAndLabelOutOfRange() throws IOException {
        write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new int[] {2, 27, 28}, new byte[2 * 27 * 28]), false);
        write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new int[] {2}, new byte[2]), false);
        assertLoadFails("images must be 28x28, got 27x28");

        write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new int[] {2, 28, 28}, new byte[2 * 784]), false);
        write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new int[] {3}, new byte[3]), false);
        assertLoadFails("has 3 labels but train-images-idx3-ubyte has 2 images");

        write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new int[] {2}, new byte[] {4, 10}), false);
        assertLoadFails("label of sample 1 must be in 0..9, got 10");
    }

    private void assertLoadFails(String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void realDebianFilesHaveTheDocumentedShapeAndBalancedClasses() {
        Path real = Path.of(FashionMnist.DEFAULT_DIR);
        assumeTrue(Files.isDirectory(real), "skipped: " + real + " absent (Debian package dataset-fashion-mnist not installed)");
        LabeledData train = FashionMnist.load(real, Split.TRAIN);
        // published facts of Fashion-MNIST: 60000 train / 10000 test images of 28x28, 6000 / 1000 per class
        assertEquals(60000, train.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.sampleShape());
        int[] sixThousand = new int[10];
        java.util.Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, train.classCounts());
        // Fang et al.'s Fashion-MNIST recipe: 6000 per majority class, 6000 // 10 = 600 per minority class
        LabeledData imbalanced = StepImbalance.of(3, 10).apply(train, 6000, 666L);
        assertArrayEquals(new int[] {6000, 6000, 6000, 600, 600, 600, 600, 600, 600, 600}, imbalanced.classCounts());
        LabeledData test = FashionMnist.load(real, Split.TEST);
        assertEquals(10000, test.size());
        int[] thousand = new int[10];
        java.util.Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, test.classCounts());
    }
}
