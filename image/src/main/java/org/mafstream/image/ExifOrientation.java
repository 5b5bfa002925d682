package org.mafstream.image;

/**
 * Reads the EXIF orientation tag (0x0112) of a JPEG from its APP1 "Exif" segment. Every offset is
 * bounds-checked against the segment: anything malformed reads as 1 (upright), never as an error,
 * since the pixels themselves may still be fine.
 */
final class ExifOrientation {
    static final int UPRIGHT = 1;

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    private ExifOrientation() {}

    /** The orientation 1..8 of a JPEG, 1 when it has none or it cannot be read. */
    static int of(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            return UPRIGHT;
        }
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xff) != 0xff) {
                return UPRIGHT;
            }
            int marker = jpeg[pos + 1] & 0xff;
            if (marker == 0xff) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0x01 || marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
                pos += 2; // markers without a length
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                return UPRIGHT; // start of scan / end of image: EXIF would have come before
            }
            int length = u16(jpeg, pos + 2, false);
            int end = pos + 2 + length;
            if (length < 2 || end > jpeg.length) {
                return UPRIGHT;
            }
            if (marker == 0xe1 && isExifHeader(jpeg, pos + 4, end)) {
                return fromTiff(jpeg, pos + 10, end);
            }
            pos = end;
        }
        return UPRIGHT;
    }

    private static boolean isExifHeader(byte[] b, int start, int end) {
        return end - start >= 6 && b[start] == 'E' && b[start + 1] == 'x' && b[start + 2] == 'i' && b[start + 3] == 'f'
                && b[start + 4] == 0 && b[start + 5] == 0;
    }

    /** Reads IFD0 of the TIFF structure in {@code b[base, end)}. */
    private static int fromTiff(byte[] b, int base, int end) {
        if (end - base < 8) {
            return UPRIGHT;
        }
        boolean little;
        if (b[base] == 'I' && b[base + 1] == 'I') {
            little = true;
        } else if (b[base] == 'M' && b[base + 1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        if (u16(b, base + 2, little) != 42) {
            return UPRIGHT;
        }
        long ifd = base + u32(b, base + 4, little);
        if (ifd + 2 > end) {
            return UPRIGHT;
        }
        int entries = u16(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > end) {
                return UPRIGHT;
            }
            int e = (int) entry;
            if (u16(b, e, little) != ORIENTATION_TAG) {
                continue;
            }
            int type = u16(b, e + 2, little);
            long value = type == TYPE_SHORT ? u16(b, e + 8, little) : type == TYPE_LONG ? u32(b, e + 8, little) : -1;
            return value >= 1 && value <= 8 ? (int) value : UPRIGHT;
        }
        return UPRIGHT;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int b0 = b[at] & 0xff;
        int b1 = b[at + 1] & 0xff;
        return little ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return hi << 16 | lo;
    }
}
