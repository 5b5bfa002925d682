package org.mafstream.job.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.imageio.ImageIO;
import org.mafstream.image.testing.CraftedImages;

/** Images made in-test with the JDK's PNG writer; the hostile ones built byte by byte come from the image module's {@link CraftedImages}. */
public final class SampleImages {
    private SampleImages() {}

    /** A PNG of seeded noise: every seed a different image. */
    public static byte[] png(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A small valid PNG padded with a private ancillary chunk to {@code totalBytes}: as heavy on
     * the wire and in memory as a big photo, as cheap to decode as a thumbnail.
     */
    public static byte[] paddedPng(int totalBytes, long seed) {
        byte[] png = png(32, 32, seed);
        int padding = totalBytes - png.length - 12;
        if (padding < 0) {
            throw new IllegalArgumentException("too small to pad: " + totalBytes);
        }
        return CraftedImages.withChunkAfterIhdr(png, "prVt", new byte[padding]);
    }

    /** A PNG whose IHDR declares width × height, and almost no data: {@link CraftedImages#pngDeclaring}. */
    public static byte[] pngDeclaring(int width, int height) {
        return CraftedImages.pngDeclaring(width, height);
    }

    /** A progressive JPEG with {@code scans} scans: {@link CraftedImages#progressiveJpegWithScans}. */
    public static byte[] progressiveJpegWithScans(int side, int scans) {
        return CraftedImages.progressiveJpegWithScans(side, scans);
    }

    public static byte[] html() {
        return "<!doctype html><html><head><title>Not an image</title></head><body>Hello</body></html>"
                .getBytes(StandardCharsets.US_ASCII);
    }
}
