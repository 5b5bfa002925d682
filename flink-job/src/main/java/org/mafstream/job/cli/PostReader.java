package org.mafstream.job.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/** Turns one input of {@link ProducePosts} into posts. One instance per run, used for every input. */
public interface PostReader {
    /** @param source the input's name as given (a path, or {@code stdin}), for messages and generated ids */
    void read(String source, BufferedReader lines, PostSink sink) throws IOException;

    /** {@code file:line}, the way compilers point at a line. */
    static String location(String source, long line) {
        return source + ":" + line;
    }

    /** The source's file name without directories, to build post ids from. */
    static String fileName(String source) {
        Path name = Path.of(source).getFileName();
        return name == null ? source : name.toString();
    }

    /** Removes a UTF-8 byte order mark, which editors on Windows put before the first line. */
    static String withoutBom(String line, long lineNumber) {
        return lineNumber == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
    }
}
