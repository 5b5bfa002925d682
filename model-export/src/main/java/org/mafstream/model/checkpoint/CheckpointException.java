package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A checkpoint that cannot be read as asked. The message always starts with the file, then the
 * tensor key where the problem concerns one tensor, so a log line alone tells which file to fix.
 */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;

    public CheckpointException(Path file, String message) {
        this(file, null, message, null);
    }

    public CheckpointException(Path file, String message, Throwable cause) {
        this(file, null, message, cause);
    }

    public CheckpointException(Path file, String key, String message) {
        this(file, key, message, null);
    }

    public CheckpointException(Path file, String key, String message, Throwable cause) {
        super(format(file, key, message), cause);
        this.file = file;
        this.key = key;
    }

    public Path file() {
        return file;
    }

    /** The tensor key, when the problem concerns one tensor. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    private static String format(Path file, String key, String message) {
        return key == null
                ? file + ": " + message
                : file + ": tensor '" + key + "': " + message;
    }
}
