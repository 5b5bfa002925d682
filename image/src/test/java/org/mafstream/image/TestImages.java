package org.mafstream.image;

import org.mafstream.image.testing.CraftedImages;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

/** Test images made with the JDK's writers, and the committed fixtures no Java writer can make. */
final class TestImages {
    static final Color RED = new Color(255, 0, 0);
    static final Color LIME = new Color(0, 255, 0);
    static final Color BLUE = new Color(0, 0, 255);
    static final Color YELLOW = new Color(255, 255, 0);

    private TestImages() {}

    static BufferedImage solid(int w, int h, int type, Color color) {
        BufferedImage image = new BufferedImage(w, h, type);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    /** Four quadrants, as the committed fixtures: top-left red, top-right lime, bottom-left blue, bottom-right yellow. */
    static BufferedImage quadrants(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(RED);
        g.fillRect(0, 0, w / 2, h / 2);
        g.setColor(LIME);
        g.fillRect(w / 2, 0, w - w / 2, h / 2);
        g.setColor(BLUE);
        g.fillRect(0, h / 2, w / 2, h - h / 2);
        g.setColor(YELLOW);
        g.fillRect(w / 2, h / 2, w - w / 2, h - h / 2);
        g.dispose();
        return image;
    }

    /** Smooth gradients plus seeded noise: every pixel differs, so a wrong pixel shows. */
    static BufferedImage noise(int w, int h, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 255 / w + random.nextInt(32)) & 0xff;
                int g = (y * 255 / h + random.nextInt(32)) & 0xff;
                int b = random.nextInt(256);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JPEG at the best quality the JDK writer offers, so solid colours survive nearly exactly. */
    static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1.0f);
        return write(writer, param, image);
    }

    /** An animated GIF whose frames are the given images, in order. */
    static byte[] animatedGif(BufferedImage... frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] write(ImageWriter writer, ImageWriteParam param, BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A PNG whose IHDR declares width × height (valid CRCs) and whose single IDAT holds almost nothing. */
    static byte[] pngHeaderOnly(int width, int height) {
        return CraftedImages.pngDeclaring(width, height);
    }

    static byte[] withChunkAfterIhdr(byte[] png, String type, byte[] data) {
        return CraftedImages.withChunkAfterIhdr(png, type, data);
    }

    /** zTXt data: keyword "Comment", compression method 0, then zlib of {@code length} zero bytes. */
    static byte[] zTxtOfZeros(int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Comment".getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        out.write(0);
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION);
        try (java.util.zip.DeflaterOutputStream zlib = new java.util.zip.DeflaterOutputStream(out, deflater)) {
            byte[] zeros = new byte[1 << 20];
            for (int written = 0; written < length; written += zeros.length) {
                zlib.write(zeros, 0, Math.min(zeros.length, length - written));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    /** A committed fixture from src/test/resources/images (see its README.txt). */
    static byte[] fixture(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource images/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] rgbAt(BufferedImage image, int x, int y) {
        int p = image.getRGB(x, y);
        return new int[]{p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
    }
}
