package org.deqnc.data;

import org.deqnc.engine.ComputationInterruptedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * CIFAR-10 and CIFAR-100 (Krizhevsky 2009) from the official binary archives, as unpacked by
 * {@code data-scripts/fetch-cifar.sh}. Each record is the label byte(s) followed by 3072 pixel bytes: the
 * 1024 red, then green, then blue values of a 32x32 image, row-major — so a sample is {@code [3, 32, 32]}
 * float32 in {@code [0, 1]} without reordering.
 *
 * <p>Root directory: system property {@value #DIR_PROPERTY}, else environment variable {@value #DIR_ENV},
 * else {@value #DEFAULT_DIR} (relative to the working directory). The root holds
 * {@code cifar-10-batches-bin/} and/or {@code cifar-100-binary/}; the sub-folder itself is accepted too.
 */
public final class Cifar {

    /** System property naming the root directory. */
    public static final String DIR_PROPERTY = "deqnc.cifar.dir";
    /** Environment variable naming the root directory (used when the property is unset). */
    public static final String DIR_ENV = "DEQNC_CIFAR_DIR";
    /** Default root, relative to the working directory; also the fetch script's default target. */
    public static final String DEFAULT_DIR = "data/cifar";
    /** The script that downloads, checks and unpacks the archives. */
    public static final String FETCH_SCRIPT = "data-scripts/fetch-cifar.sh";

    static final int SIDE = 32;
    static final int PIXELS = 3 * SIDE * SIDE;

    /** CIFAR-10 class names, label order of the official {@code batches.meta.txt}. */
    public static final List<String> CIFAR10_CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    /** Which archive and which label to read. */
    public enum Variant {
        /** CIFAR-10: one label byte per record. */
        CIFAR10("CIFAR-10", "cifar-10-batches-bin", 1, 0, 10, "batches.meta.txt",
                List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
                List.of("test_batch.bin")),
        /** CIFAR-100 with its 100 fine labels (second label byte). */
        CIFAR100_FINE("CIFAR-100", "cifar-100-binary", 2, 1, 100, "fine_label_names.txt",
                List.of("train.bin"), List.of("test.bin")),
        /** CIFAR-100 with its 20 coarse (superclass) labels (first label byte). */
        CIFAR100_COARSE("CIFAR-100", "cifar-100-binary", 2, 0, 20, "coarse_label_names.txt",
                List.of("train.bin"), List.of("test.bin"));

        private final String title;
        private final String folder;
        private final int labelBytes;
        private final int labelIndex;
        private final int numClasses;
        private final String namesFile;
        private final List<String> trainFiles;
        private final List<String> testFiles;

        Variant(String title, String folder, int labelBytes, int labelIndex, int numClasses, String namesFile,
                List<String> trainFiles, List<String> testFiles) {
            this.title = title;
            this.folder = folder;
            this.labelBytes = labelBytes;
            this.labelIndex = labelIndex;
            this.numClasses = numClasses;
            this.namesFile = namesFile;
            this.trainFiles = trainFiles;
            this.testFiles = testFiles;
        }

        /** Sub-folder of the root that the official archive unpacks into. */
        public String folder() {
            return folder;
        }

        /** The record files of {@code split}, in reading order. */
        public List<String> files(Split split) {
            return split == Split.TRAIN ? trainFiles : testFiles;
        }

        /** Bytes per record: label byte(s) plus 3072 pixels. */
        public int recordBytes() {
            return labelBytes + PIXELS;
        }

        /** Number of classes of the chosen label. */
        public int numClasses() {
            return numClasses;
        }
    }

    private Cifar() {
    }

    /** The configured root directory (see the class comment). */
    public static Path directory() {
        return DataFiles.resolveDir(DIR_PROPERTY, DIR_ENV, DEFAULT_DIR);
    }

    /** {@code split} of {@code variant} from the configured root. */
    public static LabeledData load(Variant variant, Split split) {
        return load(variant, directory(), split);
    }

    /** {@code split} of {@code variant} from {@code root} (or from the variant's sub-folder given directly). */
    public static LabeledData load(Variant variant, Path root, Split split) {
        Path dir = dataFolder(variant, root, split);
        List<Path> files = variant.files(split).stream().map(dir::resolve).toList();
        int n = 0;
        for (Path file : files) {
            n += recordCount(variant, file);
        }
        // one allocation for the whole split: CIFAR-10 train alone is 600 MB as float32
        float[] x = new float[Math.multiplyExact(n, PIXELS)];
        int[] y = new int[n];
        int offset = 0;
        for (Path file : files) {
            offset = readRecords(variant, file, x, y, offset);
        }
        String source = variant.name().toLowerCase() + " " + split.name().toLowerCase() + " from " + dir;
        return new LabeledData(x, new int[] {3, SIDE, SIDE}, y, classNames(variant, dir), source);
    }

    /**
     * Empty when {@code root} (or the variant's sub-folder given directly) holds every record file of both
     * splits with a plausible size; otherwise one line naming the first missing or broken file and the
     * command that fetches it. Does not read the records.
     */
    public static Optional<String> missingFiles(Variant variant, Path root) {
        try {
            for (Split split : Split.values()) {
                Path dir = dataFolder(variant, root, split);
                variant.files(split).forEach(f -> recordCount(variant, dir.resolve(f)));
            }
            return Optional.empty();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The command that downloads, checks and unpacks the archives into {@code root}. */
    public static String fetchCommand(Path root) {
        return FETCH_SCRIPT + " " + root;
    }

    private static Path dataFolder(Variant variant, Path root, Split split) {
        String first = variant.files(split).get(0);
        for (Path candidate : new Path[] {root.resolve(variant.folder), root}) {
            if (Files.isRegularFile(candidate.resolve(first))) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(variant.title + ": " + first + " not found in " + root.resolve(variant.folder)
                + "; run " + fetchCommand(root) + " on a machine with internet (it checks the MD5 sums and unpacks),"
                + " or set -D" + DIR_PROPERTY + "=DIR (environment " + DIR_ENV + ") to the folder holding " + variant.folder + "/");
    }

    private static int recordCount(Variant variant, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(variant.title + ": " + file + " not found; run " + FETCH_SCRIPT
                    + " again to restore the unpacked archive");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        int record = variant.recordBytes();
        if (size == 0 || size % record != 0) {
            throw new IllegalArgumentException(file + ": size " + size + " is not a positive multiple of the "
                    + variant.title + " record size " + record + " (" + variant.labelBytes + " label byte(s) + " + PIXELS + " pixels)");
        }
        return Math.toIntExact(size / record);
    }

    /** Decodes the records of {@code file} into {@code x, y} from sample {@code offset}; returns the next offset. */
    private static int readRecords(Variant variant, Path file, float[] x, int[] y, int offset) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        int record = variant.recordBytes();
        int n = bytes.length / record;
        for (int i = 0; i < n; i++) {
            ComputationInterruptedException.checkAt(i * (long) PIXELS, file.getFileName() + ": decoding records");
            int start = i * record;
            int label = bytes[start + variant.labelIndex] & 0xff;
            if (label >= variant.numClasses) {
                throw new IllegalArgumentException(file + ": label of record " + i + " must be in 0.."
                        + (variant.numClasses - 1) + ", got " + label);
            }
            y[offset + i] = label;
            int base = (offset + i) * PIXELS;
            for (int j = 0; j < PIXELS; j++) {
                x[base + j] = DataFiles.unitPixel(bytes[start + variant.labelBytes + j] & 0xff);
            }
        }
        return offset + n;
    }

    /** Names from the archive's meta file when present; otherwise the published CIFAR-10 names or "class k". */
    private static List<String> classNames(Variant variant, Path dir) {
        Path namesFile = dir.resolve(variant.namesFile);
        if (Files.isRegularFile(namesFile)) {
            List<String> names;
            try {
                names = Files.readAllLines(namesFile, StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(s -> !s.isEmpty()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(namesFile + ": cannot read: " + e.getMessage(), e);
            }
            if (names.size() != variant.numClasses) {
                throw new IllegalArgumentException(namesFile + ": expected " + variant.numClasses + " class names, got "
                        + names.size());
            }
            return names;
        }
        if (variant == Variant.CIFAR10) {
            return CIFAR10_CLASS_NAMES;
        }
        return IntStream.range(0, variant.numClasses).mapToObj(k -> "class " + k).toList();
    }
}
