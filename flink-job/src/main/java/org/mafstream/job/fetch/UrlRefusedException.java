package org.mafstream.job.fetch;

import org.mafstream.schemas.ImageStatus;

/** A URL (or a redirect's Location) that is not fetched, with the status the post gets. */
final class UrlRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ImageStatus status;

    UrlRefusedException(ImageStatus status, String message) {
        super(message);
        this.status = status;
    }

    ImageStatus status() {
        return status;
    }
}
