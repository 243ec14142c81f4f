package org.deqnc.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CifarTest {

    @TempDir
    Path root;

    /**
     * Records in the official layout: label byte(s), then 1024 red, 1024 green, 1024 blue bytes, each plane
     * row-major. Pixel (channel ch, row r, col c) of record i holds (i * 7 + ch * 50 + r + c) mod 256.
     */
    static byte[] records(int[][] labels) {
        int labelBytes = labels[0].length;
        int record = labelBytes + 3072;
        byte[] out = new byte[labels.length * record];
        for (int i = 0; i < labels.length; i++) {
            for (int b = 0; b < labelBytes; b++) {
                out[i * record + b] = (byte) labels[i][b];
            }
            for (int ch = 0; ch < 3; ch++) {
                for (int r = 0; r < 32; r++) {
                    for (int c = 0; c < 32; c++) {
                        out[i * record + labelBytes + ch * 1024 + r * 32 + c] = (byte) ((i * 7 + ch * 50 + r + c) % 256);
                    }
                }
            }
        }
        return out;
    }

    private static float expectedPixel(int i, int ch, int r, int c) {
        return ((i * 7 + ch * 50 + r + c) % 256) / 255f;
    }

    private Path writeCifar10(int perBatch) throws IOException {
        Path folder = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        for (int b = 1; b <= 5; b++) {
            int[][] labels = new int[perBatch][];
            for (int i = 0; i < perBatch; i++) {
                labels[i] = new int[] {(b + i) % 10};
            }
            Files.write(folder.resolve("data_batch_" + b + ".bin"), records(labels));
        }
        Files.write(folder.resolve("test_batch.bin"), records(new int[][] {{9}, {0}, {4}}));
        return folder;
    }

    @Test
    void cifar10ConcatenatesTheFiveBatchesInOrderWithChannelsFirst() throws IOException {
        writeCifar10(4);
        LabeledData train = Cifar.load(Cifar.Variant.CIFAR10, root, Split.TRAIN);
        assertEquals(20, train.size());
        assertArrayEquals(new int[] {3, 32, 32}, train.sampleShape());
        // sample 9 = record 1 of data_batch_3: label (3 + 1) % 10
        assertEquals(4, train.label(9));
        float[] s = train.sample(9);
        assertEquals(expectedPixel(1, 0, 0, 0), s[0], 0f);
        assertEquals(expectedPixel(1, 1, 2, 3), s[1024 + 2 * 32 + 3], 0f);
        assertEquals(expectedPixel(1, 2, 31, 31), s[3071], 0f);
        assertEquals(Cifar.CIFAR10_CLASS_NAMES, train.classNames());

        LabeledData test = Cifar.load(Cifar.Variant.CIFAR10, root, Split.TEST);
        assertArrayEquals(new int[] {9, 0, 4}, test.labels());
    }

    @Test
    void cifar10FolderCanBeGivenDirectlyAndMetaNamesAreRead() throws IOException {
        Path folder = writeCifar10(1);
        List<String> names = List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9");
        Files.write(folder.resolve("batches.meta.txt"), (String.join("\n", names) + "\n\n").getBytes());
        LabeledData test = Cifar.load(Cifar.Variant.CIFAR10, folder, Split.TEST);
        assertEquals(names, test.classNames());
    }

    @Test
    void cifar100ChoosesFineOrCoarseLabel() throws IOException {
        Path folder = Files.createDirectories(root.resolve("cifar-100-binary"));
        // coarse label first, fine second, as in the official format
        Files.write(folder.resolve("train.bin"), records(new int[][] {{19, 99}, {0, 42}, {7, 3}}));
        Files.write(folder.resolve("test.bin"), records(new int[][] {{5, 55}}));
        LabeledData fine = Cifar.load(Cifar.Variant.CIFAR100_FINE, root, Split.TRAIN);
        LabeledData coarse = Cifar.load(Cifar.Variant.CIFAR100_COARSE, root, Split.TRAIN);
        assertArrayEquals(new int[] {99, 42, 3}, fine.labels());
        assertArrayEquals(new int[] {19, 0, 7}, coarse.labels());
        assertEquals(100, fine.numClasses());
        assertEquals(20, coarse.numClasses());
        // pixels start after two label bytes
        assertEquals(expectedPixel(2, 0, 0, 1), fine.sample(2)[1], 0f);
        assertEquals(expectedPixel(2, 2, 10, 20), coarse.sample(2)[2048 + 10 * 32 + 20], 0f);
        assertArrayEquals(new int[] {55}, Cifar.load(Cifar.Variant.CIFAR100_FINE, root, Split.TEST).labels());
    }

    @Test
    void missingDataPointsToTheFetchScriptAndTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cifar.load(Cifar.Variant.CIFAR100_FINE, root, Split.TRAIN));
        assertTrue(e.getMessage().contains("data-scripts/fetch-cifar.sh"), e.getMessage());
        assertTrue(e.getMessage().contains(Cifar.DIR_PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-100-binary"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void missingLaterBatchIsReported() throws IOException {
        Path folder = writeCifar10(1);
        Files.delete(folder.resolve("data_batch_4.bin"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cifar.load(Cifar.Variant.CIFAR10, root, Split.TRAIN));
        assertTrue(e.getMessage().contains("data_batch_4.bin not found"), e.getMessage());
    }

    @Test
    void rejectsPartialRecordsAndLabelsOutOfRange() throws IOException {
        Path folder = writeCifar10(1);
        Files.write(folder.resolve("test_batch.bin"), new byte[3073 + 100]);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Cifar.load(Cifar.Variant.CIFAR10, root, Split.TEST));
        assertTrue(size.getMessage().contains("size 3173 is not a positive multiple of the CIFAR-10 record size 3073"), size.getMessage());

        Files.write(folder.resolve("test_batch.bin"), records(new int[][] {{1}, {10}}));
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> Cifar.load(Cifar.Variant.CIFAR10, root, Split.TEST));
        assertTrue(label.getMessage().contains("label of record 1 must be in 0..9, got 10"), label.getMessage());

        Files.write(folder.resolve("batches.meta.txt"), "only\nthree\nnames\n".getBytes());
        Files.write(folder.resolve("test_batch.bin"), records(new int[][] {{1}}));
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> Cifar.load(Cifar.Variant.CIFAR10, root, Split.TEST));
        assertTrue(names.getMessage().contains("expected 10 class names, got 3"), names.getMessage());
    }
}
