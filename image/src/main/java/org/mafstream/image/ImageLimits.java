package org.mafstream.image;

import java.time.Duration;
import java.util.Objects;

/**
 * What the decoder accepts, checked before any pixel is decoded: the byte size of the encoded
 * image, and width × height and each side as the format's header declares them. A decoded image
 * costs about 7 bytes per pixel at its peak here (the decoder's raster plus the 4-byte RGB copy),
 * so the pixel limit is what bounds memory: a 50 KB PNG may declare 50000 × 50000.
 * Serializable so Flink functions can carry it.
 *
 * <p>The work of a decode is bounded too: pixels bound one decoding pass, but a progressive JPEG
 * costs a full pass per scan here ({@link JpegScans}), so its scans are counted before decoding
 * ({@code maxJpegScans}); and every decode stops at {@code maxDecodeTime}, so whatever slips past
 * the checks holds a decode thread for that long at most.
 *
 * @param maxJpegScans scans (SOS segments) a JPEG may have: a baseline file has 1 to 4, the usual
 *     progressive ones about 10
 * @param maxDecodeTime wall-clock time one image may take to decode
 */
public record ImageLimits(long maxBytes, long maxPixels, int maxSide, int maxJpegScans, Duration maxDecodeTime)
        implements java.io.Serializable {
    public static final int DEFAULT_MAX_JPEG_SCANS = 100;
    /** A 40-megapixel progressive JPEG (10 passes) takes a few seconds here. */
    public static final Duration DEFAULT_MAX_DECODE_TIME = Duration.ofSeconds(5);

    /** 10 MiB, 40 megapixels (a 7300 × 5500 photo, ~280 MB at the peak), 16384 per side, 100 JPEG scans, 5 s. */
    public static ImageLimits defaults() {
        return new ImageLimits(10L * 1024 * 1024, 40_000_000L, 16_384);
    }

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || maxSide <= 0 || maxJpegScans <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxBytes + ", " + maxPixels + ", "
                    + maxSide + ", " + maxJpegScans);
        }
        Objects.requireNonNull(maxDecodeTime, "maxDecodeTime");
        if (maxDecodeTime.isNegative() || maxDecodeTime.isZero()) {
            throw new IllegalArgumentException("maxDecodeTime must be positive: " + maxDecodeTime);
        }
    }

    /** Size limits, with the default limits on decoding work. */
    public ImageLimits(long maxBytes, long maxPixels, int maxSide) {
        this(maxBytes, maxPixels, maxSide, DEFAULT_MAX_JPEG_SCANS, DEFAULT_MAX_DECODE_TIME);
    }

    public ImageLimits withMaxJpegScans(int scans) {
        return new ImageLimits(maxBytes, maxPixels, maxSide, scans, maxDecodeTime);
    }

    public ImageLimits withMaxDecodeTime(Duration time) {
        return new ImageLimits(maxBytes, maxPixels, maxSide, maxJpegScans, time);
    }

    /** Refuses an encoded image over {@link #maxBytes}. */
    void checkBytes(long length) throws ImageRejectedException {
        if (length > maxBytes) {
            throw new ImageRejectedException(ImageRejection.TOO_LARGE,
                    "image is " + length + " bytes, over the limit of " + maxBytes);
        }
    }

    /** Refuses declared dimensions over {@link #maxSide} or {@link #maxPixels}. */
    void checkDimensions(int width, int height) throws ImageRejectedException {
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException(ImageRejection.DECODE_FAILED,
                    "image header declares " + width + "x" + height);
        }
        if (width > maxSide || height > maxSide || (long) width * height > maxPixels) {
            throw new ImageRejectedException(ImageRejection.TOO_LARGE,
                    "image is " + width + "x" + height + ", over the limit of " + maxPixels
                            + " pixels or " + maxSide + " per side");
        }
    }

    /** Refuses a JPEG with more than {@link #maxJpegScans} scans, before it is decoded. */
    void checkJpegScans(byte[] jpeg) throws ImageRejectedException {
        int scans = JpegScans.count(jpeg);
        if (scans > maxJpegScans) {
            throw new ImageRejectedException(ImageRejection.DECODE_FAILED, "JPEG has " + scans
                    + " scans, over the limit of " + maxJpegScans + " (each costs a full decoding pass)");
        }
    }
}
