package org.mafstream.job.fetch;

import java.io.IOException;

/** The host resolved only to addresses the SSRF policy refuses; nothing was connected to. */
final class BlockedAddressException extends IOException {
    private static final long serialVersionUID = 1L;

    BlockedAddressException(String message) {
        super(message);
    }
}
