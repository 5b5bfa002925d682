package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Tells a zip checkpoint from the legacy pickle-stream format and from anything else. */
final class FileSignature {
    private FileSignature() {
    }

    static void check(Path file) throws CheckpointException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(2);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        if (head.length == 2 && head[0] == 'P' && head[1] == 'K') {
            return;
        }
        if (head.length > 0 && (head[0] & 0xff) == 0x80) {
            // torch < 1.6 wrote a raw sequence of pickles (magic number, protocol, sys info, ...)
            throw new CheckpointException(file,
                    "legacy (pre-1.6) PyTorch format, re-save with torch>=1.6 (the file starts with a pickle, not a zip)");
        }
        throw new CheckpointException(file, head.length == 0
                ? "empty file, not a PyTorch checkpoint"
                : "not a PyTorch zip checkpoint (does not start with 'PK')");
    }
}
