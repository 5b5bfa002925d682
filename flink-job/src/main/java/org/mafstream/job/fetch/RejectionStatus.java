package org.mafstream.job.fetch;

import org.mafstream.image.ImageRejection;
import org.mafstream.schemas.ImageStatus;

/**
 * The output schema's {@link ImageStatus} for each reason the image module refuses bytes: the
 * module knows no schema, the job writes the status into the annotation.
 */
final class RejectionStatus {
    private RejectionStatus() {}

    /** One status per reason; a new reason does not compile until it has one here. */
    static ImageStatus of(ImageRejection reason) {
        return switch (reason) {
            case TOO_LARGE -> ImageStatus.TOO_LARGE;
            case UNSUPPORTED_TYPE -> ImageStatus.UNSUPPORTED_TYPE;
            case DECODE_FAILED -> ImageStatus.DECODE_FAILED;
            case OUT_OF_TIME -> ImageStatus.TIMEOUT;
        };
    }
}
