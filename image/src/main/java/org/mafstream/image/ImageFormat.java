package org.mafstream.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The image formats the job decodes, recognised by their magic bytes only. */
public enum ImageFormat {
    JPEG,
    PNG,
    GIF,
    BMP,
    WEBP;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * The format the bytes start with, or empty for anything else (HTML, SVG, TIFF, AVIF, empty).
     * A server's Content-Type is not consulted: it is often wrong, and a lie must not pick the decoder.
     */
    public static Optional<ImageFormat> sniff(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        if (startsWith(bytes, 0, (byte) 0xff, (byte) 0xd8, (byte) 0xff)) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) {
            return Optional.of(GIF);
        }
        if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
            return Optional.of(WEBP);
        }
        if (isBmp(bytes)) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    /** "BM" alone is two printable letters that text can start with: also require a known DIB header size. */
    private static boolean isBmp(byte[] bytes) {
        if (bytes.length < 18 || !startsWith(bytes, 0, ascii("BM"))) {
            return false;
        }
        int dibHeaderSize = (bytes[14] & 0xff) | (bytes[15] & 0xff) << 8 | (bytes[16] & 0xff) << 16 | (bytes[17] & 0xff) << 24;
        return switch (dibHeaderSize) {
            case 12, 16, 40, 52, 56, 64, 108, 124 -> true;
            default -> false;
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] bytes, int offset, byte... prefix) {
        if (bytes.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
