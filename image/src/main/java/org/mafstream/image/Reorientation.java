package org.mafstream.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Turns a stored RGB image upright according to its EXIF orientation (1..8). */
final class Reorientation {
    private Reorientation() {}

    /** {@code image} must be {@link BufferedImage#TYPE_INT_RGB}; orientation 1 returns it unchanged. */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swapsSides = orientation >= 5;
        int outW = swapsSides ? h : w;
        BufferedImage out = new BufferedImage(outW, swapsSides ? w : h, BufferedImage.TYPE_INT_RGB);
        int[] src = pixels(image);
        int[] dst = pixels(out);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // (tx, ty): where the stored pixel (x, y) is displayed.
                int tx;
                int ty;
                switch (orientation) {
                    case 2 -> { tx = w - 1 - x; ty = y; }          // mirrored left-right
                    case 3 -> { tx = w - 1 - x; ty = h - 1 - y; }  // rotated 180
                    case 4 -> { tx = x; ty = h - 1 - y; }          // mirrored top-bottom
                    case 5 -> { tx = y; ty = x; }                  // transposed
                    case 6 -> { tx = h - 1 - y; ty = x; }          // needs 90 clockwise
                    case 7 -> { tx = h - 1 - y; ty = w - 1 - x; }  // transversed
                    default -> { tx = y; ty = w - 1 - x; }         // 8: needs 90 counter-clockwise
                }
                dst[ty * outW + tx] = src[y * w + x];
            }
        }
        return out;
    }

    static int[] pixels(BufferedImage intRgb) {
        return ((DataBufferInt) intRgb.getRaster().getDataBuffer()).getData();
    }
}
