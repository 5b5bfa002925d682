package org.mafstream.job.image;

import org.mafstream.schemas.ImageStatus;

/** Why image bytes were refused; each reason is one value of the output's {@link ImageStatus}. */
public enum ImageRejection {
    /** Over the byte, pixel or side limit. */
    TOO_LARGE(ImageStatus.TOO_LARGE),
    /** Not one of the {@link ImageFormat}s, judged by magic bytes (empty bytes included). */
    UNSUPPORTED_TYPE(ImageStatus.UNSUPPORTED_TYPE),
    /**
     * A supported format whose data is corrupt or truncated, or too costly to decode (too many JPEG
     * scans, or over {@link ImageLimits#maxDecodeTime}).
     */
    DECODE_FAILED(ImageStatus.DECODE_FAILED),
    /**
     * The caller's own deadline (a URL's time budget) passed while decoding: says nothing about the
     * image, which may decode in time on another try.
     */
    OUT_OF_TIME(ImageStatus.TIMEOUT);

    private final ImageStatus status;

    ImageRejection(ImageStatus status) {
        this.status = status;
    }

    public ImageStatus status() {
        return status;
    }
}
