package org.mafstream.image;

/**
 * Why image bytes were refused. The job writes each reason as one value of its output's
 * {@code ImageStatus} (RejectionStatus in the job's fetch package); this module knows no schema.
 */
public enum ImageRejection {
    /** Over the byte, pixel or side limit. */
    TOO_LARGE,
    /** Not one of the {@link ImageFormat}s, judged by magic bytes (empty bytes included). */
    UNSUPPORTED_TYPE,
    /**
     * A supported format whose data is corrupt or truncated, or too costly to decode (too many JPEG
     * scans, or over {@link ImageLimits#maxDecodeTime}).
     */
    DECODE_FAILED,
    /**
     * The caller's own deadline (a URL's time budget) passed while decoding: says nothing about the
     * image, which may decode in time on another try.
     */
    OUT_OF_TIME
}
