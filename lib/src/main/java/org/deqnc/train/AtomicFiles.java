package org.deqnc.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files replaced by writing a temporary sibling and renaming it, so a killed process leaves old or new, never half. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void move(Path tmp, Path target) {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot replace: " + e.getMessage(), e);
        }
    }

    public static void writeString(Path target, String text) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(tmp + ": cannot write: " + e.getMessage(), e);
        }
        move(tmp, target);
    }
}
