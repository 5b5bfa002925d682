package org.mafstream.image;

import org.junit.jupiter.api.Test;
import org.mafstream.image.testing.CraftedImages;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;

/** Every refusal is typed, and bombs are refused from their header before any pixel is decoded. */
class ImageRejectionTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    @Test
    void emptyAndNonImageBytesAreUnsupported() {
        assertRejected(null, ImageRejection.UNSUPPORTED_TYPE);
        assertRejected(new byte[0], ImageRejection.UNSUPPORTED_TYPE);
        assertRejected("<!DOCTYPE html>\n<html><head><title>404</title></head><body>gone</body></html>"
                .getBytes(StandardCharsets.UTF_8), ImageRejection.UNSUPPORTED_TYPE);
        assertRejected("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\"/>"
                .getBytes(StandardCharsets.UTF_8), ImageRejection.UNSUPPORTED_TYPE);
    }

    @Test
    void pngDeclaring50000Squared_isRefusedFromItsHeaderWithoutAllocatingPixels() {
        byte[] bomb = TestImages.pngHeaderOnly(50_000, 50_000); // 7.5 GB of RGB if decoded
        assertThat(bomb.length).isLessThan(100);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        decode(TestImages.encode(TestImages.quadrants(8, 8), "png")); // warm up: load the classes first
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        assertTimeout(Duration.ofSeconds(2), () -> assertRejected(bomb, ImageRejection.TOO_LARGE));
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertThat(allocated).as("bytes allocated while refusing the bomb").isLessThan(8L << 20);
    }

    @Test
    void pngTextChunkThatInflatesTo100MegabytesIsNeverInflated() throws Exception {
        byte[] png = TestImages.withChunkAfterIhdr(TestImages.encode(TestImages.quadrants(8, 8), "png"), "zTXt",
                TestImages.zTxtOfZeros(100 << 20));
        assertThat(png.length).isLessThan(200_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        decode(TestImages.encode(TestImages.quadrants(8, 8), "png")); // warm up: load the classes first
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        BufferedImage decoded = decoder.decodeRgb(png);
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertThat(TestImages.rgbAt(decoded, 0, 0)).containsExactly(255, 0, 0);
        assertThat(allocated).as("bytes allocated while decoding").isLessThan(8L << 20);
    }

    @Test
    void pixelAndSideLimitsAreEachEnforced() {
        assertRejected(TestImages.pngHeaderOnly(8000, 8000), ImageRejection.TOO_LARGE); // 64 MP, sides < 16384
        assertRejected(TestImages.pngHeaderOnly(20_000, 10), ImageRejection.TOO_LARGE); // 0.2 MP, side > 16384
        ImageDecoder small = new ImageDecoder(new ImageLimits(1 << 20, 10_000, 1_000));
        assertRejected(small, TestImages.pngHeaderOnly(101, 100), ImageRejection.TOO_LARGE);
        // Within the limits the same header-only file gets past the check and fails to decode.
        assertRejected(small, TestImages.pngHeaderOnly(100, 100), ImageRejection.DECODE_FAILED);
    }

    @Test
    void jpegWebpAndBmpBombsAreRefusedFromTheirHeaders() {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(64, 32));
        int sof = indexOf(jpeg, (byte) 0xff, (byte) 0xc0);
        ByteBuffer.wrap(jpeg).putShort(sof + 5, (short) 60_000).putShort(sof + 7, (short) 60_000);
        assertRejected(jpeg, ImageRejection.TOO_LARGE);

        byte[] webp = TestImages.fixture("quadrants-alpha-lossless.webp");
        ByteBuffer vp8l = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(webp[20]).as("VP8L signature").isEqualTo((byte) 0x2f);
        vp8l.putInt(21, vp8l.getInt(21) | 0x0fff_ffff); // 14-bit width-1 and height-1 all ones: 16384 × 16384
        assertRejected(webp, ImageRejection.TOO_LARGE);

        byte[] bmp = TestImages.encode(solidBgr(), "bmp");
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, 50_000).putInt(22, -50_000); // top-down
        assertRejected(bmp, ImageRejection.TOO_LARGE);
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, 16).putInt(22, Integer.MIN_VALUE);
        assertRejected(bmp, ImageRejection.TOO_LARGE);
    }

    @Test
    void bytesOverTheLimitAreRefusedBeforeSniffing() {
        byte[] png = TestImages.encode(TestImages.noise(40, 40, 3), "png");
        assertThat(png.length).isGreaterThan(1000);
        assertRejected(new ImageDecoder(new ImageLimits(1000, 40_000_000, 16_384)), png, ImageRejection.TOO_LARGE);
        assertRejected(new ImageDecoder(new ImageLimits(1000, 40_000_000, 16_384)), new byte[1001], ImageRejection.TOO_LARGE);
    }

    @Test
    void truncatedFilesOfEveryFormatFailToDecode() {
        BufferedImage noise = TestImages.noise(64, 48, 4);
        BufferedImage indexed = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(noise, 0, 0, null);
        byte[][] files = {
                TestImages.jpeg(noise),
                TestImages.encode(noise, "png"),
                TestImages.encode(indexed, "gif"),
                TestImages.encode(solidBgr(), "bmp"),
                TestImages.fixture("quadrants-lossy.webp"),
                TestImages.fixture("quadrants-alpha-lossless.webp"),
                TestImages.fixture("cmyk-cyan-white.jpg"),
        };
        for (byte[] file : files) {
            for (double kept : new double[]{0.5, 0.9}) {
                assertRejected(Arrays.copyOf(file, (int) (file.length * kept)), ImageRejection.DECODE_FAILED);
            }
        }
    }

    @Test
    void jpegMissingItsLastBytesIsRefusedRatherThanPaddedWithGrey() {
        byte[] jpeg = TestImages.jpeg(TestImages.noise(64, 64, 5));
        // libjpeg only warns and fills the missing blocks with grey; the decoder turns that into a failure.
        assertThatThrownBy(() -> decoder.decodeRgb(Arrays.copyOf(jpeg, jpeg.length - 16)))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejection.DECODE_FAILED))
                .hasMessageContaining("truncated");
    }

    @Test
    void webpMissingItsLastTwoBytesIsRefusedByItsRiffLength() {
        byte[] webp = TestImages.fixture("quadrants-lossy.webp");
        assertRejected(Arrays.copyOf(webp, webp.length - 2), ImageRejection.DECODE_FAILED);
        byte[] withTrailingBytes = Arrays.copyOf(webp, webp.length + 10);
        assertThat(decode(withTrailingBytes).getWidth()).isEqualTo(64);
    }

    @Test
    void damagedLosslessWebpThatKeepsDecodingPastItsEndIsCutShort() {
        // One byte changed in a valid 64 × 32 file: TwelveMonkeys' VP8L decoder swallows end-of-file
        // and decoded zero bits for 15 s before the stream started refusing to read past the end.
        byte[] spins = TestImages.fixture("damaged-lossless-spins.webp");
        assertTimeout(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> decoder.decodeRgb(spins))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejection.DECODE_FAILED))
                .hasMessageContaining("past the end"));
    }

    @Test
    void aProgressiveJpegWithThousandsOfScansIsRefusedBeforeDecoding() {
        // 80 KB, 6000 scans: each costs the JDK's reader a full output pass, ~45 s of CPU in all.
        byte[] hostile = CraftedImages.progressiveJpegWithScans(1024, 6000);
        assertThat(hostile.length).isLessThan(100_000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> decoder.decodeRgb(hostile))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejection.DECODE_FAILED))
                .hasMessageContaining("scans");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        // An ordinary progressive JPEG (10 scans) still decodes.
        assertThat(decode(CraftedImages.progressiveJpegWithScans(64, 10)).getRGB(3, 3) & 0xffffff)
                .isNotZero();
    }

    @Test
    void aDecodeOverItsTimeLimitIsStoppedAndTheNextOneIsNot() {
        // 1000 scans pass a raised scan limit; decoding them takes seconds, the limit is 300 ms.
        ImageDecoder limited = new ImageDecoder(ImageLimits.defaults().withMaxJpegScans(100_000).withMaxDecodeTime(Duration.ofMillis(300)));
        byte[] slow = CraftedImages.progressiveJpegWithScans(1024, 1000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> limited.decodeRgb(slow))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejection.DECODE_FAILED))
                .hasMessageContaining("over the limit of 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(limitedDecode(limited, TestImages.jpeg(TestImages.noise(640, 480, 3))).getWidth()).isEqualTo(640);
    }

    @Test
    void aDecodePastTheCallersDeadlineIsOutOfTimeNotAVerdictOnTheImage() {
        ImageDecoder patient = new ImageDecoder(ImageLimits.defaults().withMaxJpegScans(100_000));
        byte[] slow = CraftedImages.progressiveJpegWithScans(1024, 1000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> patient.decodeRgb(slow, start + Duration.ofMillis(300).toNanos()))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejection.OUT_OF_TIME))
                .hasMessageContaining("time budget ran out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        // A deadline already passed: refused without reading a byte.
        assertThatThrownBy(() -> patient.decodeRgb(TestImages.encode(TestImages.quadrants(8, 8), "png"), System.nanoTime() - 1))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejection.OUT_OF_TIME));
    }

    private static BufferedImage limitedDecode(ImageDecoder decoder, byte[] bytes) {
        try {
            return decoder.decodeRgb(bytes);
        } catch (ImageRejectedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void corruptHeadersFailToDecode() {
        byte[] png = TestImages.encode(TestImages.quadrants(8, 8), "png");
        Arrays.fill(png, 16, png.length, (byte) 0x5a);
        assertRejected(png, ImageRejection.DECODE_FAILED);
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 4, 'x', 'y', 1, 2, 3, 4, 5, 6};
        assertRejected(jpeg, ImageRejection.DECODE_FAILED);
    }

    /** Randomly damaged files: the decoder returns an image or an ImageRejectedException, nothing else. */
    @Test
    void damagedBytesNeverEscapeAsUntypedExceptions() {
        ImageDecoder bounded = new ImageDecoder(new ImageLimits(1 << 20, 1_000_000, 4096));
        BufferedImage noise = TestImages.noise(48, 32, 6);
        BufferedImage indexed = new BufferedImage(48, 32, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(noise, 0, 0, null);
        byte[][] files = {
                TestImages.jpeg(noise), TestImages.encode(noise, "png"), TestImages.encode(indexed, "gif"),
                TestImages.encode(solidBgr(), "bmp"), TestImages.fixture("quadrants-lossy.webp"),
                TestImages.fixture("quadrants-alpha-lossless.webp"), TestImages.fixture("cmyk-cyan-white.jpg"),
                TestImages.fixture("quadrants-orientation6.jpg"),
        };
        java.util.Random random = new java.util.Random(42);
        int decoded = 0;
        int rejected = 0;
        for (byte[] file : files) {
            for (int trial = 0; trial < 150; trial++) {
                byte[] damaged = file.clone();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    // Keep the magic bytes so the damage reaches the decoders.
                    int at = 12 + random.nextInt(damaged.length - 12);
                    damaged[at] = (byte) random.nextInt(256);
                }
                try {
                    bounded.decodeRgb(damaged);
                    decoded++;
                } catch (ImageRejectedException e) {
                    rejected++;
                }
            }
        }
        assertThat(decoded + rejected).isEqualTo(files.length * 150);
        assertThat(rejected).isPositive();
    }

    private static BufferedImage solidBgr() {
        return TestImages.solid(16, 16, BufferedImage.TYPE_3BYTE_BGR, TestImages.YELLOW);
    }

    private BufferedImage decode(byte[] bytes) {
        try {
            return decoder.decodeRgb(bytes);
        } catch (ImageRejectedException e) {
            throw new AssertionError(e);
        }
    }

    private void assertRejected(byte[] bytes, ImageRejection reason) {
        assertRejected(decoder, bytes, reason);
    }

    private static void assertRejected(ImageDecoder decoder, byte[] bytes, ImageRejection reason) {
        assertThatThrownBy(() -> decoder.decodeRgb(bytes))
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason())
                        .as("reason for %s", e.getMessage()).isEqualTo(reason));
    }

    private static int indexOf(byte[] bytes, byte first, byte second) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }
}
