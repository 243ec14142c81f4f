package org.deqnc.data;

import org.deqnc.engine.ComputationInterruptedException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File plumbing shared by the dataset readers: where the files are, and gzip-transparent reading. */
final class DataFiles {

    private DataFiles() {
    }

    /** A directory from a system property, else an environment variable, else a default. */
    private static final int READ_CHUNK = 1 << 20;

    static Path resolveDir(String property, String envVariable, String defaultDir) {
        String fromProperty = System.getProperty(property);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty);
        }
        String fromEnv = System.getenv(envVariable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(defaultDir);
    }

    /** Opens a file, gunzipping it when it starts with the gzip magic bytes (whatever its name). */
    static DataInputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream raw = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
        return new DataInputStream(raw);
    }

    /** Reads exactly {@code buffer.length} bytes, or fails naming the file and what was expected. */
    static void readFully(DataInputStream in, byte[] buffer, Path file, String what) {
        try {
            // in chunks, so that an interrupt stops a long (decompressing) read within milliseconds
            for (int off = 0; off < buffer.length; off += READ_CHUNK) {
                ComputationInterruptedException.check(file.getFileName() + ": reading");
                in.readFully(buffer, off, Math.min(READ_CHUNK, buffer.length - off));
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + ": truncated file, ended while reading " + what);
        } catch (IOException e) {
            // an interrupt closes the file's channel mid-read: report the interrupt, not a read error
            ComputationInterruptedException.check(file.getFileName() + ": reading");
            throw new UncheckedIOException(file + ": cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** True when the stream has no byte left (used to reject trailing garbage). */
    static boolean atEnd(DataInputStream in) throws IOException {
        return in.read() < 0;
    }

    /** A pixel byte scaled to {@code [0, 1]}, the convention of every image reader here. */
    static float unitPixel(int unsignedByte) {
        return unsignedByte / 255f;
    }
}
