package org.mafstream.job.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Images made in-test with the JDK's PNG writer, and PNGs built chunk by chunk. */
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
        return withChunkAfterIhdr(png, "prVt", new byte[padding]);
    }

    /** The PNG with one more chunk right after its IHDR (which always ends at byte 33). */
    public static byte[] withChunkAfterIhdr(byte[] png, String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk(chunk, type, data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + chunk.capacity());
        out.write(png, 0, 33);
        out.writeBytes(chunk.array());
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** A PNG whose IHDR declares width × height with valid CRCs, and almost no data. */
    public static byte[] pngDeclaring(int width, int height) {
        ByteBuffer png = ByteBuffer.allocate(8 + 25 + 12 + 12 + 12);
        png.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", new byte[]{0x78, (byte) 0x9c});
        chunk(png, "IEND", new byte[0]);
        return Arrays.copyOf(png.array(), png.position());
    }

    /**
     * A flat {@code side} × {@code side} colour progressive JPEG (the JDK writer's 10 scans) whose
     * last scan is repeated until it has {@code scans}: about 12 bytes each. The JDK's reader runs
     * a full output pass per scan, so 1024 × 1024 with 1000 scans takes seconds to decode (the
     * repeats only draw "bogus progression" warnings), and 6000 scans in 80 KB take most of a minute.
     */
    public static byte[] progressiveJpegWithScans(int side, int scans) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(90, 140, 200));
        g.fillRect(0, 0, side, side);
        g.dispose();
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(encoded)) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = encoded.toByteArray();
        int eoi = jpeg.length - 2; // the writer ends with FFD9 and no trailing bytes
        int lastScan = -1;
        int written = 0;
        for (int i = 2; i + 1 < eoi; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xda) { // entropy data stuffs FF as FF00
                lastScan = i;
                written++;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, eoi);
        for (int i = written; i < scans; i++) {
            out.write(jpeg, lastScan, eoi - lastScan);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }

    public static byte[] html() {
        return "<!doctype html><html><head><title>Not an image</title></head><body>Hello</body></html>"
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void chunk(ByteBuffer out, String type, byte[] data) {
        out.putInt(data.length);
        int start = out.position();
        out.put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(out.array(), start, 4 + data.length);
        out.putInt((int) crc.getValue());
    }
}
