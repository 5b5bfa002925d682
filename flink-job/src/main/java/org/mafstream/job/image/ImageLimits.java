package org.mafstream.job.image;

/**
 * What the decoder accepts, checked before any pixel is decoded: the byte size of the encoded
 * image, and width × height and each side as the format's header declares them. A decoded image
 * costs about 7 bytes per pixel at its peak here (the decoder's raster plus the 4-byte RGB copy),
 * so the pixel limit is what bounds memory: a 50 KB PNG may declare 50000 × 50000.
 * Serializable so Flink functions can carry it.
 */
public record ImageLimits(long maxBytes, long maxPixels, int maxSide) implements java.io.Serializable {

    /** 10 MiB, 40 megapixels (a 7300 × 5500 photo, ~280 MB at the peak), 16384 per side. */
    public static ImageLimits defaults() {
        return new ImageLimits(10L * 1024 * 1024, 40_000_000L, 16_384);
    }

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxBytes + ", " + maxPixels + ", " + maxSide);
        }
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
}
