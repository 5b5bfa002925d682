package org.mafstream.image;

/**
 * Counts the scans (SOS segments) of a JPEG by walking its markers, without decoding anything.
 *
 * <p>Why it matters: the JDK's JPEG reader (which TwelveMonkeys' delegates to) decodes a
 * progressive JPEG in buffered-image mode and runs a full output pass, IDCT and colour conversion
 * of the whole image, after every scan. A baseline file has one scan per component at most, a
 * progressive one about 10; a hostile one can repeat tiny scans thousands of times (80 KB, 6000
 * scans, 1024 × 1024: 45 s of CPU). Counting costs one pass over the bytes.
 *
 * <p>The walk follows segment lengths, so markers inside APPn payloads (an EXIF thumbnail is a
 * JPEG of its own) are not counted; inside entropy-coded data it skips stuffed {@code FF00} bytes
 * and restart markers. It stops at the first EOI (only the first image is decoded) and at
 * anything malformed, leaving the verdict on that to the decoder.
 */
final class JpegScans {
    private static final int SOS = 0xda;
    private static final int EOI = 0xd9;

    private JpegScans() {}

    /** The number of SOS segments before the first EOI (or the end of the bytes). */
    static int count(byte[] jpeg) {
        int scans = 0;
        int pos = 2; // after SOI
        while (true) {
            while (pos < jpeg.length && (jpeg[pos] & 0xff) != 0xff) {
                pos++; // garbage between segments: the decoder warns and resynchronises the same way
            }
            while (pos < jpeg.length && (jpeg[pos] & 0xff) == 0xff) {
                pos++; // fill bytes
            }
            if (pos >= jpeg.length) {
                return scans;
            }
            int marker = jpeg[pos++] & 0xff;
            if (marker == EOI) {
                return scans;
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd8) {
                continue; // TEM, RSTn, SOI: no length
            }
            if (pos + 1 >= jpeg.length) {
                return scans;
            }
            int length = (jpeg[pos] & 0xff) << 8 | jpeg[pos + 1] & 0xff;
            if (length < 2) {
                return scans;
            }
            pos += length;
            if (marker == SOS) {
                scans++;
                pos = endOfEntropyData(jpeg, pos);
            }
        }
    }

    /** The position of the marker that ends the entropy-coded data starting at {@code pos}. */
    private static int endOfEntropyData(byte[] jpeg, int pos) {
        while (pos + 1 < jpeg.length) {
            if ((jpeg[pos] & 0xff) == 0xff) {
                int next = jpeg[pos + 1] & 0xff;
                if (next != 0x00 && next != 0xff && (next < 0xd0 || next > 0xd7)) {
                    return pos;
                }
                pos += next == 0xff ? 1 : 2; // FF FF: fill before a marker; FF00 stuffing; RSTn
            } else {
                pos++;
            }
        }
        return jpeg.length;
    }
}
