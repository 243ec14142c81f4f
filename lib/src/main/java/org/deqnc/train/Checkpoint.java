package org.deqnc.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a run needs to continue after its last completed epoch: the experiment, the metrics rows so far,
 * the optimiser's step counter and every array (parameters, optimiser slots) as DJL-encoded bytes. Randomness
 * needs no saved state: data selection is seeded once and each epoch's batch order is recomputed from
 * {@code (seed, epoch)}.
 *
 * @param experiment     the experiment's configuration text
 * @param epochsDone     completed epochs
 * @param metricsCsv     the metrics CSV up to {@code epochsDone}
 * @param optimizerSteps parameter updates so far
 * @param arrays         name to {@code NDArray.encode()} bytes, in a fixed order
 */
record Checkpoint(String experiment, int epochsDone, String metricsCsv, long optimizerSteps,
        Map<String, byte[]> arrays) {

    static final String FILE = "checkpoint.bin";
    private static final String MAGIC = "deq-nc checkpoint";
    private static final int VERSION = 1;

    /** Writes to a temporary file and renames it over {@link #FILE}, so a kill leaves the old or the new one. */
    void write(Path dir) {
        Path tmp = dir.resolve(FILE + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            writeText(out, experiment);
            out.writeInt(epochsDone);
            writeText(out, metricsCsv);
            out.writeLong(optimizerSteps);
            out.writeInt(arrays.size());
            for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(tmp + ": cannot write checkpoint: " + e.getMessage(), e);
        }
        AtomicFiles.move(tmp, dir.resolve(FILE));
    }

    /** Reads {@code dir/}{@link #FILE}; a missing or foreign file fails naming it. */
    static Checkpoint read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("resume: no checkpoint " + file + " (a run writes one after each "
                    + "completed epoch)");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
                throw new IllegalArgumentException(file + ": not a version-" + VERSION + " deq-nc checkpoint");
            }
            String experiment = readText(in);
            int epochs = in.readInt();
            String csv = readText(in);
            long steps = in.readLong();
            int n = in.readInt();
            Map<String, byte[]> arrays = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                arrays.put(name, bytes);
            }
            return new Checkpoint(experiment, epochs, csv, steps, arrays);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
