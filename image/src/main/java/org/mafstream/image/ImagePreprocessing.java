package org.mafstream.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * The image tensor a model bundle declares: size × size RGB, each channel {@code (x / 255 − mean) / std}.
 * Kept apart from the code so the values can come from the bundle manifest. Serializable so Flink
 * functions can carry it.
 */
public record ImagePreprocessing(int size, float[] mean, float[] std, ResizeMode mode) implements java.io.Serializable {
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** What MAF's ResNet-152 encoder was trained with (224 × 224, ImageNet mean and std), squashed. */
    public static ImagePreprocessing imagenet224() {
        return imagenet224(ResizeMode.SQUASH);
    }

    /** What MAF's ResNet-152 encoder was trained with: 224 × 224, ImageNet mean and std. */
    public static ImagePreprocessing imagenet224(ResizeMode mode) {
        return new ImagePreprocessing(224, IMAGENET_MEAN, IMAGENET_STD, mode);
    }

    public ImagePreprocessing {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        Objects.requireNonNull(mode, "mode");
        if (mean == null || mean.length != 3 || std == null || std.length != 3) {
            throw new IllegalArgumentException("mean and std need one value per RGB channel");
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Number of floats in one image's tensor: size × size × 3. */
    public int tensorLength() {
        return size * size * 3;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePreprocessing p && size == p.size && mode == p.mode
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, mode, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    @Override
    public String toString() {
        return "ImagePreprocessing[size=" + size + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + ", mode=" + mode + "]";
    }
}
