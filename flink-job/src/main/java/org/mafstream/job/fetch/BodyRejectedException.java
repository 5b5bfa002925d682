package org.mafstream.job.fetch;

import org.mafstream.schemas.ImageStatus;

/** Why a response was aborted while it arrived (too large, not an image). */
final class BodyRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ImageStatus status;

    BodyRejectedException(ImageStatus status, String message) {
        super(message, null, false, false); // an expected outcome: no stack trace
        this.status = status;
    }

    ImageStatus status() {
        return status;
    }
}
