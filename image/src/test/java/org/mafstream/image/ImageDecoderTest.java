package org.mafstream.image;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;

import static org.assertj.core.api.Assertions.assertThat;

/** Real files of every supported kind decode to the pixels a viewer shows. */
class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    @Test
    void pngRgbIsExact() throws Exception {
        BufferedImage source = TestImages.noise(37, 23, 1);
        BufferedImage decoded = decoder.decodeRgb(TestImages.encode(source, "png"));
        assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(pixels(decoded)).isEqualTo(pixels(source));
    }

    @Test
    void pngAlphaIsCompositedOverWhite() throws Exception {
        BufferedImage source = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        source.setRGB(0, 0, 0xff_ff0000); // opaque red
        source.setRGB(1, 0, 0x00_0000ff); // fully transparent blue
        source.setRGB(2, 0, 0x80_000000); // black at alpha 128
        BufferedImage decoded = decoder.decodeRgb(TestImages.encode(source, "png"));
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(255, 0, 0);
        assertThat(TestImages.rgbAt(decoded, 1, 0)).containsExactly(255, 255, 255);
        // 0 * 128/255 + 255 * (127/255) = 127
        assertThat(TestImages.rgbAt(decoded, 2, 0)).containsExactly(127, 127, 127);
    }

    @Test
    void greyPngKeepsItsStoredValuesInsteadOfJavasLinearGreyConversion() throws Exception {
        BufferedImage grey = TestImages.solid(4, 4, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK);
        grey.getRaster().setSample(1, 1, 0, 128);
        grey.getRaster().setSample(2, 2, 0, 255);
        BufferedImage decoded = decoder.decodeRgb(TestImages.encode(grey, "png"));
        assertThat(TestImages.rgbAt(decoded, 1, 1)).containsExactly(128, 128, 128);
        assertThat(TestImages.rgbAt(decoded, 2, 2)).containsExactly(255, 255, 255);
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(0, 0, 0);
    }

    @Test
    void greyWithAlphaPngIsExpandedAndComposited() throws Exception {
        ComponentColorModel greyAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = greyAlpha.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[]{128, 255});
        raster.setPixel(1, 0, new int[]{0, 51}); // black at alpha 0.2: 255 * 0.8 = 204
        byte[] png = TestImages.encode(new BufferedImage(greyAlpha, raster, false, null), "png");
        assertThat(png[25]).as("PNG colour type 4 (grey + alpha)").isEqualTo((byte) 4);
        BufferedImage decoded = decoder.decodeRgb(png);
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(128, 128, 128);
        assertThat(TestImages.rgbAt(decoded, 1, 0)).containsExactly(204, 204, 204);
    }

    @Test
    void sixteenBitGreyAndRgbaPngsScaleToEightBits() throws Exception {
        BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 0x8080); // 128 * 257
        grey16.getRaster().setSample(1, 0, 0, 0xffff);
        BufferedImage decoded = decoder.decodeRgb(TestImages.encode(grey16, "png"));
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(128, 128, 128);
        assertThat(TestImages.rgbAt(decoded, 1, 0)).containsExactly(255, 255, 255);

        ComponentColorModel rgba16 = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster raster = rgba16.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[]{200 * 257, 100 * 257, 50 * 257, 0xffff});
        raster.setPixel(1, 0, new int[]{0, 0, 0, 0}); // transparent black
        BufferedImage source = new BufferedImage(rgba16, raster, false, null);
        byte[] png = TestImages.encode(source, "png");
        assertThat(png[24]).as("PNG bit depth").isEqualTo((byte) 16);
        decoded = decoder.decodeRgb(png);
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(200, 100, 50);
        assertThat(TestImages.rgbAt(decoded, 1, 0)).containsExactly(255, 255, 255);
    }

    @Test
    void palettePngWithTransparentEntriesUsesThePaletteAndItsAlpha() throws Exception {
        byte[] r = {(byte) 255, 0, 0};
        byte[] g = {0, 0, (byte) 255};
        byte[] b = {0, (byte) 255, 0};
        byte[] a = {(byte) 255, (byte) 128, 0};
        IndexColorModel palette = new IndexColorModel(8, 3, r, g, b, a);
        BufferedImage source = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int x = 0; x < 3; x++) {
            source.getRaster().setSample(x, 0, 0, x);
        }
        byte[] png = TestImages.encode(source, "png");
        assertThat(png[25]).as("PNG colour type 3 (palette)").isEqualTo((byte) 3);
        BufferedImage decoded = decoder.decodeRgb(png);
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(255, 0, 0);
        assertThat(TestImages.rgbAt(decoded, 1, 0)).containsExactly(127, 127, 255); // blue at alpha 128 over white
        assertThat(TestImages.rgbAt(decoded, 2, 0)).containsExactly(255, 255, 255); // transparent green
    }

    @Test
    void jpegRgbAndGreyDecodeToTheirColours() throws Exception {
        BufferedImage rgb = TestImages.solid(32, 16, BufferedImage.TYPE_3BYTE_BGR, new Color(200, 100, 50));
        assertThat(TestImages.rgbAt(decoder.decodeRgb(TestImages.jpeg(rgb)), 10, 10))
                .satisfies(p -> assertClose(p, new int[]{200, 100, 50}, 3));

        BufferedImage grey = TestImages.solid(32, 16, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK);
        for (int x = 16; x < 32; x++) {
            for (int y = 0; y < 16; y++) {
                grey.getRaster().setSample(x, y, 0, 128);
            }
        }
        byte[] jpeg = TestImages.jpeg(grey);
        BufferedImage decoded = decoder.decodeRgb(jpeg);
        assertClose(TestImages.rgbAt(decoded, 4, 8), new int[]{0, 0, 0}, 2);
        assertClose(TestImages.rgbAt(decoded, 28, 8), new int[]{128, 128, 128}, 2);
    }

    @Test
    void cmykJpegPureCyanBecomesCyan() throws Exception {
        BufferedImage decoded = decoder.decodeRgb(TestImages.fixture("cmyk-cyan-white.jpg"));
        assertThat(decoded.getWidth()).isEqualTo(32);
        assertThat(decoded.getHeight()).isEqualTo(16);
        // No ICC profile in the file: CMYK is converted arithmetically, so process cyan is sRGB cyan.
        assertClose(TestImages.rgbAt(decoded, 6, 8), new int[]{0, 255, 255}, 6);
        assertClose(TestImages.rgbAt(decoded, 26, 8), new int[]{255, 255, 255}, 6);
    }

    @Test
    void jpegExifOrientation6IsRotatedClockwise() throws Exception {
        BufferedImage decoded = decoder.decodeRgb(TestImages.fixture("quadrants-orientation6.jpg"));
        // Stored 64 × 32 (red, lime / blue, yellow); shown 32 × 64 with the stored top-left at the top-right.
        assertThat(new Point(decoded.getWidth(), decoded.getHeight())).isEqualTo(new Point(32, 64));
        assertQuadrants(decoded, TestImages.BLUE, TestImages.RED, TestImages.YELLOW, TestImages.LIME);
    }

    @Test
    void jpegExifOrientation3IsRotated180() throws Exception {
        BufferedImage decoded = decoder.decodeRgb(TestImages.fixture("quadrants-orientation3.jpg"));
        assertThat(new Point(decoded.getWidth(), decoded.getHeight())).isEqualTo(new Point(64, 32));
        assertQuadrants(decoded, TestImages.YELLOW, TestImages.BLUE, TestImages.LIME, TestImages.RED);
    }

    @Test
    void gifDecodesOnlyItsFirstFrame() throws Exception {
        BufferedImage red = TestImages.solid(10, 10, BufferedImage.TYPE_BYTE_INDEXED, TestImages.RED);
        BufferedImage blue = TestImages.solid(10, 10, BufferedImage.TYPE_BYTE_INDEXED, TestImages.BLUE);
        byte[] gif = TestImages.animatedGif(red, blue);
        javax.imageio.ImageReader reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
        reader.setInput(javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(gif)));
        assertThat(reader.getNumImages(true)).as("frames in the file").isEqualTo(2);
        assertThat(reader.read(1).getRGB(5, 5) & 0xffffff).as("second frame").isNotEqualTo(0xff0000);
        reader.dispose();
        BufferedImage decoded = decoder.decodeRgb(gif);
        assertThat(TestImages.rgbAt(decoded, 5, 5)).containsExactly(255, 0, 0);
    }

    @Test
    void gifTransparentIndexIsCompositedOverWhite() throws Exception {
        IndexColorModel palette = new IndexColorModel(8, 2, new byte[]{(byte) 255, 0}, new byte[]{0, 0},
                new byte[]{0, (byte) 255}, 1);
        BufferedImage source = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        source.getRaster().setSample(1, 0, 0, 1);
        BufferedImage decoded = decoder.decodeRgb(TestImages.encode(source, "gif"));
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(255, 0, 0);
        assertThat(TestImages.rgbAt(decoded, 1, 0)).as("transparent blue").containsExactly(255, 255, 255);
    }

    @Test
    void bmpIsExact() throws Exception {
        BufferedImage source = TestImages.noise(19, 7, 2);
        BufferedImage bgr = new BufferedImage(19, 7, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(source, 0, 0, null);
        assertThat(pixels(decoder.decodeRgb(TestImages.encode(bgr, "bmp")))).isEqualTo(pixels(source));
    }

    @Test
    void lossyWebpIsCloseToItsSource() throws Exception {
        BufferedImage decoded = decoder.decodeRgb(TestImages.fixture("quadrants-lossy.webp"));
        assertThat(new Point(decoded.getWidth(), decoded.getHeight())).isEqualTo(new Point(64, 32));
        assertQuadrants(decoded, TestImages.RED, TestImages.LIME, TestImages.BLUE, TestImages.YELLOW);
    }

    @Test
    void losslessWebpWithAlphaIsExactAndCompositedOverWhite() throws Exception {
        BufferedImage decoded = decoder.decodeRgb(TestImages.fixture("quadrants-alpha-lossless.webp"));
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(255, 0, 0);
        assertThat(TestImages.rgbAt(decoded, 63, 0)).containsExactly(0, 255, 0);
        assertThat(TestImages.rgbAt(decoded, 0, 31)).containsExactly(0, 0, 255);
        assertThat(TestImages.rgbAt(decoded, 63, 31)).as("yellow at alpha 0").containsExactly(255, 255, 255);
    }

    /** Colours at the centres of the four quadrants: top-left, top-right, bottom-left, bottom-right. */
    static void assertQuadrants(BufferedImage image, Color tl, Color tr, Color bl, Color br) {
        int w = image.getWidth();
        int h = image.getHeight();
        assertClose(TestImages.rgbAt(image, w / 4, h / 4), rgb(tl), 40);
        assertClose(TestImages.rgbAt(image, 3 * w / 4, h / 4), rgb(tr), 40);
        assertClose(TestImages.rgbAt(image, w / 4, 3 * h / 4), rgb(bl), 40);
        assertClose(TestImages.rgbAt(image, 3 * w / 4, 3 * h / 4), rgb(br), 40);
    }

    static void assertClose(int[] actual, int[] expected, int tolerance) {
        for (int c = 0; c < 3; c++) {
            assertThat(actual[c]).as("channel %d of %s, expected %s", c, java.util.Arrays.toString(actual),
                    java.util.Arrays.toString(expected)).isCloseTo(expected[c], org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    private static int[] rgb(Color color) {
        return new int[]{color.getRed(), color.getGreen(), color.getBlue()};
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
