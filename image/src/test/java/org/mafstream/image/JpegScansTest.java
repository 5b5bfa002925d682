package org.mafstream.image;

import org.junit.jupiter.api.Test;
import org.mafstream.image.testing.CraftedImages;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class JpegScansTest {

    @Test
    void countsTheScansOfBaselineProgressiveAndHostileFiles() {
        assertThat(JpegScans.count(TestImages.jpeg(TestImages.noise(64, 48, 1)))).isEqualTo(1);
        assertThat(JpegScans.count(CraftedImages.progressiveJpegWithScans(64, 10))).isEqualTo(10);
        assertThat(JpegScans.count(CraftedImages.progressiveJpegWithScans(64, 5000))).isEqualTo(5000);
    }

    @Test
    void skipsMarkersInsideSegmentsAndStuffedBytesInScans() {
        // An APP15 segment full of SOS markers (like an EXIF thumbnail's) counts for nothing.
        byte[] jpeg = TestImages.jpeg(TestImages.noise(64, 48, 2));
        byte[] payload = new byte[400];
        for (int i = 0; i < payload.length; i += 2) {
            payload[i] = (byte) 0xff;
            payload[i + 1] = (byte) 0xda;
        }
        byte[] withApp = new byte[jpeg.length + 4 + payload.length];
        System.arraycopy(jpeg, 0, withApp, 0, 2);
        withApp[2] = (byte) 0xff;
        withApp[3] = (byte) 0xef;
        withApp[4] = (byte) ((payload.length + 2) >> 8);
        withApp[5] = (byte) (payload.length + 2);
        System.arraycopy(payload, 0, withApp, 6, payload.length);
        System.arraycopy(jpeg, 2, withApp, 6 + payload.length, jpeg.length - 2);
        assertThat(JpegScans.count(withApp)).isEqualTo(1);
    }

    @Test
    void stopsAtTruncatedOrMalformedData() {
        byte[] jpeg = CraftedImages.progressiveJpegWithScans(64, 10);
        assertThat(JpegScans.count(Arrays.copyOf(jpeg, jpeg.length / 2))).isBetween(0, 10);
        assertThat(JpegScans.count(new byte[]{(byte) 0xff, (byte) 0xd8})).isZero();
        assertThat(JpegScans.count(new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xda, 0, 0})).isEqualTo(0);
        assertThat(JpegScans.count(new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xda, 0, 2, 1, 2, 3})).isEqualTo(1);
    }
}
