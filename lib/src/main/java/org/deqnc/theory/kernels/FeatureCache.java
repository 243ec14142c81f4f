package org.deqnc.theory.kernels;

import org.deqnc.train.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Random features kept on disk, one file per key: the key must name every setting the features depend on
 * (data, model and its parameters, width, seed). The file is {@code <sha-256 of the key, 16 hex digits>.f32}
 * and holds the key itself, the shape and the float32 values; a file whose key or shape differs is recomputed
 * and replaced (written to a temporary sibling and renamed, so a killed run leaves no half file).
 */
public final class FeatureCache {

    private static final int MAGIC = 0x44514631;   // "DQF1"

    private final Path directory;
    private int hits;
    private int misses;

    public FeatureCache(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** How many {@link #get} calls were answered from disk, and how many computed. */
    public int hits() {
        return hits;
    }

    public int misses() {
        return misses;
    }

    /** The {@code rows x cols} values stored under {@code key}, or {@code compute}'s, stored for next time. */
    public float[] get(String key, int rows, int cols, Supplier<float[]> compute) {
        Path file = file(key);
        float[] stored = read(file, key, rows, cols);
        if (stored != null) {
            hits++;
            return stored;
        }
        float[] values = compute.get();
        if (values.length != (long) rows * cols) {
            throw new IllegalStateException("features for '" + key + "': computed " + values.length + " values, expected "
                    + rows + " x " + cols);
        }
        write(file, key, rows, cols, values);
        misses++;
        return values;
    }

    /** Where {@code key}'s values live. */
    public Path file(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest, 0, 8) + ".f32");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java 17 runtime", e);
        }
    }

    private static float[] read(Path file, String key, int rows, int cols) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(key) || in.readInt() != rows || in.readInt() != cols) {
                return null;
            }
            float[] v = new float[rows * cols];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            return v;
        } catch (IOException e) {   // truncated or unreadable: recompute
            return null;
        }
    }

    private void write(Path file, String key, int rows, int cols, float[] values) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(directory);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeUTF(key);
                out.writeInt(rows);
                out.writeInt(cols);
                for (float f : values) {
                    out.writeFloat(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(tmp + ": cannot write the features: " + e.getMessage(), e);
        }
        AtomicFiles.move(tmp, file);
    }
}
