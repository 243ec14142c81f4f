package org.deqnc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal NumPy {@code .npy} (format 1.0, little-endian float32, C order) reader and writer, so the
 * Java benchmark and its PyTorch counterpart read the same data and initial weights bit for bit.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A float32 array with its shape. */
    public record Array(float[] data, long[] shape) {
    }

    private Npy() {
    }

    public static void write(Path file, float[] data, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().strip() + "), }";
        // header (magic + 2-byte length + dict + '\n') padded with spaces to a multiple of 64 bytes
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 2 + header.length() + 4 * data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(data);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, buf.array());
        } catch (IOException e) {
            throw new UncheckedIOException("npy: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static Array read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("npy: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), Arrays.copyOf(MAGIC, 6)) || bytes[6] != 1) {
            throw new IllegalArgumentException("npy: " + file + " is not a version-1 .npy file");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(buf.getShort(8));
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        String descr = group(DESCR, header, file);
        if (!descr.equals("<f4") || !group(ORDER, header, file).equals("False")) {
            throw new IllegalArgumentException("npy: " + file + " must hold little-endian float32 ('<f4') in C order, "
                    + "got descr " + descr);
        }
        long[] shape = Arrays.stream(group(SHAPE, header, file).split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int offset = 10 + headerLength;
        if (bytes.length - offset != 4 * size) {
            throw new IllegalArgumentException("npy: " + file + " has shape " + Arrays.toString(shape) + " (" + size
                    + " floats) but " + (bytes.length - offset) + " data bytes");
        }
        float[] data = new float[(int) size];
        buf.position(offset);
        buf.asFloatBuffer().get(data);
        return new Array(data, shape);
    }

    private static String group(Pattern p, String header, Path file) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException("npy: " + file + " has no " + p.pattern().split("'")[1] + " in its header");
        }
        return m.group(1);
    }
}
