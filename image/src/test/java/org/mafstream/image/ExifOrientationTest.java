package org.mafstream.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All eight EXIF orientations, in both TIFF byte orders, on a JPEG of four coloured quadrants
 * (stored: red, lime / blue, yellow). Expected layouts follow the EXIF definition of each value
 * ("row 0 is the visual top/bottom/left/right, column 0 is the visual left/right/top/bottom").
 */
class ExifOrientationTest {
    private static final BufferedImage STORED = TestImages.quadrants(64, 32);
    private static final byte[] PLAIN_JPEG = TestImages.jpeg(STORED);

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    @ParameterizedTest(name = "orientation {0}, little-endian {1}")
    @CsvSource({
            // orientation, little-endian, shown top-left, top-right, bottom-left, bottom-right (stored corners)
            "1, true,  TL, TR, BL, BR",
            "2, false, TR, TL, BR, BL",
            "3, true,  BR, BL, TR, TL",
            "4, false, BL, BR, TL, TR",
            "5, true,  TL, BL, TR, BR",
            "6, false, BL, TL, BR, TR",
            "7, true,  BR, TR, BL, TL",
            "8, false, TR, BR, TL, BL",
            "6, true,  BL, TL, BR, TR",
            "8, true,  TR, BR, TL, BL",
    })
    void displaysEachOrientationUpright(int orientation, boolean littleEndian, String tl, String tr, String bl, String br)
            throws Exception {
        byte[] jpeg = withApp1(PLAIN_JPEG, exif(orientation, littleEndian, 3));
        assertThat(ExifOrientation.of(jpeg)).isEqualTo(orientation);
        BufferedImage shown = decoder.decodeRgb(jpeg);
        boolean sidesSwap = orientation >= 5;
        assertThat(shown.getWidth()).isEqualTo(sidesSwap ? 32 : 64);
        assertThat(shown.getHeight()).isEqualTo(sidesSwap ? 64 : 32);
        ImageDecoderTest.assertQuadrants(shown, corner(tl), corner(tr), corner(bl), corner(br));
    }

    @Test
    void orientationStoredAsLongIsRead() {
        assertThat(ExifOrientation.of(withApp1(PLAIN_JPEG, exif(6, true, 4)))).isEqualTo(6);
    }

    @Test
    void exifAfterAnXmpApp1SegmentIsFound() {
        byte[] xmp = app1("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>".getBytes(StandardCharsets.US_ASCII));
        byte[] jpeg = withApp1(withApp1(PLAIN_JPEG, exif(3, false, 3)), xmp);
        assertThat(ExifOrientation.of(jpeg)).isEqualTo(3);
    }

    @Test
    void malformedExifReadsAsUpright() {
        assertThat(ExifOrientation.of(PLAIN_JPEG)).as("no EXIF").isEqualTo(1);
        assertThat(ExifOrientation.of(withApp1(PLAIN_JPEG, exif(9, true, 3)))).as("value 9").isEqualTo(1);
        assertThat(ExifOrientation.of(withApp1(PLAIN_JPEG, exif(6, true, 7)))).as("type UNDEFINED").isEqualTo(1);

        byte[] hugeIfdOffset = exif(6, true, 3);
        ByteBuffer.wrap(hugeIfdOffset).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 10, 0xfffffff0);
        assertThat(ExifOrientation.of(withApp1(PLAIN_JPEG, hugeIfdOffset))).isEqualTo(1);

        byte[] tooManyEntries = exif(6, true, 3);
        ByteBuffer.wrap(tooManyEntries).order(ByteOrder.LITTLE_ENDIAN).putShort(4 + 14, (short) 0xffff);
        // Its one real entry no longer names the orientation: the search runs to the segment's end and stops.
        ByteBuffer.wrap(tooManyEntries).order(ByteOrder.LITTLE_ENDIAN).putShort(4 + 16, (short) 0x0100);
        assertThat(ExifOrientation.of(withApp1(PLAIN_JPEG, tooManyEntries))).isEqualTo(1);

        byte[] cutInsideSegment = withApp1(PLAIN_JPEG, exif(6, true, 3));
        assertThat(ExifOrientation.of(java.util.Arrays.copyOf(cutInsideSegment, 30))).isEqualTo(1);
        assertThat(ExifOrientation.of(new byte[]{(byte) 0xff, (byte) 0xd8})).isEqualTo(1);
        assertThat(ExifOrientation.of(new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe1, 0, 1})).isEqualTo(1);
    }

    private static Color corner(String name) {
        return switch (name) {
            case "TL" -> TestImages.RED;
            case "TR" -> TestImages.LIME;
            case "BL" -> TestImages.BLUE;
            case "BR" -> TestImages.YELLOW;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** An APP1 segment (marker, length, "Exif\0\0", TIFF header, IFD0 with one orientation entry). */
    static byte[] exif(int orientation, boolean littleEndian, int type) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        tiff.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) type).putInt(1);
        if (type == 3) {
            tiff.putShort((short) orientation).putShort((short) 0);
        } else {
            tiff.putInt(orientation);
        }
        tiff.putInt(0); // no next IFD
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        payload.writeBytes(tiff.array());
        return app1(payload.toByteArray());
    }

    private static byte[] app1(byte[] payload) {
        ByteBuffer segment = ByteBuffer.allocate(4 + payload.length);
        segment.put((byte) 0xff).put((byte) 0xe1).putShort((short) (payload.length + 2)).put(payload);
        return segment.array();
    }

    /** The JPEG with {@code segment} inserted right after its SOI marker. */
    static byte[] withApp1(byte[] jpeg, byte[] segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(segment);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
