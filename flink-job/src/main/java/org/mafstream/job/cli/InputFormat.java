package org.mafstream.job.cli;

import java.util.Locale;
import java.util.Optional;
import org.mafstream.cli.ToolCommandLine.UsageException;

/** The input formats of {@link ProducePosts}. */
public enum InputFormat {
    JSONL,
    CONLL;

    /** The format a file name implies: .jsonl/.json → JSONL, .txt/.conll → CONLL. */
    static Optional<InputFormat> forFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".json")) {
            return Optional.of(JSONL);
        }
        if (lower.endsWith(".txt") || lower.endsWith(".conll")) {
            return Optional.of(CONLL);
        }
        return Optional.empty();
    }

    static InputFormat named(String name) {
        for (InputFormat format : values()) {
            if (format.name().equalsIgnoreCase(name.trim())) {
                return format;
            }
        }
        throw new UsageException("Option --format must be jsonl or conll, got " + name);
    }
}
