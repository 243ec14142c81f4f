package org.deqnc.data;

import org.deqnc.engine.ComputationInterruptedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) from its four IDX files, gzipped or plain:
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}. Images become {@code [1, 28, 28]} float32 samples in {@code [0, 1]}.
 *
 * <p>Directory: system property {@value #DIR_PROPERTY}, else environment variable {@value #DIR_ENV}, else
 * {@value #DEFAULT_DIR}, where Debian's {@value #DEBIAN_PACKAGE} package installs the files.
 */
public final class FashionMnist {

    /** Where Debian's package puts the files. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    /** System property naming another directory. */
    public static final String DIR_PROPERTY = "deqnc.fashion-mnist.dir";
    /** Environment variable naming another directory (used when the property is unset). */
    public static final String DIR_ENV = "DEQNC_FASHION_MNIST_DIR";
    /** The Debian package that installs the files. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    /** The command that installs the files into {@link #DEFAULT_DIR}. */
    public static final String FETCH_COMMAND = "apt-get install " + DEBIAN_PACKAGE;

    /** Number of classes. */
    public static final int NUM_CLASSES = 10;
    /** Image height and width. */
    public static final int SIDE = 28;

    /** Label k is {@code CLASS_NAMES.get(k)}, as published with the data set. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {
    }

    /** The configured directory (see the class comment). */
    public static Path directory() {
        return DataFiles.resolveDir(DIR_PROPERTY, DIR_ENV, DEFAULT_DIR);
    }

    /** {@code split} from the configured directory. */
    public static LabeledData load(Split split) {
        return load(directory(), split);
    }

    /** {@code split} from {@code dir}. */
    public static LabeledData load(Path dir, Split split) {
        requireDirectory(dir);
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path imageFile = locate(dir, prefix + "-images-idx3-ubyte");
        Path labelFile = locate(dir, prefix + "-labels-idx1-ubyte");
        IdxFile images = IdxFile.read(imageFile, 3);
        IdxFile labels = IdxFile.read(labelFile, 1);
        int[] dims = images.dims();
        if (dims[1] != SIDE || dims[2] != SIDE) {
            throw new IllegalArgumentException(imageFile + ": images must be " + SIDE + "x" + SIDE + ", got "
                    + dims[1] + "x" + dims[2]);
        }
        int n = dims[0];
        if (labels.dims()[0] != n) {
            throw new IllegalArgumentException(labelFile + ": has " + labels.dims()[0] + " labels but "
                    + imageFile.getFileName() + " has " + n + " images");
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.value(i);
            if (y[i] >= NUM_CLASSES) {
                throw new IllegalArgumentException(labelFile + ": label of sample " + i + " must be in 0.."
                        + (NUM_CLASSES - 1) + ", got " + y[i]);
            }
        }
        float[] x = new float[images.length()];
        for (int i = 0; i < x.length; i++) {
            ComputationInterruptedException.checkAt(i, "fashion-mnist: decoding pixels");
            x[i] = DataFiles.unitPixel(images.value(i));
        }
        return new LabeledData(x, new int[] {1, SIDE, SIDE}, y, CLASS_NAMES, "fashion-mnist " + split.name().toLowerCase()
                + " from " + imageFile);
    }

    /**
     * Empty when {@code dir} holds the four IDX files (gzipped or plain); otherwise one line naming the first
     * missing one and how to get it. Does not read the files.
     */
    public static Optional<String> missingFiles(Path dir) {
        try {
            requireDirectory(dir);
            for (String prefix : List.of("train", "t10k")) {
                locate(dir, prefix + "-images-idx3-ubyte");
                locate(dir, prefix + "-labels-idx1-ubyte");
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Fashion-MNIST: directory " + dir + " not found; " + howToGet());
        }
    }

    /** The gzipped file if present, else the plain one. */
    private static Path locate(Path dir, String baseName) {
        for (String name : new String[] {baseName + ".gz", baseName}) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("Fashion-MNIST: neither " + baseName + ".gz nor " + baseName + " in " + dir
                + "; " + howToGet());
    }

    private static String howToGet() {
        return "install the Debian package " + DEBIAN_PACKAGE + " (" + FETCH_COMMAND
                + ") or set -D" + DIR_PROPERTY + "=DIR (environment " + DIR_ENV + ") to a folder holding the IDX files";
    }
}
