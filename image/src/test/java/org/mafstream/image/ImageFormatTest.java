package org.mafstream.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ImageFormatTest {
    private static final BufferedImage IMAGE = TestImages.quadrants(8, 8);

    @Test
    void recognisesEachFormatFromRealFilesMagicBytes() {
        assertThat(ImageFormat.sniff(TestImages.encode(IMAGE, "png"))).contains(ImageFormat.PNG);
        assertThat(ImageFormat.sniff(TestImages.jpeg(IMAGE))).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.sniff(TestImages.encode(IMAGE, "gif"))).contains(ImageFormat.GIF);
        assertThat(ImageFormat.sniff(TestImages.encode(IMAGE, "bmp"))).contains(ImageFormat.BMP);
        assertThat(ImageFormat.sniff(TestImages.fixture("quadrants-lossy.webp"))).contains(ImageFormat.WEBP);
        assertThat(ImageFormat.sniff(TestImages.fixture("quadrants-alpha-lossless.webp"))).contains(ImageFormat.WEBP);
    }

    @Test
    void refusesWhatIsNotOneOfTheDecodedFormats() {
        assertThat(ImageFormat.sniff(null)).isEmpty();
        assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
        assertThat(ImageFormat.sniff(ascii("<!DOCTYPE html><html><body>Not found</body></html>"))).isEmpty();
        assertThat(ImageFormat.sniff(ascii("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"))).isEmpty();
        assertThat(ImageFormat.sniff(new byte[]{'I', 'I', 42, 0, 8, 0, 0, 0})).as("TIFF").isEmpty();
        assertThat(ImageFormat.sniff(new byte[]{0, 0, 0, 0x1c, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f'})).as("AVIF").isEmpty();
        assertThat(ImageFormat.sniff(ascii("RIFF\0\0\0\0WAVEfmt "))).as("a RIFF that is not WebP").isEmpty();
        assertThat(ImageFormat.sniff(ascii("BMW owners club: a text file"))).as("BM without a DIB header").isEmpty();
        assertThat(ImageFormat.sniff(new byte[]{(byte) 0xff, (byte) 0xd8})).as("two bytes of a JPEG").isEmpty();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
