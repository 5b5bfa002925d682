package org.mafstream.job.fetch;

import org.mafstream.schemas.ImageStatus;

/**
 * Why a response was aborted while it arrived: too large, not an image, or (status null) an
 * error or redirect body not worth reading further, judged by its HTTP status instead.
 */
final class BodyRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ImageStatus status;

    BodyRejectedException(ImageStatus status, String message) {
        super(message, null, false, false); // an expected outcome: no stack trace
        this.status = status;
    }

    /** Null when the body was only cut short and the HTTP status decides. */
    ImageStatus status() {
        return status;
    }

    static BodyRejectedException discarded(String message) {
        return new BodyRejectedException(null, message);
    }
}
