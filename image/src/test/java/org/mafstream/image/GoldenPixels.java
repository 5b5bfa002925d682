package org.mafstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * The maf-tiny golden fixture in testdata/ ({@code testdata.dir}, set by the pom). Reads its one
 * float32 array itself: model-export's fixture reader (test jar) cannot be used here, since
 * model-export depends on this module.
 */
final class GoldenPixels {
    private GoldenPixels() {}

    static Path fixtureDir() {
        Path dir = Path.of(System.getProperty("testdata.dir", "../testdata")).toAbsolutePath().normalize()
                .resolve("fixtures/maf-tiny");
        assertThat(dir).as("MAF fixture directory (set -Dtestdata.dir=<dir holding fixtures/>)").isDirectory();
        return dir;
    }

    static byte[] imagePng(int example) throws IOException {
        return Files.readAllBytes(fixtureDir().resolve("image_" + example + ".png"));
    }

    /** {@code pixel_values} of golden.npz: NCHW [4, 3, 224, 224]. */
    static float[] pixelValues() throws IOException {
        byte[] npy;
        try (ZipFile npz = new ZipFile(fixtureDir().resolve("golden.npz").toFile())) {
            npy = npz.getInputStream(npz.getEntry("pixel_values.npy")).readAllBytes();
        }
        // .npy version 1: magic (6), version (2), header length (2, little-endian), header, data.
        ByteBuffer buffer = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(npy[6]).as(".npy major version").isEqualTo((byte) 1);
        int headerLength = buffer.getShort(8) & 0xffff;
        String header = new String(npy, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertThat(header).contains("'descr': '<f4'", "'fortran_order': False", "'shape': (4, 3, 224, 224)");
        buffer.position(10 + headerLength);
        float[] values = new float[4 * 3 * 224 * 224];
        buffer.asFloatBuffer().get(values);
        assertThat(buffer.remaining()).as("bytes after the header").isEqualTo(values.length * Float.BYTES);
        return values;
    }
}
