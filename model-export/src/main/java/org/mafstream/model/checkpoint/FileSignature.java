package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Tells a zip checkpoint from the legacy pickle-stream format and from anything else. */
final class FileSignature {
    /** The two layouts {@code torch.save} has written. */
    enum Format {
        /** torch &gt;= 1.6: a zip of {@code <stem>/data.pkl} and one entry per storage. */
        ZIP,
        /** torch &lt; 1.6 (or {@code _use_new_zipfile_serialization=False}): a sequence of pickles, then raw storages. */
        LEGACY
    }

    private static final int PICKLE_PROTO = 0x80;

    private FileSignature() {
    }

    static Format check(Path file) throws CheckpointException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(2);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        if (head.length == 2 && head[0] == 'P' && head[1] == 'K') {
            return Format.ZIP;
        }
        if (head.length > 0 && (head[0] & 0xff) == PICKLE_PROTO) {
            // torch < 1.6 wrote a raw sequence of pickles (magic number, protocol, sys info, ...),
            // each starting with the PROTO opcode; LegacyCheckpointFile checks the rest.
            return Format.LEGACY;
        }
        throw new CheckpointException(file, head.length == 0
                ? "empty file, not a PyTorch checkpoint"
                : "not a PyTorch checkpoint: it starts neither with 'PK' (the zip format of torch>=1.6)"
                        + " nor with a pickle (the legacy format of torch<1.6)");
    }
}
