package org.mafstream.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Any decoded {@link BufferedImage} to opaque 8-bit sRGB ({@link BufferedImage#TYPE_INT_RGB}).
 *
 * <p>Transparency is composited over white, the colour a viewer shows behind a transparent image
 * on a web page (and what a black-on-transparent logo needs to stay legible). Greyscale samples
 * are copied to R, G and B as they are: Java treats its grey colour space as linear and
 * {@code getRGB} would brighten mid-greys (128 → 186), while grey image files store
 * gamma-encoded values like every viewer and PIL's {@code convert("RGB")} assume. Other colour
 * models (palettes, ICC profiles, CMYK already converted by the JPEG reader) go through the
 * colour model's own conversion to sRGB.
 */
final class SrgbConverter {
    private SrgbConverter() {}

    static BufferedImage toIntRgb(BufferedImage src) {
        if (isPlainIntRgb(src)) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = Reorientation.pixels(out);
        ColorModel cm = src.getColorModel();
        if (isPlainComponents(cm)) {
            copyComponents(src.getRaster(), cm, dst, w, h);
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                src.getRGB(0, y, w, 1, row, 0, w); // non-premultiplied ARGB in sRGB
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    dst[y * w + x] = rgb(argb >> 16 & 0xff, argb >> 8 & 0xff, argb & 0xff, argb >>> 24);
                }
            }
        }
        return out;
    }

    /** Grey or sRGB components of 8 or 16 bits, read sample by sample (no colour-model conversion). */
    private static boolean isPlainComponents(ColorModel cm) {
        if (!(cm instanceof ComponentColorModel) || cm.isAlphaPremultiplied()) {
            return false;
        }
        ColorSpace cs = cm.getColorSpace();
        if (cs.getType() != ColorSpace.TYPE_GRAY && !cs.isCS_sRGB()) {
            return false;
        }
        int bits = cm.getComponentSize(0);
        for (int size : cm.getComponentSize()) {
            if (size != bits) {
                return false;
            }
        }
        return bits == 8 || bits == 16;
    }

    private static void copyComponents(Raster raster, ColorModel cm, int[] dst, int w, int h) {
        int bands = cm.getNumComponents();
        boolean grey = cm.getNumColorComponents() == 1;
        boolean alpha = cm.hasAlpha();
        int max = (1 << cm.getComponentSize(0)) - 1;
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0, i = 0; x < w; x++, i += bands) {
                int r = to8(row[i], max);
                int g = grey ? r : to8(row[i + 1], max);
                int b = grey ? r : to8(row[i + 2], max);
                int a = alpha ? to8(row[i + bands - 1], max) : 255;
                dst[y * w + x] = rgb(r, g, b, a);
            }
        }
    }

    private static int to8(int sample, int max) {
        return max == 255 ? sample : (sample * 255 + max / 2) / max;
    }

    /** Packs RGB after compositing over white with straight alpha {@code a}, rounding to nearest. */
    private static int rgb(int r, int g, int b, int a) {
        if (a != 255) {
            int white = 255 * (255 - a) + 127;
            r = (r * a + white) / 255;
            g = (g * a + white) / 255;
            b = (b * a + white) / 255;
        }
        return r << 16 | g << 8 | b;
    }

    private static boolean isPlainIntRgb(BufferedImage image) {
        Raster raster = image.getRaster();
        return image.getType() == BufferedImage.TYPE_INT_RGB
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
                && sm.getScanlineStride() == image.getWidth()
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && raster.getDataBuffer() instanceof DataBufferInt data
                && data.getOffset() == 0 && data.getSize() == image.getWidth() * image.getHeight();
    }
}
