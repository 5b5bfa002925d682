package org.mafstream.job.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The maf-tiny golden fixture beside the checkout ({@code shared.dir}, set by the pom). */
final class GoldenPixels {
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private GoldenPixels() {}

    static Path fixtureDir() {
        Path dir = Path.of(System.getProperty("shared.dir", "../../shared"), "fixtures", "maf-tiny")
                .toAbsolutePath().normalize();
        assertThat(dir).as("MAF fixture directory (set -Dshared.dir=<dir holding fixtures/>)").isDirectory();
        return dir;
    }

    static byte[] imagePng(int example) throws IOException {
        return Files.readAllBytes(fixtureDir().resolve("image_" + example + ".png"));
    }

    /** {@code pixel_values} of golden.npz: NCHW [4, 3, 224, 224], little-endian float32, C order. */
    static float[] pixelValues() throws IOException {
        try (ZipFile zip = new ZipFile(fixtureDir().resolve("golden.npz").toFile())) {
            ZipEntry entry = zip.getEntry("pixel_values.npy");
            byte[] npy = zip.getInputStream(entry).readAllBytes();
            return float32(npy, new int[]{4, 3, 224, 224});
        }
    }

    /** Parses a version 1–3 .npy header, checks dtype, order and shape, and returns the data. */
    private static float[] float32(byte[] npy, int[] expectedShape) {
        ByteBuffer buffer = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(npy, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        int major = npy[6];
        int headerStart = major == 1 ? 10 : 12;
        int headerLength = major == 1 ? buffer.getShort(8) & 0xffff : buffer.getInt(8);
        String header = new String(npy, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        assertThat(header).contains("'descr': '<f4'").contains("'fortran_order': False");
        Matcher shape = SHAPE.matcher(header);
        assertThat(shape.find()).isTrue();
        assertThat(shape.group(1).replace(" ", "")).isEqualTo(
                java.util.Arrays.stream(expectedShape).mapToObj(Integer::toString)
                        .collect(java.util.stream.Collectors.joining(",")));
        int count = java.util.Arrays.stream(expectedShape).reduce(1, (a, b) -> a * b);
        float[] values = new float[count];
        buffer.position(headerStart + headerLength);
        buffer.asFloatBuffer().get(values);
        return values;
    }
}
