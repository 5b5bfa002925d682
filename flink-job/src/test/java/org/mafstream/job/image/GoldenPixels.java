package org.mafstream.job.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.testing.Npz;

/** The maf-tiny golden fixture in testdata/ ({@code testdata.dir}, set by the pom). */
final class GoldenPixels {
    private GoldenPixels() {}

    static Path fixtureDir() {
        Path dir = Fixtures.mafTiny();
        assertThat(dir).as("MAF fixture directory (set -Dtestdata.dir=<dir holding fixtures/>)").isDirectory();
        return dir;
    }

    static byte[] imagePng(int example) throws IOException {
        return Files.readAllBytes(fixtureDir().resolve("image_" + example + ".png"));
    }

    /** {@code pixel_values} of golden.npz: NCHW [4, 3, 224, 224]. */
    static float[] pixelValues() throws IOException {
        Npz.Array pixels = Npz.read(fixtureDir().resolve("golden.npz")).get("pixel_values");
        assertThat(pixels.shape()).containsExactly(4, 3, 224, 224);
        return pixels.floats();
    }
}
