package org.mafstream.image;

import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Untrusted bytes to an upright, opaque 8-bit sRGB image, or a typed refusal.
 *
 * <p>Order of checks: byte size; magic bytes ({@link ImageFormat#sniff}); a JPEG's scan count
 * ({@link JpegScans}: each scan costs a full decoding pass); width and height from the header
 * alone ({@code ImageReader.getWidth/getHeight} parse only the header; a BMP's are read by
 * {@link BmpHeader}), so a decompression bomb is refused before its pixels are allocated; then the
 * decode, from a stream that stops a decoder looping at the end of the data
 * ({@link ImageBytesInputStream}), and under a time limit ({@link DecodeClock}). Metadata is
 * ignored while decoding (a PNG's compressed text chunks are a bomb of their own); the EXIF
 * orientation of a JPEG is read separately by {@link ExifOrientation}. Only the first frame of an
 * animated GIF or WebP is decoded.
 *
 * <p>Safe to share between threads: each call uses its own reader.
 */
public final class ImageDecoder {
    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ImageLimits limits() {
        return limits;
    }

    /** Decodes to {@link BufferedImage#TYPE_INT_RGB} in sRGB, EXIF orientation applied. */
    public BufferedImage decodeRgb(byte[] bytes) throws ImageRejectedException {
        return decodeRgb(bytes, null);
    }

    /**
     * As {@link #decodeRgb(byte[])}, stopping also at the caller's deadline (a {@link System#nanoTime()}
     * value) if it comes before {@link ImageLimits#maxDecodeTime}: then the refusal is
     * {@link ImageRejection#OUT_OF_TIME}, not a verdict on the image.
     */
    public BufferedImage decodeRgb(byte[] bytes, long deadlineNanos) throws ImageRejectedException {
        return decodeRgb(bytes, Long.valueOf(deadlineNanos));
    }

    private BufferedImage decodeRgb(byte[] bytes, Long deadlineNanos) throws ImageRejectedException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(ImageRejection.UNSUPPORTED_TYPE, "no image bytes");
        }
        limits.checkBytes(bytes.length);
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new ImageRejectedException(
                ImageRejection.UNSUPPORTED_TYPE, "not a JPEG, PNG, GIF, BMP or WebP: " + leadingBytes(bytes)));
        checkContainer(format, bytes);
        BufferedImage decoded = decode(format, bytes, new DecodeClock(limits.maxDecodeTime(), deadlineNanos));
        try {
            BufferedImage rgb = SrgbConverter.toIntRgb(decoded);
            return format == ImageFormat.JPEG ? Reorientation.apply(rgb, ExifOrientation.of(bytes)) : rgb;
        } catch (RuntimeException e) { // e.g. a broken ICC profile failing the colour conversion
            throw new ImageRejectedException(ImageRejection.DECODE_FAILED, format + " colour conversion failed: " + e, e);
        }
    }

    /** The checks a format needs before its reader sees the bytes. */
    private void checkContainer(ImageFormat format, byte[] bytes) throws ImageRejectedException {
        if (format == ImageFormat.JPEG) {
            limits.checkJpegScans(bytes);
        } else if (format == ImageFormat.WEBP) {
            checkRiffLength(bytes);
        } else if (format == ImageFormat.BMP) {
            int[] declared = BmpHeader.dimensions(bytes);
            limits.checkDimensions(declared[0], declared[1]);
        }
    }

    private BufferedImage decode(ImageFormat format, byte[] bytes, DecodeClock clock) throws ImageRejectedException {
        if (clock.passed()) {
            throw clock.rejection(format);
        }
        ImageReader reader = null;
        try (ImageInputStream input = new ImageBytesInputStream(bytes)) {
            reader = ImageReaders.create(format);
            reader.setInput(input, true, true);
            limits.checkDimensions(reader.getWidth(0), reader.getHeight(0));
            TruncationWarnings warnings = new TruncationWarnings();
            reader.addIIOReadWarningListener(warnings);
            reader.addIIOReadUpdateListener(clock);
            reader.addIIOReadProgressListener(clock);
            BufferedImage image = reader.read(0);
            if (clock.expired()) { // a reader that caught the clock's exception and honoured abort()
                throw clock.rejection(format);
            }
            warnings.throwIfTruncated(format);
            return image;
        } catch (IOException | RuntimeException e) {
            if (clock.expired()) { // however the reader wrapped it
                throw clock.rejection(format);
            }
            // Decoders signal corrupt data with IIOException, EOFException and, on malformed input,
            // with runtime exceptions (index out of bounds, illegal argument): all mean the same here.
            throw new ImageRejectedException(ImageRejection.DECODE_FAILED, format + " could not be decoded: " + e, e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    /**
     * A WebP's RIFF header states the file's length. The lossy (VP8) decoder reads bytes missing
     * at the end as zeros instead of failing, so a slightly truncated file would decode to wrong
     * pixels without an error; the stated length catches it. Extra bytes after it are allowed.
     */
    private static void checkRiffLength(byte[] bytes) throws ImageRejectedException {
        long stated = 8 + ((bytes[4] & 0xffL) | (bytes[5] & 0xffL) << 8 | (bytes[6] & 0xffL) << 16 | (bytes[7] & 0xffL) << 24);
        if (bytes.length < stated) {
            throw new ImageRejectedException(ImageRejection.DECODE_FAILED,
                    "WEBP is truncated: its RIFF header states " + stated + " bytes, " + bytes.length + " arrived");
        }
    }

    private static String leadingBytes(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            hex.append(String.format("%02x", bytes[i] & 0xff));
        }
        return hex.toString();
    }

    /**
     * The JPEG decoder (libjpeg inside the JDK, wrapped by TwelveMonkeys) does not fail on a
     * truncated or cut-off scan: it warns ("Corrupt JPEG data: premature end of data segment", or
     * "Premature end of JPEG file") and fills the missing rows with grey. A half-grey image would
     * feed the model content that is not in the post, so these are decode failures here. Other
     * warnings (such as extraneous bytes before a marker, common in camera files that every viewer
     * shows) are not.
     */
    private static final class TruncationWarnings implements IIOReadWarningListener {
        private final List<String> truncation = new ArrayList<>();

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (warning != null && warning.toLowerCase(java.util.Locale.ROOT).contains("premature end")) {
                truncation.add(warning);
            }
        }

        void throwIfTruncated(ImageFormat format) throws ImageRejectedException {
            if (!truncation.isEmpty()) {
                throw new ImageRejectedException(ImageRejection.DECODE_FAILED, format + " is truncated: " + truncation);
            }
        }
    }
}
