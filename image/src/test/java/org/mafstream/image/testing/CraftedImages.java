package org.mafstream.image.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Hostile images built byte by byte: a PNG header declaring more than it holds, a PNG with an
 * extra chunk, a JPEG with thousands of scans. Shared with flink-job's tests (this module's
 * test jar), which send the same bytes through the fetcher and the whole job.
 */
public final class CraftedImages {
    private CraftedImages() {}

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

    private static void chunk(ByteBuffer out, String type, byte[] data) {
        out.putInt(data.length);
        int start = out.position();
        out.put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(out.array(), start, 4 + data.length);
        out.putInt((int) crc.getValue());
    }
}
