package org.mafstream.image;

/**
 * Width and height from a BMP's DIB header. The JDK's BMP reader refuses dimensions whose pixel
 * data would pass 2 GB with a generic error before it reports them, which would label a
 * decompression bomb DECODE_FAILED instead of TOO_LARGE; reading the header here avoids that.
 */
final class BmpHeader {
    private static final int CORE_HEADER_SIZE = 12; // OS/2 BITMAPCOREHEADER: 16-bit sides

    private BmpHeader() {}

    /** {width, height}; {0, 0} when the header is cut short. Top-down BMPs store a negative height. */
    static int[] dimensions(byte[] bmp) {
        if (bmp.length < 26) {
            return new int[]{0, 0};
        }
        if (le32(bmp, 14) == CORE_HEADER_SIZE) {
            return new int[]{le16(bmp, 18), le16(bmp, 20)};
        }
        int height = le32(bmp, 22);
        return new int[]{le32(bmp, 18), height == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs(height)};
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int le32(byte[] b, int at) {
        return le16(b, at) | le16(b, at + 2) << 16;
    }
}
