package org.mafstream.image;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Image bytes or a decoded image to the model's input: a {@code float[size * size * 3]} in NHWC
 * order (row-major height, width, channel), RGB, each value {@code (x / 255 − mean[c]) / std[c]}.
 * The arithmetic is float32 in the order of torchvision's {@code ToTensor} then {@code Normalize},
 * so an image already at the model's size gives the original PyTorch pipeline's values.
 * Thread-safe.
 */
public final class ImageTensorizer {
    private final ImageDecoder decoder;
    private final ImagePreprocessing preprocessing;

    public ImageTensorizer(ImageDecoder decoder, ImagePreprocessing preprocessing) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
    }

    public ImagePreprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * What {@link #check} gives for an image that decoded: no pixels. For a model that reads no
     * images (a text-only bundle), whose posts still get their image checked and its status.
     */
    public static final float[] CHECKED_ONLY = new float[0];

    /** Decodes, refusing what {@link ImageDecoder} refuses, and resizes nothing: {@link #CHECKED_ONLY}. */
    public float[] check(byte[] bytes) throws ImageRejectedException {
        decoder.decodeRgb(bytes);
        return CHECKED_ONLY;
    }

    /** Decodes (refusing what {@link ImageDecoder} refuses), resizes and normalises. */
    public float[] toTensor(byte[] bytes) throws ImageRejectedException {
        return toTensor(decoder.decodeRgb(bytes));
    }

    /** {@link #check(byte[])}, decoding by a {@link System#nanoTime()} deadline ({@link ImageDecoder#decodeRgb(byte[], long)}). */
    public float[] check(byte[] bytes, long deadlineNanos) throws ImageRejectedException {
        decoder.decodeRgb(bytes, deadlineNanos);
        return CHECKED_ONLY;
    }

    /** {@link #toTensor(byte[])}, decoding by a {@link System#nanoTime()} deadline ({@link ImageDecoder#decodeRgb(byte[], long)}). */
    public float[] toTensor(byte[] bytes, long deadlineNanos) throws ImageRejectedException {
        return toTensor(decoder.decodeRgb(bytes, deadlineNanos));
    }

    /** Resizes and normalises an already decoded image of any type (transparency goes over white). */
    public float[] toTensor(BufferedImage image) {
        int[] rgb = resizedPixels(image);
        float[] mean = preprocessing.mean();
        float[] std = preprocessing.std();
        float[] tensor = new float[rgb.length * 3];
        for (int p = 0; p < rgb.length; p++) {
            int pixel = rgb[p];
            tensor[3 * p] = ((float) (pixel >> 16 & 0xff) / 255f - mean[0]) / std[0];
            tensor[3 * p + 1] = ((float) (pixel >> 8 & 0xff) / 255f - mean[1]) / std[1];
            tensor[3 * p + 2] = ((float) (pixel & 0xff) / 255f - mean[2]) / std[2];
        }
        return tensor;
    }

    /** The size × size RGB image the tensor is made from (for inspection and debugging). */
    public BufferedImage resize(BufferedImage image) {
        int size = preprocessing.size();
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] rgb = resizedPixels(image);
        System.arraycopy(rgb, 0, Reorientation.pixels(out), 0, rgb.length);
        return out;
    }

    private int[] resizedPixels(BufferedImage image) {
        BufferedImage rgb = SrgbConverter.toIntRgb(image);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int size = preprocessing.size();
        int[] src = Reorientation.pixels(rgb);
        if (preprocessing.mode() == ResizeMode.SQUASH) {
            return Resampler.resize(src, w, h, size, size, 0, 0, size, size);
        }
        // torchvision Resize(size): the shorter side becomes size, the longer int(size * long / short);
        // CenterCrop(size): offsets int(round((resized - size) / 2)), Python rounding half to even.
        long shorter = Math.min(w, h);
        int outW = w <= h ? size : (int) (size * (long) w / shorter);
        int outH = w <= h ? (int) (size * (long) h / shorter) : size;
        int cropX = (int) Math.rint((outW - size) / 2.0);
        int cropY = (int) Math.rint((outH - size) / 2.0);
        return Resampler.resize(src, w, h, outW, outH, cropX, cropY, size, size);
    }
}
