package org.mafstream.model.checkpoint;

import java.nio.charset.StandardCharsets;

/** Test-only: pickles as Python 2 wrote them, whose strings are {@code str}s (SHORT_BINSTRING), not unicode. */
final class Python2PickleWriter extends PickleWriter {
    @Override
    PickleWriter string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length >= 256) {
            return super.string(s);
        }
        op('U');
        op(bytes.length);
        for (byte b : bytes) {
            op(b & 0xff);
        }
        return this;
    }
}
