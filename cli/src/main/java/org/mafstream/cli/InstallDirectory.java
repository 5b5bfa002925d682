package org.mafstream.cli;

import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Where maf-stream is installed (the repository checkout), so that defaults which point into it
 * (the demo's sample posts, the model cache, the test data) mean the same whatever directory the
 * user runs a tool from. Relative paths the user types are a different matter: they are taken
 * from the working directory.
 */
public final class InstallDirectory {
    /** Set by {@code bin/maf-stream} to the checkout it lives in. */
    public static final String PROPERTY = "maf.home";
    /** The file that marks the checkout's root. */
    static final String LAUNCHER = "bin/maf-stream";

    private InstallDirectory() {}

    /**
     * {@value #PROPERTY} when set; else the nearest directory above {@code anchor}'s class files
     * that holds {@value #LAUNCHER} (a tool run from the build tree, as the tests do); else the
     * working directory (a jar copied elsewhere, such as the job jar in a container).
     */
    public static Path of(Class<?> anchor) {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path code = codeLocation(anchor);
        for (Path dir = code; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(LAUNCHER))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /** {@code relative} inside the installation directory. */
    public static Path resolve(Class<?> anchor, String relative) {
        return of(anchor).resolve(relative);
    }

    private static Path codeLocation(Class<?> anchor) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            return null; // not a file (a custom class loader): fall back to the working directory
        }
    }
}
