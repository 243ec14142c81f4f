package org.deqnc.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An unsigned-byte tensor in the IDX format of (Fashion-)MNIST, plain or gzipped. Header: two zero bytes,
 * the type code {@code 0x08} (unsigned byte), the rank, then one big-endian int32 per dimension; then the
 * values in row-major order. Anything else — other magic, other type, wrong rank, a truncated body or
 * trailing bytes — is rejected with a one-line error naming the file.
 */
public final class IdxFile {

    /** IDX type code for unsigned bytes, the only type the image/label files use. */
    public static final int UNSIGNED_BYTE = 0x08;

    private final int[] dims;
    private final byte[] values;

    private IdxFile(int[] dims, byte[] values) {
        this.dims = dims;
        this.values = values;
    }

    /** Reads {@code file}, which must hold an unsigned-byte tensor of rank {@code expectedRank}. */
    public static IdxFile read(Path file, int expectedRank) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": IDX file not found");
        }
        try (DataInputStream in = DataFiles.open(file)) {
            byte[] magic = new byte[4];
            DataFiles.readFully(in, magic, file, "the 4-byte magic number");
            if (magic[0] != 0 || magic[1] != 0) {
                throw new IllegalArgumentException(file + ": not an IDX file, magic number starts with "
                        + String.format("0x%02x%02x", magic[0], magic[1]) + " instead of 0x0000");
            }
            if (magic[2] != UNSIGNED_BYTE) {
                throw new IllegalArgumentException(file + ": IDX type code must be 0x08 (unsigned byte), got "
                        + String.format("0x%02x", magic[2]));
            }
            if (magic[3] != expectedRank) {
                throw new IllegalArgumentException(file + ": expected an IDX tensor of rank " + expectedRank
                        + " (magic 0x0000080" + expectedRank + "), got rank " + magic[3]);
            }
            int[] dims = new int[expectedRank];
            byte[] header = new byte[4 * expectedRank];
            DataFiles.readFully(in, header, file, "the dimension sizes");
            long total = 1;
            for (int d = 0; d < expectedRank; d++) {
                dims[d] = ((header[4 * d] & 0xff) << 24) | ((header[4 * d + 1] & 0xff) << 16)
                        | ((header[4 * d + 2] & 0xff) << 8) | (header[4 * d + 3] & 0xff);
                if (dims[d] < 1) {
                    throw new IllegalArgumentException(file + ": dimension " + d + " must be >= 1, got " + dims[d]);
                }
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(file + ": " + Arrays.toString(dims) + " holds more values than a Java array");
            }
            byte[] values = new byte[(int) total];
            DataFiles.readFully(in, values, file, "the " + total + " values of a " + Arrays.toString(dims) + " tensor");
            if (!DataFiles.atEnd(in)) {
                throw new IllegalArgumentException(file + ": trailing bytes after the " + Arrays.toString(dims) + " tensor");
            }
            return new IdxFile(dims, values);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The dimension sizes, e.g. {@code [60000, 28, 28]}. */
    public int[] dims() {
        return dims.clone();
    }

    /** Value {@code i} (row-major) as an int in {@code 0..255}. */
    public int value(int i) {
        return values[i] & 0xff;
    }

    /** Number of values. */
    public int length() {
        return values.length;
    }
}
