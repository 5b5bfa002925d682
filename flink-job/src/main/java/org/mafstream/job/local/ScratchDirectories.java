package org.mafstream.job.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mafstream.model.export.Directories;

/**
 * Temporary directories for what a tool exports for one run (a random-init bundle: 674 MB at
 * full size), removed when the JVM exits, also on Ctrl-C or {@code System.exit}, which skip a
 * {@code finally}.
 */
public final class ScratchDirectories {
    private ScratchDirectories() {}

    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Directories.deleteRecursively(dir);
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e.getMessage());
            }
        }, "remove " + dir));
        return dir;
    }
}
