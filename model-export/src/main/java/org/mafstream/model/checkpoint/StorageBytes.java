package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;

/**
 * One storage's bytes, not yet read.
 *
 * @param name       how errors name it, e.g. {@code storage entry archive/data/0}
 * @param size       its length in bytes, or -1 when the file does not say
 * @param damageHint what a failed read most likely means, for the error message
 * @param opener     opens a stream from the storage's first byte to its last
 */
record StorageBytes(String name, long size, String damageHint, Opener opener) {

    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** A new stream over the storage; skipping moves its position without reading. */
    InputStream open() throws IOException {
        return opener.open();
    }
}
