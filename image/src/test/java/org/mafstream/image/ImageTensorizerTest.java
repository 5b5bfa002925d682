package org.mafstream.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ImageTensorizerTest {
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};
    private static final int SIZE = 224;

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void fixturePngsGiveTheGoldenPixelValues(ResizeMode mode) throws Exception {
        float[] golden = GoldenPixels.pixelValues(); // NCHW [4, 3, 224, 224]
        ImageTensorizer tensorizer = tensorizer(mode);
        for (int n = 0; n < 4; n++) {
            float[] tensor = tensorizer.toTensor(GoldenPixels.imagePng(n)); // NHWC [224, 224, 3]
            assertThat(tensor).hasSize(SIZE * SIZE * 3);
            double maxError = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        float expected = golden[((n * 3 + c) * SIZE + y) * SIZE + x];
                        maxError = Math.max(maxError, Math.abs(tensor[(y * SIZE + x) * 3 + c] - expected));
                    }
                }
            }
            assertThat(maxError).as("max |error| of image_%d", n).isLessThanOrEqualTo(1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void solidColourOfAnySizeGivesTheNormalisedValueInEveryElement(ResizeMode mode) throws Exception {
        int[] rgb = {200, 100, 50};
        byte[] png = TestImages.encode(TestImages.solid(300, 170, BufferedImage.TYPE_INT_RGB, new Color(rgb[0], rgb[1], rgb[2])), "png");
        float[] tensor = tensorizer(mode).toTensor(png);
        assertThat(tensor).hasSize(SIZE * SIZE * 3);
        for (int i = 0; i < tensor.length; i++) {
            int c = i % 3;
            assertThat((double) tensor[i]).isCloseTo((rgb[c] / 255.0 - MEAN[c]) / STD[c], within(1e-6));
        }
    }

    @Test
    void tensorIsNhwcRowMajor() {
        BufferedImage image = TestImages.solid(SIZE, SIZE, BufferedImage.TYPE_INT_RGB, Color.BLACK);
        image.setRGB(5, 3, 0xff0000); // x = 5, y = 3
        float[] tensor = tensorizer(ResizeMode.SQUASH).toTensor(image);
        int at = (3 * SIZE + 5) * 3;
        assertThat((double) tensor[at]).isCloseTo((1 - MEAN[0]) / STD[0], within(1e-6));
        assertThat((double) tensor[at + 1]).isCloseTo(-MEAN[1] / STD[1], within(1e-6));
        assertThat((double) tensor[at + 3]).as("red of (x 6, y 3)").isCloseTo(-MEAN[0] / STD[0], within(1e-6));
    }

    @Test
    void squashKeepsTheWholeImageWhileCenterCropKeepsTheMiddle() {
        // 448 × 224: red left quarter, green middle half, blue right quarter.
        BufferedImage stripes = TestImages.solid(448, 224, BufferedImage.TYPE_INT_RGB, Color.GREEN);
        Graphics2D g = stripes.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 112, 224);
        g.setColor(Color.BLUE);
        g.fillRect(336, 0, 112, 224);
        g.dispose();

        BufferedImage squashed = tensorizer(ResizeMode.SQUASH).resize(stripes);
        assertThat(TestImages.rgbAt(squashed, 0, 100)).containsExactly(255, 0, 0);
        assertThat(TestImages.rgbAt(squashed, 112, 100)).containsExactly(0, 255, 0);
        assertThat(TestImages.rgbAt(squashed, 223, 100)).containsExactly(0, 0, 255);

        // Shorter side already 224: no resampling, then the centred 224 columns are all green.
        BufferedImage cropped = tensorizer(ResizeMode.SHORTER_SIDE_CENTER_CROP).resize(stripes);
        for (int x = 0; x < SIZE; x++) {
            assertThat(TestImages.rgbAt(cropped, x, 100)).as("column %d", x).containsExactly(0, 255, 0);
        }
    }

    @Test
    void downscalingAveragesInsteadOfAliasing() {
        // A one-pixel checkerboard halved: every output pixel must be mid-grey, not black or white.
        BufferedImage checker = new BufferedImage(448, 448, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 448; y++) {
            for (int x = 0; x < 448; x++) {
                checker.setRGB(x, y, (x + y) % 2 == 0 ? 0 : 0xffffff);
            }
        }
        BufferedImage resized = tensorizer(ResizeMode.SQUASH).resize(checker);
        for (int y = 1; y < SIZE - 1; y++) {
            for (int x = 1; x < SIZE - 1; x++) {
                assertThat(TestImages.rgbAt(resized, x, y)[0]).isBetween(126, 129);
            }
        }
    }

    @Test
    void upscalingKeepsCornersAndInterpolatesBetween() {
        BufferedImage tiny = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        tiny.setRGB(0, 0, 0x000000);
        tiny.setRGB(1, 0, 0xffffff);
        BufferedImage resized = tensorizer(ResizeMode.SQUASH).resize(tiny);
        assertThat(TestImages.rgbAt(resized, 0, 0)[0]).isZero();
        assertThat(TestImages.rgbAt(resized, SIZE - 1, SIZE - 1)[0]).isEqualTo(255);
        int previous = -1;
        for (int x = 0; x < SIZE; x++) {
            int value = TestImages.rgbAt(resized, x, 50)[0];
            assertThat(value).isGreaterThanOrEqualTo(previous);
            previous = value;
        }
        assertThat(TestImages.rgbAt(resized, 111, 0)[0]).isBetween(120, 135);
    }

    @Test
    void centerCropOfAnExtremeAspectRatioComputesOnlyTheCrop() {
        // 16000 × 2 resized to 1 792 000 × 224 would need gigabytes; only the centred window is computed.
        BufferedImage strip = TestImages.solid(16_000, 2, BufferedImage.TYPE_INT_RGB, Color.RED);
        Graphics2D g = strip.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(8_000, 0, 8_000, 2);
        g.dispose();
        BufferedImage resized = tensorizer(ResizeMode.SHORTER_SIDE_CENTER_CROP).resize(strip);
        assertThat(TestImages.rgbAt(resized, 0, 0)).containsExactly(255, 0, 0);
        assertThat(TestImages.rgbAt(resized, SIZE - 1, SIZE - 1)).containsExactly(0, 0, 255);
    }

    @Test
    void bytesAndDecodedImageGiveTheSameTensor() throws Exception {
        byte[] jpeg = TestImages.fixture("quadrants-orientation6.jpg");
        ImageTensorizer tensorizer = tensorizer(ResizeMode.SQUASH);
        assertThat(tensorizer.toTensor(jpeg)).isEqualTo(tensorizer.toTensor(decoder.decodeRgb(jpeg)));
    }

    @Test
    void decodedImagesOfOtherTypesAreConvertedFirst() {
        BufferedImage argb = TestImages.solid(10, 10, BufferedImage.TYPE_INT_ARGB, new Color(0, 0, 0, 0));
        float[] tensor = tensorizer(ResizeMode.SQUASH).toTensor(argb);
        assertThat((double) tensor[0]).as("transparent is white").isCloseTo((1 - MEAN[0]) / STD[0], within(1e-6));
    }

    @Test
    void preprocessingIsValidatedAndImmutable() {
        ImagePreprocessing imagenet = ImagePreprocessing.imagenet224(ResizeMode.SQUASH);
        assertThat(ImagePreprocessing.imagenet224()).as("the default squashes").isEqualTo(imagenet);
        assertThat(imagenet.size()).isEqualTo(224);
        assertThat(imagenet.tensorLength()).isEqualTo(224 * 224 * 3);
        imagenet.mean()[0] = 99;
        assertThat(imagenet.mean()[0]).isEqualTo(0.485f);
        assertThat(imagenet).isEqualTo(ImagePreprocessing.imagenet224(ResizeMode.SQUASH))
                .isNotEqualTo(ImagePreprocessing.imagenet224(ResizeMode.SHORTER_SIDE_CENTER_CROP));
        assertThatThrownBy(() -> new ImagePreprocessing(224, new float[3], new float[]{1, 0, 1}, ResizeMode.SQUASH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImagePreprocessing(224, new float[2], new float[]{1, 1}, ResizeMode.SQUASH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImagePreprocessing(0, new float[3], new float[]{1, 1, 1}, ResizeMode.SQUASH))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherSizesAndStatisticsComeFromTheConfig() {
        ImagePreprocessing identity = new ImagePreprocessing(32, new float[]{0, 0, 0}, new float[]{1, 1, 1}, ResizeMode.SQUASH);
        float[] tensor = new ImageTensorizer(decoder, identity)
                .toTensor(TestImages.solid(64, 48, BufferedImage.TYPE_INT_RGB, new Color(51, 102, 255)));
        assertThat(tensor).hasSize(32 * 32 * 3);
        assertThat(tensor[0]).isEqualTo(0.2f);
        assertThat(tensor[1]).isEqualTo(0.4f);
        assertThat(tensor[2]).isEqualTo(1f);
    }

    private ImageTensorizer tensorizer(ResizeMode mode) {
        return new ImageTensorizer(decoder, ImagePreprocessing.imagenet224(mode));
    }
}
