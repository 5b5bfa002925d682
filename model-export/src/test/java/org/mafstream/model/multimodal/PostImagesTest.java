package org.mafstream.model.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.image.ImageDecoder;
import org.mafstream.image.ImageLimits;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.image.ImageTensorizer;
import org.mafstream.image.ResizeMode;
import org.mafstream.model.train.TokenSentences;

class PostImagesTest {
    static final ImageTensorizer TENSORIZER =
            new ImageTensorizer(new ImageDecoder(ImageLimits.defaults()), ImagePreprocessing.imagenet224(ResizeMode.SQUASH));
    static final int N = 224 * 224 * 3;

    @TempDir
    Path images;

    @BeforeEach
    void writeImages() throws IOException {
        Files.write(images.resolve("17_06_1.jpg"), encode(picture(320, 240, 1), "jpg"));
        Files.write(images.resolve("O_2.jpg"), encode(picture(256, 300, 2), "png")); // a PNG under .jpg, as some are
        Files.write(images.resolve("17_06_tiny.jpg"), encode(picture(40, 30, 3), "png")); // under 224 a side
        Files.write(images.resolve("17_06_corrupt.jpg"), randomBytes(2000, 4));
        Files.write(images.resolve(PostImages.ORIGINAL_SUBSTITUTE), encode(picture(300, 300, 5), "jpg"));
    }

    @Test
    void aPostsImageIsTheTensorizersTensorOfItsFile() throws IOException {
        PostImages posts = new PostImages(images, TENSORIZER);

        float[] first = posts.pixels("17_06_1");
        float[] second = posts.pixels("O_2");

        assertThat(first).hasSize(N);
        assertSameTensor(first, tensorOf("17_06_1.jpg"));
        assertSameTensor(second, tensorOf("O_2.jpg"));
        assertThat(Arrays.mismatch(first, second)).isNotNegative();
        assertThat(posts.imageFile("O_2")).isEqualTo(images.resolve("O_2.jpg"));
        assertThat(posts.report()).isEqualTo("images: 0 of 2 posts had no usable image");
    }

    @Test
    void aSmallImageIsResizedAndUsedNotSubstitutedUnlikeTheOriginalsRandomCrop() throws IOException {
        PostImages posts = new PostImages(images, ImagePreprocessing.imagenet224());

        float[] pixels = posts.pixels("17_06_tiny");

        assertSameTensor(pixels, tensorOf("17_06_tiny.jpg"));
        assertThat(Arrays.mismatch(pixels, tensorOf(PostImages.ORIGINAL_SUBSTITUTE))).isNotNegative();
        assertThat(posts.substitutions()).isZero();
    }

    @Test
    void missingAndUndecodableImagesGetTheSubstituteAndAreCounted() throws IOException {
        PostImages posts = new PostImages(images, TENSORIZER);
        float[] substitute = tensorOf(PostImages.ORIGINAL_SUBSTITUTE);

        assertSameTensor(posts.pixels("17_06_missing"), substitute);
        assertSameTensor(posts.pixels("17_06_1"), tensorOf("17_06_1.jpg"));
        assertSameTensor(posts.pixels("17_06_corrupt"), substitute);
        float[] again = posts.pixels("17_06_missing");
        again[0] = 42; // a copy: the next post's substitute is untouched
        assertSameTensor(posts.pixels("17_06_missing"), substitute);

        assertThat(posts.lookups()).isEqualTo(5);
        assertThat(posts.substitutions()).isEqualTo(4);
        assertThat(posts.distinctIds()).isEqualTo(3);
        assertThat(posts.unusableIds()).isEqualTo(2);
        assertThat(posts.firstUnusableIds()).containsExactly("17_06_missing", "17_06_corrupt");
        assertThat(posts.report()).isEqualTo("images: 4 of 5 posts had no usable image (2 distinct ids: "
                + "17_06_missing missing, 17_06_corrupt unsupported type); substituted 17_06_4705.jpg");
    }

    @Test
    void aBatchIsEachPostsTensorInOrder() throws IOException {
        PostImages posts = new PostImages(images, TENSORIZER);

        float[] batch = posts.pixels(List.of("O_2", "17_06_missing", "17_06_1"));

        assertThat(batch).hasSize(3 * N);
        assertSameTensor(Arrays.copyOfRange(batch, 0, N), tensorOf("O_2.jpg"));
        assertSameTensor(Arrays.copyOfRange(batch, N, 2 * N), tensorOf(PostImages.ORIGINAL_SUBSTITUTE));
        assertSameTensor(Arrays.copyOfRange(batch, 2 * N, 3 * N), tensorOf("17_06_1.jpg"));
        assertThat(posts.substitutions()).isEqualTo(1);
    }

    @Test
    void aSurveyDecodesEachImageOnceAndCountsEveryPost() throws IOException {
        Files.write(images.resolve("17_06_truncated.jpg"), Arrays.copyOf(encode(picture(320, 240, 6), "jpg"), 600));
        MnerPosts mner = posts("17_06_1", "17_06_missing", "O_2", "17_06_missing", "17_06_truncated", "17_06_tiny");
        PostImages posts = new PostImages(images, TENSORIZER);

        String report = posts.survey(mner);

        assertThat(report).isEqualTo("images: 3 of 6 posts had no usable image (2 distinct ids: "
                + "17_06_missing missing, 17_06_truncated decode failed); substituted 17_06_4705.jpg");
        assertThat(posts.report()).isEqualTo(report);
        assertThat(posts.distinctIds()).isEqualTo(5);
        assertSameTensor(posts.pixels("17_06_truncated"), tensorOf(PostImages.ORIGINAL_SUBSTITUTE));
        // found unusable once, an id keeps the substitute for the run, as the survey counted it
        Files.write(images.resolve("17_06_missing.jpg"), encode(picture(300, 300, 7), "jpg"));
        assertSameTensor(posts.pixels("17_06_missing"), tensorOf(PostImages.ORIGINAL_SUBSTITUTE));
    }

    @Test
    void theReportNamesOnlyTheFirstFewUnusableIds() throws IOException {
        PostImages posts = new PostImages(images, TENSORIZER, "O_2.jpg");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            ids.add("gone_" + i);
        }

        posts.pixels(ids);

        assertThat(posts.firstUnusableIds()).containsExactly("gone_1", "gone_2", "gone_3", "gone_4", "gone_5");
        assertThat(posts.report()).isEqualTo("images: 7 of 7 posts had no usable image (7 distinct ids: gone_1 missing, "
                + "gone_2 missing, gone_3 missing, gone_4 missing, gone_5 missing, …); substituted O_2.jpg");
    }

    @Test
    void anAbsentImageDirectoryIsNamedWithTheOption() throws IOException {
        Path absent = images.resolve("no-such-dir");
        Path file = images.resolve("17_06_1.jpg");

        assertThatThrownBy(() -> new PostImages(absent, TENSORIZER))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(absent.toString()).hasMessageContaining("--images").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new PostImages(file, TENSORIZER))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("--images").hasMessageContaining("not a directory");
    }

    @Test
    void aMissingSubstituteIsNamedOnlyWhenNeeded() throws IOException {
        Files.delete(images.resolve(PostImages.ORIGINAL_SUBSTITUTE));
        PostImages posts = new PostImages(images, TENSORIZER);

        assertThat(posts.survey(posts("17_06_1", "O_2"))).isEqualTo("images: 0 of 2 posts had no usable image");
        assertThatThrownBy(() -> posts.pixels("17_06_missing"))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(images.resolve(PostImages.ORIGINAL_SUBSTITUTE).toString())
                .hasMessageContaining("substitute image 17_06_4705.jpg is missing")
                .hasMessageContaining("17_06_missing")
                .hasMessageContaining("--substitute-image");
        assertThatThrownBy(() -> new PostImages(images, TENSORIZER).survey(posts("17_06_1", "17_06_corrupt")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("--substitute-image");
    }

    @Test
    void anUndecodableSubstituteIsNamed() throws IOException {
        PostImages posts = new PostImages(images, TENSORIZER, "17_06_corrupt.jpg");

        assertThatThrownBy(() -> posts.pixels("17_06_missing"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("substitute image " + images.resolve("17_06_corrupt.jpg") + " could not be decoded")
                .hasMessageContaining("--substitute-image");
    }

    @Test
    void anImageIdThatIsAPathIsRefused() throws IOException {
        PostImages posts = new PostImages(images, TENSORIZER);

        assertThatThrownBy(() -> posts.pixels("../17_06_1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../17_06_1' is not a file name");
        assertThat(posts.lookups()).isZero();
    }

    /** Bit-for-bit equal, failing with the first differing index rather than 150528 numbers. */
    static void assertSameTensor(float[] actual, float[] expected) {
        int at = Arrays.mismatch(actual, expected);
        assertThat(at).as("first index where the tensors differ (%d and %d floats)", actual.length, expected.length).isNegative();
    }

    private float[] tensorOf(String file) throws IOException {
        try {
            return TENSORIZER.toTensor(Files.readAllBytes(images.resolve(file)));
        } catch (org.mafstream.image.ImageRejectedException e) {
            throw new AssertionError(e);
        }
    }

    static MnerPosts posts(String... imageIds) {
        List<int[]> ids = new ArrayList<>();
        List<int[]> gold = new ArrayList<>();
        for (int i = 0; i < imageIds.length; i++) {
            ids.add(new int[] {2, 3});
            gold.add(new int[] {11, 12});
        }
        return new MnerPosts(new TokenSentences("t", ids, gold, null), List.of(imageIds));
    }

    /** A picture with structure (gradients and a seeded block), so different pictures differ everywhere. */
    static BufferedImage picture(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int r0 = random.nextInt(256);
        int g0 = random.nextInt(256);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (r0 + 255 * x / width) & 0xff;
                int g = (g0 + 255 * y / height) & 0xff;
                int b = (x / 16 + y / 16) % 2 == 0 ? 40 : 200;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
