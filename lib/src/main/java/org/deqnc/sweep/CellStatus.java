package org.deqnc.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.deqnc.train.AtomicFiles;

/**
 * The outcome a cell records in its directory ({@value #FILE}): {@code completed}, or {@code failed} and a
 * one-line reason. No file means the cell has not ended (never started, running, or killed before it could say).
 */
record CellStatus(boolean completed, String error) {

    static final String FILE = "status.txt";
    private static final String COMPLETED = "completed";
    private static final String FAILED = "failed: ";

    static CellStatus ofCompleted() {
        return new CellStatus(true, null);
    }

    static CellStatus ofFailure(String error) {
        return new CellStatus(false, error.replace('\n', ' '));
    }

    /** The recorded status, or null when there is none. */
    static CellStatus read(Path cellDirectory) {
        Path file = cellDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            return s.equals(COMPLETED) ? ofCompleted()
                    : ofFailure(s.startsWith(FAILED) ? s.substring(FAILED.length()) : s);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static void clear(Path cellDirectory) {
        try {
            Files.deleteIfExists(cellDirectory.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(cellDirectory.resolve(FILE) + ": cannot delete: " + e.getMessage(), e);
        }
    }

    void write(Path cellDirectory) {
        try {
            Files.createDirectories(cellDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(cellDirectory + ": cannot create: " + e.getMessage(), e);
        }
        AtomicFiles.writeString(cellDirectory.resolve(FILE), (completed ? COMPLETED : FAILED + error) + "\n");
    }
}
